import { ModelError } from "@clinical-evals/core"
import { aborted, fromStatus, fromTypeError } from "./httpErrors.js"
import { BadAnswerError, HttpStatusError } from "./openAiClient.js"

const { ModelNotFoundError, ModelRequestError, ModelResponseError } = ModelError

/** Where a call went, for error messages. Holds the NAME of the key's variable, never the key. */
export interface CallContext {
  readonly spec: string
  readonly model: string
  readonly baseUrl: string
  readonly apiKeyEnv: string
  readonly keySent: boolean
}

/** The advice for a model the server does not serve, with what it does serve when known. */
export const notServed = (ctx: CallContext, served: ReadonlyArray<string> | null, detail?: string): ModelError.ModelNotFoundError =>
  new ModelNotFoundError({
    spec: ctx.spec,
    host: ctx.baseUrl,
    message:
      `model "${ctx.model}" is not served by the OpenAI-compatible server at ${ctx.baseUrl}` +
      (served === null
        ? ""
        : served.length === 0
          ? ": it serves no model"
          : `: it serves ${served.map((m) => `"${m}"`).join(", ")} (use --model openai:<one of these>)`) +
      (detail ? ` (server said: ${detail})` : "")
  })

const keyAdvice = (ctx: CallContext) =>
  ctx.keySent
    ? `the API key in $${ctx.apiKeyEnv} was not accepted: set ${ctx.apiKeyEnv} to a key this server accepts`
    : `no API key was sent because $${ctx.apiKeyEnv} is not set: set it (or name another variable with --api-key-env)`

/**
 * Maps what a call throws to the model error family:
 * - 401/403 → ModelRequestError naming the key's environment variable (never the key);
 * - 404 on `/models` → ModelRequestError (no OpenAI API at that URL); 404 on a completion → ModelNotFoundError;
 * - 429 and 5xx → ModelUnavailableError with the status (retried); other 4xx → ModelRequestError;
 * - fetch's TypeError (refused, reset, cut mid-answer) → ModelUnavailableError, status null;
 * - malformed JSON, an error object in a 200 answer, a stream cut short → ModelResponseError.
 */
export const toModelError =
  (ctx: CallContext) =>
  (e: unknown): ModelError.ModelError => {
    const host = ctx.baseUrl
    if (e instanceof HttpStatusError) {
      const { status, detail } = e
      if (status === 401 || status === 403) {
        return new ModelRequestError({
          host,
          status,
          message: `the server at ${host} refused the request (${status}${detail ? `: ${detail}` : ""}); ${keyAdvice(ctx)}`
        })
      }
      if (status === 404 && e.path === "/models") {
        return new ModelRequestError({
          host,
          status,
          message: `no OpenAI-compatible API at ${host}: GET ${host}/models answered 404; --base-url usually ends in /v1 (e.g. http://gpu-1:8000/v1)`
        })
      }
      if (status === 404) return notServed(ctx, null, detail)
      return fromStatus(host, `the server at ${host}`, status, detail)
    }
    if (!(e instanceof Error)) return new ModelResponseError({ host, message: `unexpected failure from ${host}: ${String(e)}` })
    if (e.name === "AbortError") return aborted(host)
    if (e instanceof TypeError) {
      return fromTypeError(host, e, {
        unreachable: `the OpenAI-compatible server at ${host}`,
        hint: "is it running, and is --base-url right?",
        connection: host
      })
    }
    if (e instanceof SyntaxError) return new ModelResponseError({ host, message: `the server at ${host} sent malformed JSON: ${e.message}` })
    if (e instanceof BadAnswerError) return new ModelResponseError({ host, message: `${host}: ${e.message}` })
    return new ModelResponseError({ host, message: `the server at ${host} failed: ${e.message}` })
  }
