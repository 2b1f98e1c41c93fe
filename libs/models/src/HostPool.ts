import { type ChatMessage, Generation, type GenerationOptions, type LanguageModel, ModelError, Progress } from "@clinical-evals/core"
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Resilience from "./Resilience.js"

/**
 * One host of a pool: where it is, and the model there (built for that host, with no retries: the pool
 * retries, and may send a retry to another host).
 *
 * @since 0.2.0
 */
export interface Member {
  readonly host: string
  readonly model: LanguageModel.LanguageModelShape
}

/** @since 0.2.0 */
export interface PoolOptions {
  /** Calls in flight on one host at most (`--per-host-concurrency`); unlimited when absent. */
  readonly perHostConcurrency?: number | undefined
  /** A failed host is set aside this long, doubling with each failure in a row (default 2 s). */
  readonly cooldownBase?: Duration.DurationInput
  /** The longest a host is set aside at once (default 2 minutes). */
  readonly cooldownMax?: Duration.DurationInput
  /** Timeout of one call on one host, and retries of a call (on any host) with backoff. */
  readonly resilience: Omit<Resilience.ResilienceOptions, "host">
}

/**
 * What the pool knows of one host, for tests and progress: calls in flight, failures in a row, until when
 * it is set aside (epoch ms, 0 when it is not), whether its model was checked, and calls it answered.
 *
 * @since 0.2.0
 */
export interface HostStatus {
  readonly host: string
  readonly outstanding: number
  readonly failures: number
  readonly coolUntil: number
  /** `verified`: its model agrees with the others; `pending`: not checked yet (unreachable at start); `excluded`: never used again. */
  readonly state: "verified" | "pending" | "excluded"
  readonly served: number
  readonly maxOutstanding: number
  readonly reason: string | null
}

/**
 * A model served by several hosts: each call goes to the host with the fewest calls in flight (ties in
 * turn), never above the per-host limit; a host that fails (refused, 5xx, 429, timeout) is set aside for an
 * exponentially growing cool-down and the call moves at once to another host; after its cool-down a host
 * gets one probing call, and its full share again once that succeeds. A host whose model turns out to be
 * another version, or gone, is excluded for the rest of the run.
 *
 * @since 0.2.0
 */
export interface HostPoolShape extends LanguageModel.LanguageModelShape {
  readonly hosts: ReadonlyArray<string>
  readonly status: Effect.Effect<ReadonlyArray<HostStatus>>
}

interface HostState {
  readonly host: string
  readonly model: LanguageModel.LanguageModelShape
  outstanding: number
  maxOutstanding: number
  failures: number
  coolUntil: number
  state: "verified" | "pending" | "excluded"
  served: number
  reason: string | null
}

/**
 * What identifies the weights a host serves: the digest (Ollama's sha256), else the `root` an
 * OpenAI-compatible server reports (vLLM: the weights it loaded), else nothing known (null).
 *
 * @since 0.2.0
 */
export const identity = (info: LanguageModel.ModelInfo): string | null =>
  info.digest ?? (typeof info.details["root"] === "string" ? `root ${info.details["root"]}` : null)

/** Says what happened to a host: through the run's Progress when there is one (no garbled live line), else as a log warning. */
const warn = (message: string) =>
  Effect.flatMap(Effect.serviceOption(Progress.Progress), (progress) =>
    progress._tag === "Some" ? progress.value.log(`warning: ${message}`) : Effect.logWarning(message)
  )

/** Whether a failure says something about the host rather than the request: it is set aside. */
const isHostFailure = (e: ModelError.ModelError) =>
  e._tag === "ModelUnavailableError" || e._tag === "ModelTimeoutError" || e._tag === "ModelNotFoundError"

type Pick =
  | { readonly _tag: "Got"; readonly host: HostState }
  | { readonly _tag: "Exhausted" }
  | { readonly _tag: "Wait"; readonly ms: number; readonly changed: Deferred.Deferred<void> }

/**
 * Builds the pool. `info` asks every host at once: hosts that answer must serve the same version (same
 * digest, or same `root`), else it fails with a ModelSpecError listing each host's; hosts that cannot be
 * reached are set aside and checked before their first call; a host missing the model, or refusing the
 * request (401), fails it. Each answer carries the host it came from (`Generation.host`).
 *
 * @since 0.2.0
 */
