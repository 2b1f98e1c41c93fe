import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { ChatMessage } from "./ChatMessage.js"
import { Generation } from "./Generation.js"
import type { GenerationOptions } from "./GenerationOptions.js"
import { type ModelError, ModelSpecError } from "./ModelError.js"
import type { TaskBaseline } from "./Task.js"

/**
 * What is known about a model before any call: its digest identifies the exact weights (Ollama's
 * sha256), so that a result or a cached answer can be tied to them.
 *
 * @since 0.1.0
 */
export interface ModelInfo {
  readonly spec: string
  readonly provider: string
  readonly model: string
  readonly digest: string | null
  readonly host: string | null
  readonly details: Record<string, unknown>
}

/**
 * A language model: one chat call at a time, errors as data. Providers (`ollama:`, `baseline:`) build
 * one from a spec string; the runner sees no difference between them.
 *
 * @since 0.1.0
 */
export interface LanguageModelShape {
  /** The spec the user gave, e.g. `ollama:llama3:8b`. */
  readonly spec: string
  readonly provider: string
  readonly model: string
  /** Whether answers may be served from the response cache (false for instant built-in models). */
  readonly cacheable: boolean
  /** Looks the model up (digest, host); fails with ModelNotFoundError when it is not there. */
  readonly info: Effect.Effect<ModelInfo, ModelError>
  /** One chat call. */
  readonly generate: (
    messages: ReadonlyArray<ChatMessage>,
    options: GenerationOptions
  ) => Effect.Effect<Generation, ModelError>
}

/**
 * The model a solver talks to.
 *
 * @since 0.1.0
 */
export class LanguageModel extends Context.Tag("@clinical-evals/core/LanguageModel")<
  LanguageModel,
  LanguageModelShape
>() {}

/**
 * Builds models from `--model` strings. The models library provides the layer that knows the
 * providers; code that composes its own pipeline can provide its own.
 *
 * @since 0.1.0
 */
export class ModelResolver extends Context.Tag("@clinical-evals/core/ModelResolver")<
  ModelResolver,
  { readonly resolve: (spec: string) => Effect.Effect<LanguageModelShape, ModelError> }
>() {}

/**
 * A deterministic model from a reply function: no server, instant, not cached (recomputing is cheaper
 * than a lookup), no digest. How built-in and task baselines become ordinary providers.
 *
 * @since 0.1.0
 */
export const fromReply = (
  spec: string,
  reply: (messages: ReadonlyArray<ChatMessage>) => string,
  details: Record<string, unknown> = {}
): LanguageModelShape => {
  const sep = spec.indexOf(":")
  const provider = sep < 0 ? spec : spec.slice(0, sep)
  const model = sep < 0 ? spec : spec.slice(sep + 1)
  return {
    spec,
    provider,
    model,
    cacheable: false,
    info: Effect.succeed({ spec, provider, model, digest: null, host: null, details }),
    generate: (messages) =>
      Effect.sync(() => reply(messages)).pipe(
        Effect.timed,
        Effect.map(
          ([elapsed, text]) =>
            new Generation({
              text,
              thinking: null,
              finishReason: "stop",
              truncated: false,
              promptTokens: null,
              completionTokens: null,
              latencyMs: Duration.toMillis(elapsed),
              modelDigest: null
            }, true)
        )
      )
  }
}

/**
 * A resolver serving `baseline:<name>` from a task's baselines, and nothing else: what a task's own
 * tests use in place of the models library (which they may not import).
 *
 * @since 0.1.0
 */
export const layerBaselines = (baselines: Record<string, TaskBaseline>): Layer.Layer<ModelResolver> =>
  Layer.succeed(ModelResolver, {
    resolve: (spec) => {
      const own = spec.startsWith("baseline:") ? baselines[spec.slice("baseline:".length)] : undefined
      return own === undefined
        ? Effect.fail(
            new ModelSpecError({ spec, message: `unknown model "${spec}": choose one of ${Object.keys(baselines).map((n) => `baseline:${n}`).join(", ")}` })
          )
        : Effect.succeed(fromReply(spec, own.reply, { description: own.description }))
    }
  })
