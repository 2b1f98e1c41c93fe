import { LanguageModel } from "@clinical-evals/core"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/**
 * The suffix that makes a model spec a retrieval variant: `ollama:llama3:8b+rag`.
 *
 * @since 0.1.0
 */
export const SUFFIX = "+rag"

/**
 * A model spec read for its retrieval variant: `base` is the model to call, `rag` whether the task is
 * to be built with retrieval, `spec` the spec as written (trimmed), which names the variant in results.
 *
 * @since 0.1.0
 */
export interface RagVariant {
  readonly spec: string
  readonly base: string
  readonly rag: boolean
}

/**
 * Reads a model spec: `ollama:llama3:8b+rag` is `{ base: "ollama:llama3:8b", rag: true }`, any spec
 * without the suffix (case-insensitive, at the very end) is itself with `rag: false`.
 *
 * @since 0.1.0
 */
export const parse = (spec: string): RagVariant => {
  const trimmed = spec.trim()
  const rag = trimmed.toLowerCase().endsWith(SUFFIX) && trimmed.length > SUFFIX.length
  return { spec: trimmed, base: rag ? trimmed.slice(0, -SUFFIX.length).trimEnd() : trimmed, rag }
}

/**
 * The task name of a retrieval run: `longhealth-task1` becomes `longhealth-task1+rag`.
 *
 * @since 0.1.0
 */
export const taskName = (name: string): string => `${name}${SUFFIX}`

/**
 * Wraps a model resolver so that `X+rag` resolves to the model `X` under the name `X+rag`: the
 * same calls (and the same response-cache entries: the cache keys on provider, model and digest, not
 * the spec) but its own results, so that base and `+rag` sit side by side in one study. Specs without
 * the suffix pass through unchanged.
 *
 * @since 0.1.0
 */
export const wrapResolver = (
  resolver: LanguageModel.ModelResolver["Type"]
): LanguageModel.ModelResolver["Type"] => ({
  resolve: (spec) => {
    const variant = parse(spec)
    if (!variant.rag) return resolver.resolve(spec)
    return resolver.resolve(variant.base).pipe(
      Effect.map(
        (model): LanguageModel.LanguageModelShape => ({
          ...model,
          spec: variant.spec,
          info: model.info.pipe(Effect.map((info) => ({ ...info, spec: variant.spec })))
        })
      )
    )
  }
})

/**
 * A layer that replaces the ModelResolver in context with {@link wrapResolver} of it.
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<LanguageModel.ModelResolver, never, LanguageModel.ModelResolver> = Layer.effect(
  LanguageModel.ModelResolver,
  Effect.map(LanguageModel.ModelResolver, wrapResolver)
)
