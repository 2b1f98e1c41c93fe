import { type ChatMessage, Generation, type GenerationOptions, type LanguageModel, type ModelError } from "@clinical-evals/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import { complete, type Completion, type Endpoint, listModels, type ListedModel, stream } from "./internal/openAiClient.js"
import { type CallContext, notServed, toModelError } from "./internal/openAiErrors.js"
import { splitThinking } from "./internal/thinking.js"

/**
 * The environment variable the API key is read from unless `--api-key-env` names another.
 *
 * @since 0.2.0
 */
export const DEFAULT_API_KEY_ENV = "OPENAI_API_KEY"

/**
 * A model on an OpenAI-compatible server, with the base URL it was made for.
 *
 * @since 0.2.0
 */
export interface OpenAiModelShape extends LanguageModel.LanguageModelShape {
  readonly host: string
}

/** @since 0.2.0 */
export interface OpenAiModelOptions {
  /** The model as the server names it (`meta-llama/Llama-3.1-70B-Instruct`, vLLM's `--served-model-name`). */
  readonly model: string
  /** A normalised base URL (see {@link normalizeBaseUrl}), e.g. `http://gpu-1:8000/v1`. */
  readonly baseUrl: string
  /** The spec to report; defaults to `openai:<model>`. */
  readonly spec?: string
  /** The API key, sent as `Authorization: Bearer …`; none when absent. Kept redacted, never written. */
  readonly apiKey?: Redacted.Redacted<string> | undefined
  /** The variable the key came from, named in 401/403 errors. Defaults to OPENAI_API_KEY. */
  readonly apiKeyEnv?: string
  /** Stream the answer (server-sent events; the default) or ask for one JSON body. */
  readonly stream?: boolean
  /** The fetch to send requests with (defaults to the global one). */
  readonly fetch?: typeof fetch
}

/**
 * Normalises a `--base-url`: quotes and spaces dropped, `http://` when no scheme is given, trailing
 * slashes dropped, and `/v1` added when the URL has no path (`http://gpu-1:8000` → `http://gpu-1:8000/v1`),
 * since every OpenAI-compatible server serves its API there.
 *
 * @since 0.2.0
 */
