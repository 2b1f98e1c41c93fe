import type * as Effect from "effect/Effect"
import type { Chunk } from "./Chunk.js"
import type { RetrievalError } from "./RetrievalError.js"

/**
 * One retrieved chunk: its rank (1 = best) and the retriever's score (BM25 score, or cosine similarity).
 *
 * @since 0.1.0
 */
export interface Hit {
  readonly chunk: Chunk
  readonly score: number
  readonly rank: number
}

/**
 * A searchable set of chunks, built by a {@link Retriever}.
 *
 * @since 0.1.0
 */
export interface Index {
  readonly size: number
  /** The `k` best chunks for the query, best first (ties: corpus order); BM25 returns only chunks sharing a term with the query. */
  readonly search: (query: string, k: number) => Effect.Effect<ReadonlyArray<Hit>, RetrievalError>
}

/**
 * A way to rank chunks for a query. `name` says which and how, for records and run folders
 * (`bm25(k1=1.2,b=0.75)`, `embedding(ollama:nomic-embed-text)`). A task that retrieves takes one in its
 * make options and indexes the chunks it wants to search (all of a corpus once, or one sample's
 * documents per sample).
 *
 * @since 0.1.0
 */
export interface Retriever {
  readonly name: string
  readonly index: (chunks: ReadonlyArray<Chunk>) => Effect.Effect<Index, RetrievalError>
}
