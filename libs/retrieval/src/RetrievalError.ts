import * as Schema from "effect/Schema"

/**
 * A retrieval step could not be done: the embedding model failed (after its retries) or the
 * embedding store could not be read or written. `stage` says which (`embed`, `store`), `message` why.
 *
 * @since 0.1.0
 */
export class RetrievalError extends Schema.TaggedError<RetrievalError>()("RetrievalError", {
  stage: Schema.Literal("embed", "store"),
  message: Schema.String
}) {}

/**
 * Whether a value is a {@link RetrievalError}.
 *
 * @since 0.1.0
 */
export const isRetrievalError = (u: unknown): u is RetrievalError => Schema.is(RetrievalError)(u)
