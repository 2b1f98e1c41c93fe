import * as Effect from "effect/Effect"
import type { Chunk } from "./Chunk.js"
import { topK } from "./internal/topK.js"
import type { Hit, Index, Retriever } from "./Retriever.js"

/**
 * BM25's parameters: `k1` (term-frequency saturation) and `b` (length normalisation).
 *
 * @since 0.1.0
 */
export interface Bm25Options {
  readonly k1: number
  readonly b: number
}

/**
 * The usual defaults (Robertson and Zaragoza; Lucene, Elasticsearch): k1 = 1.2, b = 0.75.
 *
 * @since 0.1.0
 */
export const DEFAULT_OPTIONS: Bm25Options = { k1: 1.2, b: 0.75 }

/**
 * English function words left out of queries and documents: they match everywhere and rank nothing.
 *
 * @since 0.1.0
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  ("a an and are as at be been but by did do does for from had has have he her his how in into is it its " +
    "of on or she that the their them there these they this those to was were what when where which who whom why " +
    "will with would you your").split(" ")
)

/**
 * The terms of a text: lower-cased runs of Unicode letters and digits (so `HbA1c` is `hba1c`, `5.2`
 * gives `5` and `2`, `IIIB` is `iiib`), stopwords ({@link STOPWORDS}) removed, no stemming.
 *
 * @since 0.1.0
 */
export const tokenize = (text: string): Array<string> => {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
  return words.filter((w) => !STOPWORDS.has(w))
}

/**
 * A BM25 index over chunks, in memory: postings as typed arrays per term.
 *
 * @since 0.1.0
 */
export interface Bm25Index {
  readonly size: number
  readonly options: Bm25Options
  /** Every chunk's BM25 score for the query, in chunk order (0 where no query term occurs). */
  readonly scores: (query: string) => Float64Array
  readonly search: (query: string, k: number) => ReadonlyArray<Hit>
}

/**
 * Builds the index. The score of chunk d for query q is the sum over the distinct query terms t of
 * `idf(t) · tf(t,d)·(k1+1) / (tf(t,d) + k1·(1 − b + b·|d|/avgdl))`, with `idf(t) = ln(1 + (N − df + 0.5)/(df + 0.5))`
 * (Lucene's form, never negative), |d| the chunk's term count and avgdl the mean over the chunks.
 *
 * @since 0.1.0
 */
export const build = (chunks: ReadonlyArray<Chunk>, options: Bm25Options = DEFAULT_OPTIONS): Bm25Index => {
  const { k1, b } = options
  const n = chunks.length
  const lengths = new Float64Array(n)
  const postings = new Map<string, { docs: Array<number>; tfs: Array<number> }>()
  for (let d = 0; d < n; d++) {
    const terms = tokenize(chunks[d]!.text)
    lengths[d] = terms.length
    const tf = new Map<string, number>()
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1)
    for (const [t, f] of tf) {
      let p = postings.get(t)
      if (p === undefined) postings.set(t, (p = { docs: [], tfs: [] }))
      p.docs.push(d)
      p.tfs.push(f)
    }
  }
  let total = 0
  for (let d = 0; d < n; d++) total += lengths[d]!
  const avgdl = n === 0 ? 0 : total / n
  const norm = new Float64Array(n)
  for (let d = 0; d < n; d++) norm[d] = k1 * (1 - b + (avgdl === 0 ? 0 : (b * lengths[d]!) / avgdl))
  const index = new Map<string, { idf: number; docs: Int32Array; tfs: Float64Array }>()
  for (const [t, p] of postings) {
    const df = p.docs.length
    index.set(t, { idf: Math.log(1 + (n - df + 0.5) / (df + 0.5)), docs: Int32Array.from(p.docs), tfs: Float64Array.from(p.tfs) })
  }
  const scores = (query: string): Float64Array => {
    const acc = new Float64Array(n)
    for (const t of new Set(tokenize(query))) {
      const p = index.get(t)
      if (p === undefined) continue
      const { idf, docs, tfs } = p
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i]!
        const f = tfs[i]!
        acc[d] = acc[d]! + (idf * f * (k1 + 1)) / (f + norm[d]!)
      }
    }
    return acc
  }
  return {
    size: n,
    options,
    scores,
    search: (query, k) => {
      const s = scores(query)
      return topK(s, k, 0).map((d, r) => ({ chunk: chunks[d]!, score: s[d]!, rank: r + 1 }))
    }
  }
}

/**
 * The lexical retriever: BM25 over the chunks it is given, built in memory (deterministic, no model).
 *
 * @since 0.1.0
 */
export const retriever = (options: Bm25Options = DEFAULT_OPTIONS): Retriever => ({
  name: `bm25(k1=${options.k1},b=${options.b})`,
  index: (chunks) =>
    Effect.sync((): Index => {
      const index = build(chunks, options)
      return { size: index.size, search: (query, k) => Effect.sync(() => index.search(query, k)) }
    })
})
