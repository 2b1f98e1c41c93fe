import { ModelError } from "@clinical-evals/core"
import { aborted, fromStatus, fromTypeError } from "./httpErrors.js"

const { ModelNotFoundError, ModelResponseError } = ModelError

/** Where a call went, for error messages. */
export interface CallContext {
  readonly spec: string
  readonly tag: string
  readonly host: string
}

/** The advice for a model that is not on the server. */
export const notFound = (ctx: CallContext, detail?: string): ModelError.ModelNotFoundError =>
  new ModelNotFoundError({
    spec: ctx.spec,
    host: ctx.host,
    message:
      `model "${ctx.tag}" is not on the Ollama server at ${ctx.host}: run \`ollama pull ${ctx.tag}\` there, ` +
      `or point --ollama-host (or OLLAMA_HOST) at a server that has it` +
      (detail ? ` (server said: ${detail})` : "")
  })

/**
 * Maps what the `ollama` client throws to the model error family:
 * - `ResponseError` (a non-2xx answer): 404 or a 4xx saying "not found" → ModelNotFoundError; 429 and 5xx →
 *   ModelUnavailableError with the status; other 4xx → ModelRequestError;
 * - `TypeError` from fetch (connection refused, reset, socket closed mid-answer) → ModelUnavailableError, status null;
 * - a body that is not JSON, an `{"error": …}` line in a stream, a stream that ends without `done` →
 *   ModelResponseError.
 */
export const toModelError =
  (ctx: CallContext) =>
  (e: unknown): ModelError.ModelError => {
    const { host } = ctx
    if (!(e instanceof Error)) return new ModelResponseError({ host, message: `unexpected failure from Ollama at ${host}: ${String(e)}` })
    const status = (e as { status_code?: unknown }).status_code
    if (e.name === "ResponseError" && typeof status === "number") {
      if (status === 404 || (status >= 400 && status < 500 && status !== 429 && /not found/i.test(e.message))) {
        return notFound(ctx, e.message)
      }
      return fromStatus(host, `Ollama at ${host}`, status, e.message)
    }
    if (e.name === "AbortError") return aborted(host)
    if (e instanceof TypeError) {
      return fromTypeError(host, e, {
        unreachable: `Ollama at ${host}`,
        hint: "is `ollama serve` running there?",
        connection: `Ollama at ${host}`
      })
    }
    if (e instanceof SyntaxError) {
      return new ModelResponseError({ host, message: `Ollama at ${host} sent malformed JSON: ${e.message}` })
    }
    if (e.message.startsWith("Did not receive done")) {
      return new ModelResponseError({ host, message: `the answer stream from ${host} ended before its final message` })
    }
    return new ModelResponseError({ host, message: `Ollama at ${host} reported an error mid-answer: ${e.message}` })
  }
