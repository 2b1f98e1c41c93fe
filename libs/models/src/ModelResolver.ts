import { Generation, LanguageModel, ModelError, type Task } from "@clinical-evals/core"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Match from "effect/Match"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Baseline from "./Baseline.js"
import * as HostPool from "./HostPool.js"
import * as ModelSpec from "./ModelSpec.js"
import * as OllamaHost from "./OllamaHost.js"
import * as OllamaModel from "./OllamaModel.js"
import * as OpenAiModel from "./OpenAiModel.js"
import * as Resilience from "./Resilience.js"

/**
 * What the resolver needs: the Ollama hosts (`ollamaHost` and `ollamaHosts` together, from the repeatable
 * `--ollama-host`; else `OLLAMA_HOST`, else the default), the OpenAI-compatible base URLs (`--base-url`,
 * repeatable; else `OPENAI_BASE_URL`) and the variable holding their API key (`--api-key-env`, default
 * `OPENAI_API_KEY`), the calls in flight per host, the timeout of one call in seconds, the retries, the first
 * retry delay, and the first cool-down of a failed host.
 *
 * @since 0.1.0
 */
export const ResolverConfig = Schema.Struct({
  ollamaHost: Schema.optional(Schema.String),
  ollamaHosts: Schema.optional(Schema.Array(Schema.String)),
  baseUrls: Schema.optional(Schema.Array(Schema.String)),
  apiKeyEnv: Schema.optional(Schema.NonEmptyTrimmedString),
  perHostConcurrency: Schema.optional(Schema.Int.pipe(Schema.positive())),
  hostCooldownMs: Schema.optional(Schema.Number.pipe(Schema.nonNegative())),
  /** Stream OpenAI-compatible answers (the default) or ask for one JSON body. */
  openAiStream: Schema.optional(Schema.Boolean),
  timeoutSeconds: Schema.Number.pipe(Schema.positive()),
  retries: Schema.Int.pipe(Schema.nonNegative()),
  retryBaseDelayMs: Schema.optional(Schema.Number.pipe(Schema.nonNegative()))
})
export type ResolverConfig = typeof ResolverConfig.Type

/** 120 s per call, 3 retries, 1 s first delay. */
export const defaultConfig: ResolverConfig = {
  timeoutSeconds: Resilience.DEFAULT_TIMEOUT_SECONDS,
  retries: Resilience.DEFAULT_RETRIES
}

/**
 * Builds the model a spec names, wrapped with timeout and retries.
 *
 * @since 0.1.0
 */
export const resolveWith = (config: ResolverConfig, taskBaselines: Record<string, Task.TaskBaseline> = {}) =>
  Effect.fn("ModelResolver.resolve")(function* (spec: string) {
    const decoded = yield* ModelSpec.decode(spec)
    const resilience = {
      timeoutSeconds: config.timeoutSeconds,
      retries: config.retries,
      baseDelay: config.retryBaseDelayMs ?? Resilience.DEFAULT_BASE_DELAY
    }
    return yield* Match.value(decoded).pipe(
      Match.tag("BaselineSpec", (b) => {
        const own = taskBaselines[b.name]
        const model = own
          ? Baseline.fromReply(b.name, own.description, own.reply)
          : Schema.is(Baseline.BaselineName)(b.name)
            ? Baseline.make(b.name)
            : undefined
        if (model === undefined) {
          const known = [...Object.keys(taskBaselines), ...Baseline.names].map((n) => `baseline:${n}`).join(", ")
          return Effect.fail(new ModelError.ModelSpecError({ spec, message: `unknown baseline "${b.name}" in "${spec}": choose one of ${known}` }))
        }
        return Effect.succeed<LanguageModel.LanguageModelShape>(Resilience.withResilience(model, { ...resilience, host: "built-in" }))
      }),
      Match.tag("OllamaSpec", (o) =>
        Effect.gen(function* () {
          const hosts = yield* OllamaHost.resolveAll([...(config.ollamaHost === undefined ? [] : [config.ollamaHost]), ...(config.ollamaHosts ?? [])])
          const bad = hosts.find((h) => !URL.canParse(h))
          if (bad !== undefined) {
            return yield* new ModelError.ModelSpecError({ spec, message: `"${bad}" is not a usable Ollama host URL` })
          }
          const members = yield* Effect.forEach(hosts, (host) =>
            Effect.map(OllamaModel.make({ tag: o.tag, host, spec: o.spec }), (model) => ({ host, model }))
          )
          return yield* served(members, config, resilience)
        })
      ),
      Match.tag("OpenAiSpec", (o) =>
        Effect.gen(function* () {
          const given = config.baseUrls?.filter((u) => u.trim() !== "") ?? []
          const fromEnv = yield* Config.string("OPENAI_BASE_URL").pipe(Config.withDefault(""), Effect.orElseSucceed(() => ""))
          const raw = given.length > 0 ? given : fromEnv.trim() !== "" ? [fromEnv] : []
          if (raw.length === 0) {
            return yield* new ModelError.ModelSpecError({
              spec,
              message: `${spec} needs the server's address: pass --base-url (e.g. http://gpu-1:8000/v1), repeatable for several hosts, or set OPENAI_BASE_URL`
            })
          }
          const urls = [...new Set(raw.map(OpenAiModel.normalizeBaseUrl))]
          const bad = urls.find((u) => !URL.canParse(u) || !/^https?:$/.test(new URL(u).protocol))
          if (bad !== undefined) {
            return yield* new ModelError.ModelSpecError({ spec, message: `"${bad}" is not a usable --base-url: write http(s)://host:port/v1` })
          }
          const apiKeyEnv = config.apiKeyEnv ?? OpenAiModel.DEFAULT_API_KEY_ENV
          const key = yield* Config.option(Config.redacted(apiKeyEnv)).pipe(Effect.orElseSucceed(() => Option.none()))
          const apiKey = Option.filter(key, (k) => Redacted.value(k).trim() !== "")
          const members = yield* Effect.forEach(urls, (host) =>
            Effect.map(
              OpenAiModel.make({
                model: o.model,
                baseUrl: host,
                spec: o.spec,
                apiKeyEnv,
                apiKey: Option.getOrUndefined(apiKey),
                ...(config.openAiStream === undefined ? {} : { stream: config.openAiStream })
              }),
              (model) => ({ host, model })
            )
          )
          return yield* served(members, config, resilience)
        })
      ),
      Match.exhaustive
    )
  })