export const make = (members: ReadonlyArray<Member>, options: PoolOptions): Effect.Effect<HostPoolShape> =>
  Effect.gen(function* () {
    const first = members[0]!.model
    const limit = options.perHostConcurrency ?? Number.POSITIVE_INFINITY
    const base = Duration.toMillis(options.cooldownBase ?? "2 seconds")
    const max = Duration.toMillis(options.cooldownMax ?? "2 minutes")
    const hosts: Array<HostState> = members.map((m) => ({
      host: m.host,
      // One attempt per host call, with its timeout; the pool retries, on whichever host is best then.
      model: Resilience.withResilience(m.model, { ...options.resilience, retries: 0, host: m.host }),
      outstanding: 0,
      maxOutstanding: 0,
      failures: 0,
      coolUntil: 0,
      state: "verified",
      served: 0,
      reason: null
    }))
    let next = 0
    let changed = Deferred.unsafeMake<void>(FiberId.none)
    let agreed: string | null = null
    const notify = () => {
      const d = changed
      changed = Deferred.unsafeMake<void>(FiberId.none)
      Deferred.unsafeDone(d, Exit.void)
    }

    const choose = (now: number, tried: ReadonlySet<HostState>): Pick => {
      const usable = hosts.filter((h) => h.state !== "excluded" && !tried.has(h))
      if (usable.length === 0) return { _tag: "Exhausted" }
      const ready = usable.filter((h) => h.coolUntil <= now && h.outstanding < (h.failures > 0 ? 1 : limit))
      if (ready.length > 0) {
        const order = (h: HostState) => (hosts.indexOf(h) - next + hosts.length) % hosts.length
        const host = ready.reduce((a, b) => (b.outstanding < a.outstanding || (b.outstanding === a.outstanding && order(b) < order(a)) ? b : a))
        host.outstanding++
        host.maxOutstanding = Math.max(host.maxOutstanding, host.outstanding)
        next = (hosts.indexOf(host) + 1) % hosts.length
        return { _tag: "Got", host }
      }
      const cooling = usable.filter((h) => h.coolUntil > now).map((h) => h.coolUntil - now)
      return { _tag: "Wait", ms: cooling.length > 0 ? Math.min(...cooling) : Number.POSITIVE_INFINITY, changed }
    }

    /** The next host for a call, waiting for a free slot or the end of a cool-down; None when every host was tried. */
    const acquire = (tried: ReadonlySet<HostState>): Effect.Effect<Option.Option<HostState>> =>
      Effect.gen(function* () {
        for (;;) {
          const now = yield* Clock.currentTimeMillis
          const pick = choose(now, tried)
          if (pick._tag === "Got") return Option.some(pick.host)
          if (pick._tag === "Exhausted") return Option.none()
          const wake = Deferred.await(pick.changed)
          yield* Number.isFinite(pick.ms) ? Effect.race(wake, Effect.sleep(Duration.millis(pick.ms))) : wake
        }
      })

    const setAside = (h: HostState, e: ModelError.ModelError) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        h.failures++
        if (e._tag === "ModelNotFoundError") {
          h.state = "excluded"
          h.reason = e.message
          yield* warn(`${h.host} no longer serves ${first.spec}: excluded for the rest of the run (${e.message})`)
        } else {
          const wait = Math.min(max, base * 2 ** Math.min(30, h.failures - 1))
          h.coolUntil = now + wait
          h.reason = e.message
          yield* warn(`${h.host} set aside for ${Math.round(wait / 100) / 10} s after ${h.failures} failure(s) in a row: ${e.message}`)
        }
        notify()
      })

    const recovered = (h: HostState) =>
      Effect.sync(() => {
        h.failures = 0
        h.coolUntil = 0
        h.reason = null
        h.served++
        notify()
      })

    const release = (h: HostState) =>
      Effect.sync(() => {
        h.outstanding--
        notify()
      })

    /** A host unreachable at start is checked before its first call: another version excludes it. */
    const verify = (h: HostState): Effect.Effect<void, ModelError.ModelError> =>
      h.state !== "pending"
        ? Effect.void
        : h.model.info.pipe(
            Effect.flatMap((info) =>
              Effect.gen(function* () {
                if (identity(info) === agreed) {
                  h.state = "verified"
                  return
                }
                h.state = "excluded"
                h.reason = `serves another version (${identity(info) ?? "unknown"}, the others ${agreed ?? "unknown"})`
                yield* warn(`${h.host} ${h.reason}: excluded for the rest of the run`)
                notify()
                return yield* new ModelError.ModelUnavailableError({ host: h.host, status: null, message: `${h.host} ${h.reason}` })
              })
            )
          )

    const known = yield* Ref.make(Option.none<LanguageModel.ModelInfo>())
    const lookup = Effect.gen(function* () {
      const answers = yield* Effect.forEach(hosts, (h) => Effect.either(h.model.info), { concurrency: "unbounded" })
      const reached: Array<[HostState, LanguageModel.ModelInfo]> = []
      const unreachable: Array<[HostState, ModelError.ModelError]> = []
      for (const [i, a] of answers.entries()) {
        const h = hosts[i]!
        if (a._tag === "Right") reached.push([h, a.right])
        else if (ModelError.isRetryable(a.left)) unreachable.push([h, a.left])
        else return yield* Effect.fail(a.left)
      }
      if (reached.length === 0) {
        return yield* new ModelError.ModelUnavailableError({
          host: hosts.map((h) => h.host).join(","),
          status: null,
          message: `none of the ${hosts.length} hosts of ${first.spec} answered: ${unreachable.map(([h, err]) => `${h.host}: ${err.message}`).join("; ")}`
        })
      }
      const ids = new Set(reached.map(([, i]) => identity(i)))
      if (ids.size > 1) {
        return yield* new ModelError.ModelSpecError({
          spec: first.spec,
          message:
            `the hosts of ${first.spec} serve different versions: ` +
            reached.map(([h, i]) => `${h.host} has ${identity(i) ?? "no digest"}`).join(", ") +
            `. Mixing versions would corrupt the study: serve the same version everywhere, or drop the odd host.`
        })
      }
      agreed = identity(reached[0]![1])
      const now = yield* Clock.currentTimeMillis
      for (const [h, e] of unreachable) {
        h.state = "pending"
        h.failures = 1
        h.coolUntil = now + base
        h.reason = e.message
        yield* warn(`${h.host} did not answer (${e.message}): set aside, checked again before it is used`)
      }
      const info = reached[0]![1]
      return {
        ...info,
        host: hosts.map((h) => h.host).join(","),
        details: { ...info.details, hosts: hosts.map((h) => h.host) }
      } satisfies LanguageModel.ModelInfo
    })
    const info = Ref.get(known).pipe(
      Effect.flatMap(
        Option.match({
          onSome: Effect.succeed,
          onNone: () => lookup.pipe(Effect.tap((i) => Ref.set(known, Option.some(i))))
        })
      ),
      Effect.withSpan("HostPool.info", { attributes: { spec: first.spec, hosts: hosts.length } })
    )

    /** One attempt: a host, and on a host failure at once the next one, until every host was tried. */
    const attempt = (messages: ReadonlyArray<ChatMessage.ChatMessage>, generationOptions: GenerationOptions.GenerationOptions) =>
      Effect.gen(function* () {
        yield* info
        const tried = new Set<HostState>()
        let last: ModelError.ModelError | null = null
        for (;;) {
          const exit = yield* Effect.uninterruptibleMask((restore) =>
            restore(acquire(tried)).pipe(
              Effect.flatMap(
                Option.match({
                  onNone: () => Effect.succeed(Option.none<readonly [HostState, Exit.Exit<Generation.Generation, ModelError.ModelError>]>()),
                  onSome: (h) =>
                    restore(Effect.exit(verify(h).pipe(Effect.zipRight(h.model.generate(messages, generationOptions))))).pipe(
                      Effect.map((e) => Option.some([h, e] as const)),
                      Effect.ensuring(release(h))
                    )
                })
              )
            )
          )
          if (Option.isNone(exit)) {
            return yield* Effect.fail(
              last ??
                new ModelError.ModelUnavailableError({ host: hosts.map((h) => h.host).join(","), status: null, message: `no host of ${first.spec} is usable` })
            )
          }
          const [h, outcome] = exit.value
          if (Exit.isSuccess(outcome)) {
            yield* recovered(h)
            // A Generation already, and a host: nothing to validate again.
            return new Generation.Generation({ ...outcome.value, host: h.host }, true)
          }
          const failure = outcome.cause._tag === "Fail" ? outcome.cause.error : null
          if (failure === null) return yield* Effect.failCause(outcome.cause)
          if (!isHostFailure(failure)) return yield* Effect.fail(failure)
          yield* setAside(h, failure)
          tried.add(h)
          last = failure
        }
      })

    const schedule = Resilience.retrySchedule(options.resilience)
    const generate = (messages: ReadonlyArray<ChatMessage.ChatMessage>, generationOptions: GenerationOptions.GenerationOptions) =>
      Effect.retry(attempt(messages, generationOptions), { schedule, while: ModelError.isRetryable })

    const status = Effect.sync(() =>
      hosts.map(
        (h): HostStatus => ({
          host: h.host,
          outstanding: h.outstanding,
          failures: h.failures,
          coolUntil: h.coolUntil,
          state: h.state,
          served: h.served,
          maxOutstanding: h.maxOutstanding,
          reason: h.reason
        })
      )
    )

    return {
      spec: first.spec,
      provider: first.provider,
      model: first.model,
      cacheable: first.cacheable,
      hosts: hosts.map((h) => h.host),
      info,
      generate,
      status
    }
  })
