import * as Schema from "effect/Schema"

/**
 * Decoding options passed through to the model. `maxTokens` is Ollama's `num_predict`, `numCtx` its
 * `num_ctx`, `keepAlive` its `keep_alive` (e.g. "5m", "0"). `format` asks for JSON output (a JSON schema
 * or the string "json").
 *
 * @since 0.1.0
 */
export const GenerationOptions = Schema.Struct({
  temperature: Schema.Number,
  seed: Schema.optional(Schema.Int),
  maxTokens: Schema.Int,
  numCtx: Schema.optional(Schema.Int),
  keepAlive: Schema.optional(Schema.String),
  format: Schema.optional(Schema.Unknown)
})
export type GenerationOptions = typeof GenerationOptions.Type

/**
 * Whether a call with these options gives the same answer again, so that the cache may serve it:
 * greedy decoding (temperature 0) or a fixed seed.
 */
export const isDeterministic = (options: GenerationOptions): boolean =>
  options.temperature === 0 || options.seed !== undefined
