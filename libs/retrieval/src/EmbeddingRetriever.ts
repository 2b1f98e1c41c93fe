import type { Embedder } from "@clinical-evals/core"
import * as Effect from "effect/Effect"
import type { Chunk } from "./Chunk.js"
import { type EmbeddingStoreShape, modelKey, textHash } from "./EmbeddingStore.js"
import { RetrievalError } from "./RetrievalError.js"
import type { Index, Retriever } from "./Retriever.js"
import * as VectorSearch from "./VectorSearch.js"

/**
 * What the embedding retriever needs: the embedding model (e.g. `OllamaEmbedder.resolve` from
 * `@clinical-evals/models`, which batches /api/embed calls), the store its vectors are kept in, and the
 * model's digest when known (part of the store key).
 *
 * @since 0.1.0
 */
export interface EmbeddingRetrieverOptions {
  readonly embedder: Embedder.EmbedderShape
  readonly store: EmbeddingStoreShape
  readonly digest?: string | null
  /** Texts sent to the embedder (and stored) per call, so that an interrupted corpus keeps what was done. Default 256. */
  readonly batchSize?: number
}

/**
 * The embedding retriever also counts what it did, for tests and logs.
 *
 * @since 0.1.0
 */
export interface EmbeddingRetriever extends Retriever {
  /** The key its vectors are stored under (spec, and `@digest` when known). */
  readonly modelKey: string
  /** Texts sent to the embedding model so far (the rest came from the store or memory). */
  readonly embedded: () => number
}

/**
 * The embedding retriever: chunks and queries are embedded once per (model, text) and kept in the
 * store; a search is the cosine similarity of the query with every chunk, brute force over a
 * `Float32Array` ({@link VectorSearch}), best first. Vectors also stay in memory for the life of the
 * retriever, so that chunks shared by many samples are read from the store once.
 *
 * @since 0.1.0
 */
export const make = (options: EmbeddingRetrieverOptions): EmbeddingRetriever => {
  const { embedder, store } = options
  const key = modelKey(embedder.spec, options.digest)
  const batchSize = Math.max(1, options.batchSize ?? 256)
  const memory = new Map<string, Float32Array>()
  let embedded = 0
  // One lookup at a time: samples prompted concurrently often share chunks (LongHealth's distractors),
  // and a text must be embedded once, not once per sample that asked for it at the same moment.
  const lock = Effect.unsafeMakeSemaphore(1)

  const vectorsFor = (texts: ReadonlyArray<string>) =>
    lock.withPermits(1)(Effect.gen(function* () {
      const hashes = texts.map(textHash)
      const unknown = [...new Set(hashes.filter((h) => !memory.has(h)))]
      if (unknown.length > 0) {
        const stored = yield* store.get(key, unknown)
        for (const [h, v] of stored) memory.set(h, v)
      }
      const byHash = new Map<string, string>()
      hashes.forEach((h, i) => {
        if (!memory.has(h)) byHash.set(h, texts[i]!)
      })
      const missing = [...byHash.entries()]
      for (let i = 0; i < missing.length; i += batchSize) {
        const batch = missing.slice(i, i + batchSize)
        const vectors = yield* embedder.embed(batch.map(([, t]) => t)).pipe(
          Effect.mapError((e) => new RetrievalError({ stage: "embed", message: `${embedder.spec}: ${e.message}` }))
        )
        const entries = batch.map(([hash], j) => ({ hash, vector: Float32Array.from(vectors[j] ?? []) }))
        embedded += batch.length
        yield* store.put(key, entries)
        for (const e of entries) memory.set(e.hash, e.vector)
      }
      return hashes.map((h) => memory.get(h)!)
    }))

  const index = (chunks: ReadonlyArray<Chunk>) =>
    Effect.gen(function* () {
      const vectors = yield* vectorsFor(chunks.map((c) => c.text))
      const matrix = VectorSearch.fromVectors(vectors)
      if ("mismatch" in matrix) {
        return yield* new RetrievalError({
          stage: "embed",
          message: `${embedder.spec} gave vectors of different sizes (${vectors[0]?.length} and ${vectors[matrix.mismatch]?.length})`
        })
      }
      return {
        size: chunks.length,
        search: (query: string, k: number) =>
          Effect.gen(function* () {
            if (chunks.length === 0) return []
            const [q] = yield* vectorsFor([query])
            if (q!.length !== matrix.dimensions) {
              return yield* new RetrievalError({
                stage: "embed",
                message: `${embedder.spec} gave the query a vector of ${q!.length} dimensions, the chunks ${matrix.dimensions}`
              })
            }
            return VectorSearch.search(matrix, q!, k).map(({ row, score }, r) => ({ chunk: chunks[row]!, score, rank: r + 1 }))
          })
      } satisfies Index
    })

  return { name: `embedding(${embedder.spec})`, modelKey: key, embedded: () => embedded, index }
}
