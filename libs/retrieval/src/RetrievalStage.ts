import * as Effect from "effect/Effect"
import { type Chunk, overlaps, type SourceDocument } from "./Chunk.js"
import * as Chunker from "./Chunker.js"
import type { Hit, Index, Retriever } from "./Retriever.js"
import type { RetrievalError } from "./RetrievalError.js"

/**
 * How a task retrieves: the retriever, how many chunks go into the prompt (`k`, the CLI's
 * `--retrieve-k`), and how documents are chunked.
 *
 * @since 0.1.0
 */
export interface RetrievalConfig {
  readonly retriever: Retriever
  readonly k: number
  readonly chunking?: Chunker.ChunkOptions
}

/**
 * The default number of chunks put into the prompt: 5.
 *
 * @since 0.1.0
 */
export const DEFAULT_K = 5

/**
 * A character range of one document that holds the answer (e.g. LongHealth's `answer_location`).
 *
 * @since 0.1.0
 */
export interface AnswerRange {
  readonly document: string
  readonly start: number
  readonly end: number
}

/**
 * What one retrieval found: the chunks searched, and the hits, best first.
 *
 * @since 0.1.0
 */
export interface Retrieved {
  readonly chunks: ReadonlyArray<Chunk>
  readonly hits: ReadonlyArray<Hit>
}

/**
 * Chunks the documents, indexes them with the retriever and returns the `k` best chunks for the query
 * (the stage a task runs per sample when each sample has its own documents).
 *
 * @since 0.1.0
 */
export const retrieve = (
  config: RetrievalConfig,
  query: string,
  documents: ReadonlyArray<SourceDocument>
): Effect.Effect<Retrieved, RetrievalError> =>
  Effect.gen(function* () {
    const chunks = Chunker.splitAll(documents, config.chunking ?? Chunker.DEFAULT_OPTIONS)
    const index = yield* config.retriever.index(chunks)
    return { chunks, hits: yield* index.search(query, config.k) }
  })

/**
 * Indexes a whole corpus once (for tasks whose samples all search the same documents, such as a
 * user's corpus from `Corpus.load`); search the returned index per sample.
 *
 * @since 0.1.0
 */
export const indexCorpus = (
  config: RetrievalConfig,
  documents: ReadonlyArray<SourceDocument>
): Effect.Effect<Index & { readonly chunks: ReadonlyArray<Chunk> }, RetrievalError> =>
  Effect.gen(function* () {
    const chunks = Chunker.splitAll(documents, config.chunking ?? Chunker.DEFAULT_OPTIONS)
    const index = yield* config.retriever.index(chunks)
    return { ...index, chunks }
  })

/**
 * Whether any hit overlaps any answer range; null when there is no answer range to find.
 *
 * @since 0.1.0
 */
export const hit = (hits: ReadonlyArray<Hit>, answers: ReadonlyArray<AnswerRange>): boolean | null =>
  answers.length === 0
    ? null
    : hits.some((h) => answers.some((a) => a.document === h.chunk.document && overlaps(h.chunk, a.start, a.end)))

/**
 * The chunks that overlap any answer range (what a perfect retriever would find).
 *
 * @since 0.1.0
 */
export const answerChunks = (chunks: ReadonlyArray<Chunk>, answers: ReadonlyArray<AnswerRange>): ReadonlyArray<Chunk> =>
  chunks.filter((c) => answers.some((a) => a.document === c.document && overlaps(c, a.start, a.end)))

/**
 * What a record keeps of a retrieval (`details.retrieval`): the retriever, k, the chunking, how many
 * chunks were searched, and each retrieved chunk's id, rank, score (6 decimals) and offsets.
 *
 * @since 0.1.0
 */
export const details = (config: RetrievalConfig, retrieved: Retrieved) => ({
  retriever: config.retriever.name,
  k: config.k,
  chunking: config.chunking ?? Chunker.DEFAULT_OPTIONS,
  searched: retrieved.chunks.length,
  retrieved: retrieved.hits.map((h) => ({
    id: h.chunk.id,
    rank: h.rank,
    score: Math.round(h.score * 1e6) / 1e6,
    start: h.chunk.start,
    end: h.chunk.end
  }))
})
