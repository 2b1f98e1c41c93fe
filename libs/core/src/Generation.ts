import * as Schema from "effect/Schema"

/**
 * Why the model stopped: `stop` (it finished), `length` (cut off at `maxTokens`: the answer may be
 * incomplete), or whatever else the provider said.
 *
 * @since 0.1.0
 */
export const FinishReason = Schema.String
export type FinishReason = typeof FinishReason.Type

/**
 * What a model returned for one call. `text` is the answer with any reasoning removed; reasoning
 * (`<think>…</think>` or a separate `thinking` field) is kept apart in `thinking`. Durations are
 * the provider's own measurements when it reports them (Ollama does, in nanoseconds; here in ms).
 *
 * @since 0.1.0
 */
export class Generation extends Schema.Class<Generation>("Generation")({
  text: Schema.String,
  thinking: Schema.NullOr(Schema.String),
  finishReason: FinishReason,
  truncated: Schema.Boolean,
  promptTokens: Schema.NullOr(Schema.Int),
  completionTokens: Schema.NullOr(Schema.Int),
  latencyMs: Schema.Number,
  modelDigest: Schema.NullOr(Schema.String),
  /** The server that answered, when the provider knows it (one of several hosts of a pool). */
  host: Schema.optional(Schema.String),
  durations: Schema.optional(
    Schema.Struct({
      totalMs: Schema.optional(Schema.Number),
      loadMs: Schema.optional(Schema.Number),
      promptEvalMs: Schema.optional(Schema.Number),
      evalMs: Schema.optional(Schema.Number)
    })
  )
}) {}
