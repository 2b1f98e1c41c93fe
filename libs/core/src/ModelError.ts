import * as Schema from "effect/Schema"

/**
 * The model was not found on the server: it must be pulled (or created) first.
 *
 * @since 0.1.0
 */
export class ModelNotFoundError extends Schema.TaggedError<ModelNotFoundError>()("ModelNotFoundError", {
  spec: Schema.String,
  host: Schema.String,
  message: Schema.String
}) {}

/**
 * The server could not be reached, or answered with a server-side failure (5xx, 429). Worth retrying.
 */
export class ModelUnavailableError extends Schema.TaggedError<ModelUnavailableError>()("ModelUnavailableError", {
  host: Schema.String,
  status: Schema.NullOr(Schema.Int),
  message: Schema.String
}) {}

/** The call took longer than the timeout; its HTTP request was cancelled. Worth retrying. */
export class ModelTimeoutError extends Schema.TaggedError<ModelTimeoutError>()("ModelTimeoutError", {
  host: Schema.String,
  seconds: Schema.Number,
  message: Schema.String
}) {}

/**
 * The server answered, but not with a usable answer: malformed JSON, an error line mid-stream, a stream
 * that ended early. Worth retrying.
 */
export class ModelResponseError extends Schema.TaggedError<ModelResponseError>()("ModelResponseError", {
  host: Schema.String,
  message: Schema.String
}) {}

/** The server refused the request (4xx other than 404 and 429). Never retried: the same request fails again. */
export class ModelRequestError extends Schema.TaggedError<ModelRequestError>()("ModelRequestError", {
  host: Schema.String,
  status: Schema.NullOr(Schema.Int),
  message: Schema.String
}) {}

/** A `--model` string that names no known provider or model. */
export class ModelSpecError extends Schema.TaggedError<ModelSpecError>()("ModelSpecError", {
  spec: Schema.String,
  message: Schema.String
}) {}

/** Every error a model call can end with. */
export type ModelError =
  | ModelNotFoundError
  | ModelUnavailableError
  | ModelTimeoutError
  | ModelResponseError
  | ModelRequestError
  | ModelSpecError

const tags = new Set([
  "ModelNotFoundError",
  "ModelUnavailableError",
  "ModelTimeoutError",
  "ModelResponseError",
  "ModelRequestError",
  "ModelSpecError"
])

/** Guard for the model error family. */
export const isModelError = (u: unknown): u is ModelError =>
  typeof u === "object" && u !== null && "_tag" in u && tags.has((u as { _tag: string })._tag)

/** Whether trying the same call again may succeed: connection and server failures, timeouts, bad responses. */
export const isRetryable = (error: ModelError): boolean =>
  error._tag === "ModelUnavailableError" || error._tag === "ModelTimeoutError" || error._tag === "ModelResponseError"

/** Whether the error concerns the model or its configuration, so that no call to it can succeed. */
export const isFatal = (error: ModelError): boolean =>
  error._tag === "ModelNotFoundError" || error._tag === "ModelSpecError"
