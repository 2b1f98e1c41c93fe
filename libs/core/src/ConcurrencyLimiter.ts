import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"

/**
 * Where a model call reports that its server is overloaded (HTTP 429 or 503): a function the runner's
 * limiter installs around each call it paces. Outside a limiter it does nothing. A provider calls it on
 * every such answer, before retrying (see `signalOverload`).
 *
 * @since 0.1.0
 */
export const OverloadSignal: FiberRef.FiberRef<(status: number) => Effect.Effect<void>> = FiberRef.unsafeMake<
  (status: number) => Effect.Effect<void>
>(() => Effect.void)

/**
 * Tells whoever paces the current call that the server answered `status` (429 or 503).
 *
 * @since 0.1.0
 */
export const signalOverload = (status: number): Effect.Effect<void> =>
  Effect.flatMap(FiberRef.get(OverloadSignal), (signal) => signal(status))

/** What the limiter has done so far, for tests and logs. */
export interface LimiterStats {
  /** The current limit on calls in flight. */
  readonly limit: number
  /** The lowest the limit went. */
  readonly lowest: number
  /** How many times the limit was cut. */
  readonly decreases: number
}

/**
 * An AIMD limit on calls in flight, as TCP paces a connection: it starts at `max`; an overload signal
 * (429, 503) from a call halves it (at most once per round: calls that started before the last cut do
 * not cut again), and each call that succeeds raises it by 1/limit, so that it climbs back by about one
 * per round of calls, up to `max`.
 *
 * @since 0.1.0
 */
export interface ConcurrencyLimiter {
  /** Runs `self` holding one slot, waiting for one if the limit is reached. */
  readonly withPermit: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  readonly stats: Effect.Effect<LimiterStats>
}

/**
 * A limiter allowing at most `max` calls in flight.
 *
 * @since 0.1.0
 */
export const make = (max: number): Effect.Effect<ConcurrencyLimiter> =>
  Effect.gen(function* () {
    const ceiling = Math.max(1, Math.floor(max))
    const semaphore = yield* Effect.makeSemaphore(ceiling)
    // Plain mutable state: every update is synchronous, so no two fibers interleave inside one.
    const state = { limit: ceiling, lowest: ceiling, decreases: 0, round: 0 }
    const apply = Effect.suspend(() => semaphore.resize(Math.max(1, Math.floor(state.limit))))

    const overload = (round: number) => () =>
      Effect.suspend(() => {
        if (round !== state.round) return Effect.void
        state.round++
        state.decreases++
        state.limit = Math.max(1, Math.floor(state.limit / 2))
        state.lowest = Math.min(state.lowest, state.limit)
        return apply
      })

    const success = Effect.suspend(() => {
      if (state.limit >= ceiling) return Effect.void
      const before = Math.floor(state.limit)
      state.limit = Math.min(ceiling, state.limit + 1 / state.limit)
      return Math.floor(state.limit) === before ? Effect.void : apply
    })

    return {
      withPermit: <A, E, R>(self: Effect.Effect<A, E, R>) =>
        semaphore.withPermits(1)(
          Effect.suspend(() => {
            const round = state.round
            return Effect.locally(self, OverloadSignal, overload(round)).pipe(Effect.tap(() => success))
          })
        ),
      stats: Effect.sync(() => ({ limit: Math.floor(state.limit), lowest: state.lowest, decreases: state.decreases }))
    }
  })
