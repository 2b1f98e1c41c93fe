import { type ChatMessage, Generation, type GenerationOptions, type LanguageModel, type ModelError } from "@clinical-evals/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { ChatRequest, ChatResponse, ModelDetails, Ollama } from "ollama"
import { normalizeModelName } from "./internal/names.js"
import { formatHost, request, streamChat } from "./internal/ollamaClient.js"
import { type CallContext, toModelError } from "./internal/ollamaErrors.js"
import { splitThinking } from "./internal/thinking.js"

/**
 * A model on an Ollama server, with the host and tag it was made for.
 *
 * @since 0.1.0
 */
export interface OllamaModelShape extends LanguageModel.LanguageModelShape {
  readonly host: string
  readonly tag: string
}

/** @since 0.1.0 */
export interface OllamaModelOptions {
  /** The model tag, e.g. `llama3:8b`. */
  readonly tag: string
  /** A normalised host (see `OllamaHost.resolve`). */
  readonly host: string
  /** The spec to report; defaults to `ollama:<tag>`. */
  readonly spec?: string
  /** The fetch to send requests with (defaults to the global one). */
  readonly fetch?: typeof fetch
}

/** The chat request for one call: the options passed through as Ollama names them. */
export const chatRequest = (
  tag: string,
  messages: ReadonlyArray<ChatMessage.ChatMessage>,
  options: GenerationOptions.GenerationOptions
): Omit<ChatRequest, "stream"> => ({
  model: tag,
  messages: messages.map((m) => ({ role: m.role, content: m.content })),
  options: {
    temperature: options.temperature,
    num_predict: options.maxTokens,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.numCtx !== undefined ? { num_ctx: options.numCtx } : {})
  },
  ...(options.keepAlive !== undefined ? { keep_alive: options.keepAlive } : {}),
  ...(options.format !== undefined ? { format: options.format as string | object } : {})
})

const ms = (ns: unknown): number | undefined => (typeof ns === "number" && Number.isFinite(ns) ? ns / 1e6 : undefined)
const count = (n: unknown): number | null => (typeof n === "number" && Number.isInteger(n) ? n : null)

/**
 * Turns an accumulated answer into a Generation: thinking apart, `length` flagged, ns → ms. Every field
 * is built here with its schema's type (what the server sent is checked on the way), so the Generation
 * is made without validating it again.
 */
export const toGeneration = (
  answer: { readonly content: string; readonly thinking: string; readonly final: ChatResponse },
  latencyMs: number,
  digest: string | null
): Generation.Generation => {
  const inline = splitThinking(answer.content)
  const separate = answer.thinking.trim()
  const thinking = separate === "" ? inline.thinking : inline.thinking === "" ? separate : `${separate}\n${inline.thinking}`
  const final = answer.final
  const reason: unknown = final.done_reason
  const finishReason = typeof reason === "string" && reason !== "" ? reason : "stop"
  const durations: { totalMs?: number; loadMs?: number; promptEvalMs?: number; evalMs?: number } = {}
  const totalMs = ms(final.total_duration)
  if (totalMs !== undefined) durations.totalMs = totalMs
  const loadMs = ms(final.load_duration)
  if (loadMs !== undefined) durations.loadMs = loadMs
  const promptEvalMs = ms(final.prompt_eval_duration)
  if (promptEvalMs !== undefined) durations.promptEvalMs = promptEvalMs
  const evalMs = ms(final.eval_duration)
  if (evalMs !== undefined) durations.evalMs = evalMs
  return new Generation.Generation(
    {
      text: inline.text,
      thinking: thinking === "" ? null : thinking,
      finishReason,
      truncated: finishReason === "length",
      promptTokens: count(final.prompt_eval_count),
      completionTokens: count(final.eval_count),
      latencyMs,
      modelDigest: typeof digest === "string" ? digest : null,
      ...(Object.keys(durations).length > 0 ? { durations } : {})
    },
    true
  )
}

const SHOW_DIGEST = /sha256[-:]([0-9a-f]{64})/

/**
 * A model served by Ollama, through the official client: chat API, streamed and accumulated. Each call
 * uses its own light client whose requests carry the call's AbortSignal, so interrupting the call (a
 * timeout) closes its connection. The digest is looked up once (/api/tags, else /api/show) and kept.
 * No timeout or retry here: wrap it with `Resilience.withResilience`. Only `info`'s lookup has a span:
 * `generate` runs once per sample and stays lean.
 *
 * @since 0.1.0
 */
export const make = (options: OllamaModelOptions): Effect.Effect<OllamaModelShape> =>
  Effect.sync(() => {
    const { host, tag } = options
    const spec = options.spec ?? `ollama:${tag}`
    const ctx: CallContext = { spec, tag, host }
    const mapError = toModelError(ctx)
    const clientHost = formatHost(host)
    const fetchImpl = options.fetch ?? fetch
    const call = <A>(f: (client: Ollama) => Promise<A>) => request(clientHost, fetchImpl, mapError, f)
    // The model's info once looked up; the lookup is repeated until it succeeds.
    let known: LanguageModel.ModelInfo | null = null

    const infoOf = (digest: string | null, details: ModelDetails | Record<string, unknown>): LanguageModel.ModelInfo => ({
      spec,
      provider: "ollama",
      model: tag,
      digest,
      host,
      details: { ...details }
    })

    const lookup: Effect.Effect<LanguageModel.ModelInfo, ModelError.ModelError> = Effect.gen(function* () {
      const wanted = normalizeModelName(tag)
      const listed = yield* Effect.either(call((c) => c.list()))
      if (Either.isRight(listed)) {
        const entry = listed.right.models.find(
          (m) => normalizeModelName(m.name) === wanted || normalizeModelName(m.model) === wanted
        )
        if (entry) return infoOf(entry.digest, entry.details)
      }
      const shown = yield* call((c) => c.show({ model: tag }))
      const raw = (shown as { digest?: unknown }).digest
      const digest = typeof raw === "string" && raw !== "" ? raw.replace(/^sha256:/, "") : (SHOW_DIGEST.exec(shown.modelfile ?? "")?.[1] ?? null)
      return infoOf(digest, shown.details ?? {})
    })
    const lookupOnce = lookup.pipe(
      Effect.tap((i) => Effect.sync(() => void (known = i))),
      Effect.withSpan("OllamaModel.info", { attributes: { spec, host } })
    )

    const info: Effect.Effect<LanguageModel.ModelInfo, ModelError.ModelError> = Effect.suspend(() =>
      known === null ? lookupOnce : Effect.succeed(known)
    )

    const generate = (messages: ReadonlyArray<ChatMessage.ChatMessage>, generationOptions: GenerationOptions.GenerationOptions) =>
      Effect.flatMap(info, ({ digest }) => {
        const body = chatRequest(tag, messages, generationOptions)
        return Effect.map(Effect.timed(call((c) => streamChat(c, body))), ([elapsed, answer]) =>
          toGeneration(answer, Duration.toMillis(elapsed), digest)
        )
      })

    return { spec, provider: "ollama", model: tag, cacheable: true, host, tag, info, generate }
  })
