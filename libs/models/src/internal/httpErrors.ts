/**
 * What a failed HTTP call to a model server becomes, the part every provider shares whatever its client:
 * a status other than a missing model, an aborted request, a connection that failed or broke. How the
 * messages name the server (`Ollama at <host>`, `the server at <host>`) is the provider's.
 */
import { ModelError } from "@clinical-evals/core"

const { ModelRequestError, ModelUnavailableError } = ModelError

/**
 * A non-2xx status other than a missing model: 429 and 5xx → ModelUnavailableError (retried), any other
 * → ModelRequestError. `server` begins the message: `<server> answered 503: <detail>`.
 */
export const fromStatus = (host: string, server: string, status: number, detail: string): ModelError.ModelError =>
  status === 429 || status >= 500
    ? new ModelUnavailableError({ host, status, message: `${server} answered ${status}: ${detail}` })
    : new ModelRequestError({ host, status, message: `${server} refused the request (${status}): ${detail}` })

/** An aborted request (a timeout, an interruption) → ModelUnavailableError, status null. */
export const aborted = (host: string): ModelError.ModelUnavailableError =>
  new ModelUnavailableError({ host, status: null, message: `the request to ${host} was aborted` })

/** How a provider names its server in the messages of `fromTypeError`. */
export interface Wording {
  /** `cannot reach <unreachable>…`, e.g. `Ollama at <host>`. */
  readonly unreachable: string
  /** What to check, in parentheses after it. */
  readonly hint: string
  /** `the connection to <connection> broke mid-answer…`. */
  readonly connection: string
}

const causeText = (e: Error): string => {
  const cause = (e as { cause?: unknown }).cause
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code
    return typeof code === "string" && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message
  }
  return ""
}

/**
 * fetch's TypeError → ModelUnavailableError, status null: "fetch failed" is a server that could not be
 * reached (refused, unknown host, reset before an answer), anything else a connection that broke
 * mid-answer; the underlying cause (`ECONNREFUSED: …`) is added when there is one.
 */
export const fromTypeError = (host: string, e: TypeError, wording: Wording): ModelError.ModelUnavailableError => {
  const cause = causeText(e)
  return new ModelUnavailableError({
    host,
    status: null,
    message:
      e.message === "fetch failed"
        ? `cannot reach ${wording.unreachable}${cause ? `: ${cause}` : ""} (${wording.hint})`
        : `the connection to ${wording.connection} broke mid-answer: ${e.message}${cause ? ` (${cause})` : ""}`
  })
}
