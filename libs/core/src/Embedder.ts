import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type { ModelError } from "./ModelError.js"

/**
 * A text embedding model: one vector per text, in order. Used for semantic similarity of summaries and
 * for retrieval.
 *
 * @since 0.1.0
 */
export interface EmbedderShape {
  /** The spec the user gave, e.g. `ollama:nomic-embed-text`. */
  readonly spec: string
  readonly embed: (texts: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<ReadonlyArray<number>>, ModelError>
}

/** Builds embedders from `--embed-model` strings; the models library provides the layer. */
export class EmbedderResolver extends Context.Tag("@clinical-evals/core/EmbedderResolver")<
  EmbedderResolver,
  { readonly resolve: (spec: string) => Effect.Effect<EmbedderShape, ModelError> }
>() {}

/** Cosine similarity of two vectors of the same length (0 when either is all zeros). */
export const cosine = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number => {
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!
    const y = b[i] ?? 0
    dot += x * y
    na += x * x
    nb += y * y
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb)
}