export const normalizeBaseUrl = (raw: string): string => {
  const s = raw.trim().replace(/^["']+|["']+$/g, "").trim()
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `http://${s}`
  const trimmed = withScheme.replace(/\/+$/, "")
  if (!URL.canParse(trimmed)) return trimmed
  const url = new URL(trimmed)
  return url.pathname === "/" || url.pathname === "" ? `${trimmed}/v1` : trimmed
}

/**
 * The chat-completions body for one call. `maxTokens` is `max_tokens`; `format` becomes `response_format`
 * (`"json"` → `json_object`, a schema → `json_schema`). `numCtx` and `keepAlive` are the server's business
 * (vLLM's `--max-model-len`) and are not sent.
 *
 * @since 0.2.0
 */
export const chatRequest = (
  model: string,
  messages: ReadonlyArray<ChatMessage.ChatMessage>,
  options: GenerationOptions.GenerationOptions
): Record<string, unknown> => ({
  model,
  messages: messages.map((m) => ({ role: m.role, content: m.content })),
  temperature: options.temperature,
  max_tokens: options.maxTokens,
  ...(options.seed !== undefined ? { seed: options.seed } : {}),
  ...(options.format === undefined
    ? {}
    : options.format === "json"
      ? { response_format: { type: "json_object" } }
      : { response_format: { type: "json_schema", json_schema: { name: "answer", schema: options.format } } })
})

/**
 * Turns a completion into a Generation: reasoning (`reasoning_content`, `reasoning`, or inline
 * `<think>…</think>`) apart from the answer, `length` flagged as truncated.
 *
 * @since 0.2.0
 */
export const toGeneration = (answer: Completion, latencyMs: number, digest: string | null, host: string): Generation.Generation => {
  const inline = splitThinking(answer.content)
  const thinking = [answer.reasoning.trim(), inline.thinking].filter((t) => t !== "").join("\n")
  const finishReason = answer.finishReason ?? "stop"
  return new Generation.Generation({
    text: inline.text,
    thinking: thinking === "" ? null : thinking,
    finishReason,
    truncated: finishReason === "length",
    promptTokens: answer.promptTokens,
    completionTokens: answer.completionTokens,
    latencyMs,
    modelDigest: digest,
    host
  })
}

/** What run.json keeps of a `/models` entry: the fields that say which weights are served, never headers. */
const detailsOf = (entry: ListedModel): Record<string, unknown> =>
  Object.fromEntries(
    (["root", "owned_by", "max_model_len", "created", "parent", "meta"] as const).flatMap((k) =>
      entry[k] === undefined || entry[k] === null ? [] : [[k, entry[k]]]
    )
  )

/**
 * A model on an OpenAI-compatible chat-completions server, through `fetch`. `info` lists `/models` once
 * and fails with ModelNotFoundError naming what the server does serve. OpenAI-compatible servers report no
 * hash of the weights, so the digest is null; `/models`' `root` (vLLM: the weights it loaded), `owned_by`
 * and `max_model_len` are kept in the details. Every request of a call carries its AbortSignal, so a
 * timeout closes the connection. No timeout or retry here: wrap it with `Resilience.withResilience`.
 *
 * @since 0.2.0
 */
export const make = (options: OpenAiModelOptions): Effect.Effect<OpenAiModelShape> =>
  Effect.gen(function* () {
    const { baseUrl, model } = options
    const spec = options.spec ?? `openai:${model}`
    const ctx: CallContext = {
      spec,
      model,
      baseUrl,
      apiKeyEnv: options.apiKeyEnv ?? DEFAULT_API_KEY_ENV,
      keySent: options.apiKey !== undefined
    }
    const endpoint: Endpoint = {
      baseUrl,
      authorization: options.apiKey === undefined ? undefined : `Bearer ${Redacted.value(options.apiKey)}`,
      fetch: options.fetch ?? fetch
    }
    const mapError = toModelError(ctx)
    const call = <A>(f: (signal: AbortSignal) => Promise<A>) => Effect.tryPromise({ try: f, catch: mapError })
    const known = yield* Ref.make(Option.none<LanguageModel.ModelInfo>())

    const lookup: Effect.Effect<LanguageModel.ModelInfo, ModelError.ModelError> = Effect.gen(function* () {
      const listed = yield* call((signal) => listModels(endpoint, signal))
      const entry = listed.find((m) => m.id === model)
      if (entry === undefined) return yield* notServed(ctx, listed.map((m) => m.id))
      return { spec, provider: "openai", model, digest: null, host: baseUrl, details: detailsOf(entry) }
    })

    const info = Ref.get(known).pipe(
      Effect.flatMap(
        Option.match({
          onSome: Effect.succeed,
          onNone: () => lookup.pipe(Effect.tap((i) => Ref.set(known, Option.some(i))))
        })
      ),
      Effect.withSpan("OpenAiModel.info", { attributes: { spec, host: baseUrl } })
    )

    /** A 404 on a completion: say what the server serves, if it says. */
    const explainNotFound = (e: ModelError.ModelError): Effect.Effect<never, ModelError.ModelError> =>
      e._tag === "ModelNotFoundError"
        ? call((signal) => listModels(endpoint, signal)).pipe(
            Effect.map((listed): ModelError.ModelError => notServed(ctx, listed.map((m) => m.id), e.message.match(/server said: (.*)\)$/)?.[1])),
            Effect.orElseSucceed(() => e),
            Effect.flatMap((err) => Effect.fail(err))
          )
        : Effect.fail(e)

    const generate = Effect.fn("OpenAiModel.generate")(function* (
      messages: ReadonlyArray<ChatMessage.ChatMessage>,
      generationOptions: GenerationOptions.GenerationOptions
    ) {
      const { digest } = yield* info
      const body = chatRequest(model, messages, generationOptions)
      const send = options.stream === false ? complete : stream
      const [elapsed, answer] = yield* Effect.timed(call((signal) => send(endpoint, body, signal))).pipe(
        Effect.catchAll(explainNotFound)
      )
      return toGeneration(answer, Duration.toMillis(elapsed), digest, baseUrl)
    })

    return { spec, provider: "openai", model, cacheable: true, host: baseUrl, info, generate }
  })
