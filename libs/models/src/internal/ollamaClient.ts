import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { ChatRequest, ChatResponse } from "ollama"
import { Ollama } from "ollama"

/**
 * A client for one call whose every request carries the call's signal: aborting it aborts the HTTP
 * request and closes its socket, streaming or not (the client's own calls take no signal when not
 * streaming), including while the response headers are awaited. Cheap to make: the host comes
 * formatted (see {@link formatHost}), so the constructor parses nothing.
 *
 * A streamed request carries the client's own signal too, which only the client's `abort()` aborts:
 * it is linked to the call's controller with a listener, not combined with `AbortSignal.any` (both
 * signals live as long as the call, so the listener goes with them).
 */
export class CallClient extends Ollama {
  constructor(host: string, controller: AbortController, fetchImpl: typeof fetch) {
    // `proxy`: the client leaves its host empty instead of parsing it; it is set, already formatted, below.
    super({
      proxy: true,
      fetch: (input, init) => {
        const own = init?.signal
        if (own != null && own !== controller.signal) {
          if (own.aborted) controller.abort(own.reason)
          else own.addEventListener("abort", () => controller.abort(own.reason), { once: true })
        }
        return fetchImpl(input, init === undefined ? { signal: controller.signal } : { ...init, signal: controller.signal })
      }
    })
    this.config.host = host
  }
}

/** Reads the host as the client formats it (protocol, default port, no trailing slash). */
class HostFormat extends Ollama {
  get host(): string {
    return this.config.host
  }
}

/**
 * The host as the `ollama` client formats it, for {@link CallClient}: once per model, not per call.
 * What the client's constructor throws for a host it cannot parse comes back as a Left, for each call
 * to fail with, as when each call made its own client.
 */
export const formatHost = (host: string): Either.Either<string, unknown> =>
  Either.try({ try: () => new HostFormat({ host }).host, catch: (e) => e })

/**
 * Runs one request on a {@link CallClient} of its own: interrupting the effect (a timeout) aborts the
 * request. What the client's promise rejects with is mapped with `mapError`; `f` returns the client's
 * promise (it does not throw).
 */
export const request = <A, E>(
  host: Either.Either<string, unknown>,
  fetchImpl: typeof fetch,
  mapError: (e: unknown) => E,
  f: (client: Ollama) => Promise<A>
): Effect.Effect<A, E> =>
  Either.isLeft(host)
    ? Effect.fail(mapError(host.left))
    : Effect.async<A, E>((resume) => {
        const controller = new AbortController()
        f(new CallClient(host.right, controller, fetchImpl)).then(
          (a) => resume(Effect.succeed(a)),
          (e) => resume(Effect.fail(mapError(e)))
        )
        return Effect.sync(() => controller.abort())
      })

/** A streamed chat answer, put together: the content and thinking of every chunk, and the final `done` object. */
export interface ChatAnswer {
  readonly content: string
  readonly thinking: string
  readonly final: ChatResponse
}

/** Streams a chat call and accumulates its chunks. The client throws if the stream ends without `done`. */
export const streamChat = async (client: Ollama, request: Omit<ChatRequest, "stream">): Promise<ChatAnswer> => {
  const stream = await client.chat({ ...request, stream: true })
  let content = ""
  let thinking = ""
  let final: ChatResponse | undefined
  for await (const part of stream) {
    content += part.message?.content ?? ""
    thinking += part.message?.thinking ?? ""
    if (part.done) final = part
  }
  if (final === undefined) throw new Error("Did not receive done or success response in stream.")
  return { content, thinking, final }
}