/**
 * One host: the model with its timeout and retries, each answer stamped with the host, at most
 * `perHostConcurrency` calls at once. Several: a {@link HostPool}.
 */
const served = (
  members: ReadonlyArray<HostPool.Member>,
  config: ResolverConfig,
  resilience: Omit<Resilience.ResilienceOptions, "host">
): Effect.Effect<LanguageModel.LanguageModelShape> =>
  Effect.gen(function* () {
    if (members.length > 1) {
      return yield* HostPool.make(members, {
        perHostConcurrency: config.perHostConcurrency,
        ...(config.hostCooldownMs === undefined ? {} : { cooldownBase: config.hostCooldownMs }),
        resilience
      })
    }
    const { host, model } = members[0]!
    const resilient = Resilience.withResilience(model, { ...resilience, host })
    const permits = config.perHostConcurrency === undefined ? null : yield* Effect.makeSemaphore(config.perHostConcurrency)
    return {
      ...resilient,
      generate: (messages, options) => {
        const call = resilient.generate(messages, options).pipe(
          // A Generation already, and a host: nothing to validate again.
          Effect.map((g) => (g.host === undefined ? new Generation.Generation({ ...g, host }, true) : g))
        )
        return permits === null ? call : permits.withPermits(1)(call)
      }
    } satisfies LanguageModel.LanguageModelShape
  })

/**
 * The resolver service.
 *
 * @since 0.1.0
 */
export const make = (
  config: ResolverConfig,
  taskBaselines: Record<string, Task.TaskBaseline> = {}
): Context.Tag.Service<LanguageModel.ModelResolver> => ({
  resolve: resolveWith(config, taskBaselines)
})

/**
 * The core `ModelResolver`, knowing the `ollama:`, `openai:` and `baseline:` providers; `taskBaselines` adds the
 * baselines a task defines (they take precedence over built-in ones of the same name).
 *
 * @since 0.1.0
 */
export const layer = (
  config: ResolverConfig = defaultConfig,
  taskBaselines: Record<string, Task.TaskBaseline> = {}
): Layer.Layer<LanguageModel.ModelResolver> => Layer.succeed(LanguageModel.ModelResolver, make(config, taskBaselines))

/**
 * The `LanguageModel` a spec names, through whatever `ModelResolver` is provided.
 *
 * @since 0.1.0
 */
export const languageModel = (
  spec: string
): Layer.Layer<LanguageModel.LanguageModel, ModelError.ModelError, LanguageModel.ModelResolver> =>
  Layer.effect(
    LanguageModel.LanguageModel,
    Effect.flatMap(LanguageModel.ModelResolver, (r) => r.resolve(spec))
  )
