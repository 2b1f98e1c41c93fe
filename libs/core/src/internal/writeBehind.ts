import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"

/**
 * Items written in groups rather than one by one: `add` queues an item and returns at once, and the
 * queue is written in one go when it holds `maxItems` (by the `add` that filled it, so memory stays
 * bounded), every `maxDelay` by a background fiber, on `flush`, and when the scope closes. A write is
 * uninterruptible (it is short), and a failed write puts its items back and is reported by the next
 * `add` or `flush`. What a SIGKILL can lose is the queue of at most `maxDelay`.
 */
export interface WriteBehind<A, E> {
  readonly add: (item: A) => Effect.Effect<void, E>
  /** Writes everything queued so far, and waits for it. */
  readonly flush: Effect.Effect<void, E>
  /** Items queued and not yet written, oldest first. */
  readonly pending: () => ReadonlyArray<A>
}

export const make = <A, E>(
  write: (items: ReadonlyArray<A>) => Effect.Effect<void, E>,
  options: { readonly maxItems: number; readonly maxDelay: Duration.DurationInput }
) =>
  Effect.gen(function* () {
    let queued: Array<A> = []
    let failure: { readonly error: E } | null = null
    const lock = yield* Effect.makeSemaphore(1)

    const writeQueued: Effect.Effect<void, E> = lock.withPermits(1)(
      Effect.uninterruptible(
        Effect.suspend(() => {
          if (queued.length === 0) return Effect.void
          const items = queued
          queued = []
          return write(items).pipe(
            Effect.tapError(() =>
              Effect.sync(() => {
                queued = items.concat(queued)
              })
            )
          )
        })
      )
    )
    const flush = Effect.suspend(() => (failure === null ? writeQueued : Effect.fail(failure.error)))

    yield* Effect.sleep(options.maxDelay).pipe(
      Effect.zipRight(writeQueued),
      Effect.forever,
      Effect.catchAll((error) => Effect.sync(() => void (failure = { error }))),
      Effect.forkScoped
    )
    yield* Effect.addFinalizer(() => Effect.ignoreLogged(writeQueued))

    const self: WriteBehind<A, E> = {
      add: (item) =>
        Effect.suspend(() => {
          if (failure !== null) return Effect.fail(failure.error)
          queued.push(item)
          return queued.length >= options.maxItems ? writeQueued : Effect.void
        }),
      flush,
      pending: () => queued
    }
    return self
  })
