import { type Embedder, EvalError } from "@clinical-evals/core"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Bm25 from "./Bm25.js"
import * as Chunker from "./Chunker.js"
import * as EmbeddingRetriever from "./EmbeddingRetriever.js"
import * as EmbeddingStore from "./EmbeddingStore.js"
import type { RetrievalError } from "./RetrievalError.js"
import { DEFAULT_K, type RetrievalConfig } from "./RetrievalStage.js"

/**
 * The retrieval flags of an evaluator as given (null: not given): `--rag`, `--retrieve-k`,
 * `--embed-model`, `--embed-cache`, `--chunk-chars`, `--chunk-overlap`.
 *
 * @since 0.1.0
 */
export interface Flags {
  readonly rag: boolean
  readonly retrieveK: number | null
  readonly embedModel: string | null
  readonly embedCache: string | null
  readonly chunkChars: number | null
  readonly chunkOverlap: number | null
}

/**
 * Checked retrieval settings, as run.json records them (`options.retrieval`).
 *
 * @since 0.1.0
 */
export interface Settings {
  readonly k: number
  readonly chunking: Chunker.ChunkOptions
  /** `ollama:<tag>`, or null for BM25. */
  readonly embedModel: string | null
  /** The embedding store (only used with an embedding model). */
  readonly embedCache: string
}

const usage = (message: string) => new EvalError.UsageError({ message })

/**
 * Checks the flags: null when `--rag` is off (any other retrieval flag is then a usage error),
 * else the settings with defaults (k 5, chunks of 1,000 characters with 1 sentence of overlap, BM25,
 * the default store file). `--retrieve-k` and `--chunk-chars` must be at least 1, `--chunk-overlap`
 * at least 0.
 *
 * @since 0.1.0
 */
export const fromFlags = (flags: Flags, env: Record<string, string | undefined> = process.env): Effect.Effect<Settings | null, EvalError.UsageError> => {
  const given = [
    ["--retrieve-k", flags.retrieveK],
    ["--embed-model", flags.embedModel],
    ["--embed-cache", flags.embedCache],
    ["--chunk-chars", flags.chunkChars],
    ["--chunk-overlap", flags.chunkOverlap]
  ].filter(([, v]) => v !== null).map(([name]) => name as string)
  if (!flags.rag) {
    return given.length === 0 ? Effect.succeed(null) : Effect.fail(usage(`${given.join(", ")} need${given.length === 1 ? "s" : ""} --rag`))
  }
  const k = flags.retrieveK ?? DEFAULT_K
  if (!Number.isInteger(k) || k < 1) return Effect.fail(usage(`--retrieve-k must be a whole number of at least 1, got ${k}`))
  const maxChars = flags.chunkChars ?? Chunker.DEFAULT_OPTIONS.maxChars
  if (!Number.isInteger(maxChars) || maxChars < 1) return Effect.fail(usage(`--chunk-chars must be a whole number of at least 1, got ${maxChars}`))
  const overlapSentences = flags.chunkOverlap ?? Chunker.DEFAULT_OPTIONS.overlapSentences
  if (!Number.isInteger(overlapSentences) || overlapSentences < 0) {
    return Effect.fail(usage(`--chunk-overlap must be a whole number of at least 0, got ${overlapSentences}`))
  }
  const embedModel = flags.embedModel?.trim() ?? null
  if (embedModel !== null && !/^ollama:\S+/i.test(embedModel)) {
    return Effect.fail(usage(`--embed-model must be ollama:<tag> (e.g. ollama:nomic-embed-text), got "${flags.embedModel}"`))
  }
  return Effect.succeed({
    k,
    chunking: { maxChars, overlapSentences },
    embedModel,
    embedCache: flags.embedCache ?? EmbeddingStore.defaultFile(env)
  })
}

/**
 * The retrieval a task is built with, from checked settings: BM25, or the embedding retriever over
 * the store (opened for the life of the scope) with the embedder (and its digest, when known) that
 * `resolveEmbedder` gives for the spec, e.g. `OllamaEmbedder.resolve` from `@clinical-evals/models`.
 *
 * @since 0.1.0
 */
export const build = <E>(
  settings: Settings,
  resolveEmbedder: (spec: string) => Effect.Effect<{ readonly embedder: Embedder.EmbedderShape; readonly digest: string | null }, E>
): Effect.Effect<RetrievalConfig, E | RetrievalError, Scope.Scope> =>
  Effect.gen(function* () {
    if (settings.embedModel === null) return { retriever: Bm25.retriever(), k: settings.k, chunking: settings.chunking }
    const { embedder, digest } = yield* resolveEmbedder(settings.embedModel)
    const store = yield* EmbeddingStore.make(settings.embedCache)
    return { retriever: EmbeddingRetriever.make({ embedder, store, digest }), k: settings.k, chunking: settings.chunking }
  })
