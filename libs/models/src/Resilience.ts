import { ConcurrencyLimiter, type LanguageModel, ModelError } from "@clinical-evals/core"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Schedule from "effect/Schedule"

/**
 * How long one model call may take, and how failed calls are retried.
 *
 * @since 0.1.0
 */
export interface ResilienceOptions {
  /** Seconds allowed for one attempt; when they run out the attempt is interrupted (its request cancelled). */
  readonly timeoutSeconds: number
  /** Retries after the first attempt, for retryable errors only (connection, 5xx/429, timeout, bad answer). */
  readonly retries: number
  /** The first retry's delay; each next one doubles, with jitter. Defaults to 1 second. */
  readonly baseDelay?: Duration.DurationInput
  /** No retry waits longer than this. Defaults to 30 seconds. */
  readonly maxDelay?: Duration.DurationInput
  /** Named in timeout errors. */
  readonly host?: string
  /**
   * Seconds allowed for a model's first call, and for its first call after `idleSeconds` without one,
   * when the server may be loading the model (Ollama loads it on the first call; a large model takes
   * minutes). Defaults to the `FirstCallTimeout` fiber ref, else `timeoutSeconds`.
   */
  readonly firstCallTimeoutSeconds?: number
  /** After this many seconds without a successful call, the next one counts as a first call. Defaults to 300. */
  readonly idleSeconds?: number
}

/**
 * The first-call timeout, in seconds, for models wrapped without `firstCallTimeoutSeconds`; null: the
 * ordinary timeout. The CLI sets it from `--first-call-timeout` around a run.
 *
 * @since 0.1.0
 */
export const FirstCallTimeout: FiberRef.FiberRef<number | null> = FiberRef.unsafeMake<number | null>(null)

/** @since 0.1.0 */
export const DEFAULT_FIRST_CALL_TIMEOUT_SECONDS = 600
/** Ollama unloads an idle model after 5 minutes by default (`keep_alive`). */
export const DEFAULT_IDLE_SECONDS = 300

/** @since 0.1.0 */
export const DEFAULT_TIMEOUT_SECONDS = 120
/** @since 0.1.0 */
export const DEFAULT_RETRIES = 3
/** @since 0.1.0 */
export const DEFAULT_BASE_DELAY: Duration.DurationInput = "1 second"

/**
 * Exponential backoff with jitter, capped at `maxDelay`, for at most `retries` retries.
 *
 * @since 0.1.0
 */
export const retrySchedule = (options: Pick<ResilienceOptions, "retries" | "baseDelay" | "maxDelay">) => {
  const cap = Duration.decode(options.maxDelay ?? "30 seconds")
  return Schedule.exponential(options.baseDelay ?? DEFAULT_BASE_DELAY).pipe(
    Schedule.jittered,
    Schedule.modifyDelay((d) => Duration.min(d, cap)),
    Schedule.intersect(Schedule.recurs(Math.max(0, options.retries)))
  )
}

/**
 * Fails one attempt with ModelTimeoutError after `timeoutSeconds`, interrupting it: an effect built on
 * `Effect.tryPromise({ try: (signal) => … })` aborts its request.
 *
 * @since 0.1.0
 */
export const withTimeout =
  (timeoutSeconds: number, host: string) =>
  <A, R>(self: Effect.Effect<A, ModelError.ModelError, R>): Effect.Effect<A, ModelError.ModelError, R> =>
    self.pipe(
      Effect.timeoutFail({
        duration: Duration.seconds(timeoutSeconds),
        onTimeout: () =>
          new ModelError.ModelTimeoutError({
            host,
            seconds: timeoutSeconds,
            message: `no answer from ${host} within ${timeoutSeconds} s; the request was cancelled`
          })
      })
    )

/**
 * Whether an error says the server is overloaded (429 Too Many Requests, 503 busy): the caller should
 * send fewer calls at once, not only wait.
 *
 * @since 0.1.0
 */
export const isOverload = (error: ModelError.ModelError): error is ModelError.ModelUnavailableError =>
  error._tag === "ModelUnavailableError" && (error.status === 429 || error.status === 503)

/**
 * Wraps any model: every `generate` and `info` attempt gets the timeout, and retryable failures
 * (`ModelError.isRetryable`) are retried with backoff; 4xx, not-found and spec errors never are. A
 * `generate` attempt made while the model may be loading (its first call, or the first after a long
 * idle) gets the longer first-call timeout. Each 429 or 503 is reported with
 * `ConcurrencyLimiter.signalOverload` before the retry, so that the runner sends fewer calls at once.
 * Everything else of the model, extra fields included, is kept.
 *
 * @since 0.1.0
 */
export const withResilience = <M extends LanguageModel.LanguageModelShape>(model: M, options: ResilienceOptions): M => {
  const host = options.host ?? model.provider
  const schedule = retrySchedule(options)
  const idleMs = (options.idleSeconds ?? DEFAULT_IDLE_SECONDS) * 1000
  // When a call of this model last succeeded (ms since the epoch, from the Clock); null: never.
  let lastSuccess: number | null = null
  const signal = (e: ModelError.ModelError) => (isOverload(e) ? ConcurrencyLimiter.signalOverload(e.status ?? 503) : Effect.void)
  const warmTimeout = withTimeout(options.timeoutSeconds, host)
  // The timeout of the next attempt: the ordinary one, or the first-call one while the model may be loading.
  const attemptTimeout = Effect.flatMap(Clock.currentTimeMillis, (now) => {
    if (lastSuccess !== null && now - lastSuccess <= idleMs) return Effect.succeed(warmTimeout)
    const configured = options.firstCallTimeoutSeconds
    return Effect.map(configured === undefined ? FiberRef.get(FirstCallTimeout) : Effect.succeed(configured), (first) =>
      first === null ? warmTimeout : withTimeout(Math.max(first, options.timeoutSeconds), host)
    )
  })
  const markSuccess = Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.sync(() => void (lastSuccess = now)))
  // No retries: no schedule to run (it would stop at once); each failure is still reported.
  const retried = <A>(attempt: Effect.Effect<A, ModelError.ModelError>) =>
    options.retries <= 0
      ? Effect.tapError(attempt, signal)
      : attempt.pipe(Effect.tapError(signal), Effect.retry({ schedule, while: ModelError.isRetryable }))
  return {
    ...model,
    info: retried(model.info.pipe(withTimeout(options.timeoutSeconds, host))),
    generate: (messages, generationOptions) =>
      retried(
        Effect.flatMap(attemptTimeout, (timeout) => Effect.zipLeft(timeout(model.generate(messages, generationOptions)), markSuccess))
      )
  }
}
