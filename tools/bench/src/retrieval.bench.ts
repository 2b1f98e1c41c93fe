/**
 * Retrieval benchmarks (`npm run bench`): on a generated corpus of 100,000 chunks, the embedding store
 * (write once, read back on a later run), brute-force cosine search over a Float32Array against the
 * same search over number[] rows with core's `Embedder.cosine`, how search time grows with the corpus
 * (and where it stops being fast enough), and BM25 index build and query against a scan without an
 * index. See docs/benchmarks.md for the method and how to read the numbers.
 */
import { Embedder } from "@clinical-evals/core"
import { Bm25, type Chunk, EmbeddingRetriever, EmbeddingStore, VectorSearch } from "@clinical-evals/retrieval"
import * as Effect from "effect/Effect"
import { mkdtempSync, rmSync, statSync } from "node:fs"
import { cpus, loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { sideBySide, sinkValue, type Timing } from "./Measure.js"
import * as TextGenerator from "./TextGenerator.js"

const CHUNKS = 100_000
const DIMENSIONS = 384
const K = 5
const QUERIES = 6
/** The number[] baseline and the BM25 scan are slow: they run on the first 2 queries only. */
const SLOW_QUERIES = 2
/** "Fast enough": one search within this many milliseconds (under 5% of a one-second model call). */
const FAST_ENOUGH_MS = 50

const fmt = (x: number, digits = 0) => x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
const pad = (s: string, n: number) => s.padStart(n)
const time = <A>(f: () => A): { value: A; ms: number } => {
  const start = performance.now()
  const value = f()
  return { value, ms: performance.now() - start }
}

// ---- The corpus: clinical-style sentences plus rarer terms (a made-up vocabulary of 50,000 words, skewed). ----
const random = TextGenerator.seeded(11)
const syllables = ["ka", "lo", "mi", "ren", "tas", "vor", "pe", "dul", "ni", "gra", "sto", "fen", "ox", "ul", "zim", "bra"]
const rare = Array.from({ length: 50_000 }, (_, i) => {
  let w = ""
  for (let n = i + 1; n > 0; n = Math.floor(n / 16)) w += syllables[n % 16]
  return w
})
const rareWord = () => rare[Math.floor(rare.length * random() ** 3)]!
const chunkText = () => `${TextGenerator.pair(random, 18).reference.replace(/\n/g, " ")} ${Array.from({ length: 10 }, rareWord).join(" ")}.`
const generated = time(() =>
  Array.from({ length: CHUNKS }, (_, i): Chunk.Chunk => {
    const text = chunkText()
    return { id: `doc-${Math.floor(i / 8)}#${i % 8}`, document: `doc-${Math.floor(i / 8)}`, index: i % 8, start: 0, end: text.length, text }
  })
)
const chunks = generated.value
const queries = Array.from({ length: QUERIES }, () => `${TextGenerator.pair(random, 8).reference.replace(/\n/g, " ")} ${rareWord()} ${rareWord()}`)

/** A deterministic in-process embedding (feature hashing, as tools/fake-ollama's): texts sharing words are closer. */
const fnv = (s: string) => {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0
  return h
}
const hashEmbed = (text: string): Array<number> => {
  const v = new Array<number>(DIMENSIONS).fill(0)
  for (const w of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const h = fnv(w)
    v[h % DIMENSIONS]! += (h >>> 16) & 1 ? 1 : -1
  }
  return v
}
let embedderCalls = 0
const embedder: Embedder.EmbedderShape = {
  spec: "bench:hash-384",
  embed: (texts) => Effect.sync(() => ((embedderCalls += 1), texts.map(hashEmbed)))
}

const started = performance.now()
console.log(`clinical-evals retrieval benchmarks, ${new Date().toISOString()}`)
console.log(`node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? "unknown CPU"}, load average ${loadavg()[0]!.toFixed(2)} at start`)
const words = chunks.reduce((n, c) => n + c.text.split(" ").length, 0)
console.log(`corpus: ${fmt(CHUNKS)} chunks, ${fmt(words / CHUNKS, 1)} words each on average, generated in ${fmt(generated.ms)} ms; ${DIMENSIONS}-dimension vectors`)

// ---- 1. The embedding store: a first run embeds and writes every vector, a later run only reads. ----
const dir = mkdtempSync(join(tmpdir(), "retrieval-bench-"))
const file = join(dir, "embeddings.sqlite")
const indexOnce = Effect.scoped(
  Effect.gen(function* () {
    const store = yield* EmbeddingStore.make(file)
    const retriever = EmbeddingRetriever.make({ embedder, store, batchSize: 1000 })
    const start = performance.now()
    const index = yield* retriever.index(chunks)
    return { ms: performance.now() - start, embedded: retriever.embedded(), size: index.size }
  })
)
const embedOnly = time(() => chunks.map((c) => hashEmbed(c.text)))
const cold = await Effect.runPromise(indexOnce)
const callsAfterCold = embedderCalls
const warm = await Effect.runPromise(indexOnce)
if (warm.embedded !== 0 || embedderCalls !== callsAfterCold) throw new Error("the second run embedded again: the store did not serve it")
const fileMb = statSync(file).size / 1e6
console.log(`\nEmbedding store (SQLite file, ${fmt(fileMb, 1)} MB for ${fmt(CHUNKS)} vectors)`)
console.log(`  ${"".padEnd(58)}${pad("ms", 10)}${pad("vectors/s", 12)}`)
const row = (label: string, ms: number) => console.log(`  ${label.padEnd(58)}${pad(fmt(ms), 10)}${pad(fmt(CHUNKS / (ms / 1000)), 12)}`)
row("in-process embedding only (the stand-in model)", embedOnly.ms)
row("first run: hash texts, embed, write every vector", cold.ms)
row("later run: hash texts, read every vector back, build matrix", warm.ms)
console.log(`  later run embedded ${warm.embedded} texts (first run: ${fmt(cold.embedded)})`)
console.log(`  RATIO ${"first run / later run".padEnd(50)}${pad(fmt(cold.ms / warm.ms, 2), 6)}x  (with a real model the first run is far slower: its calls dominate)`)
rmSync(dir, { recursive: true, force: true })

// ---- 2. Cosine search, 100,000 chunks: Float32Array matrix vs number[] rows with Embedder.cosine. ----
const vectors = embedOnly.value
const matrix = VectorSearch.fromVectors(vectors)
if ("mismatch" in matrix) throw new Error("vectors of different sizes")
const queryVectors = queries.map(hashEmbed)
const naiveTopK = (scores: ArrayLike<number>, k: number): Array<number> => {
  const best: Array<number> = []
  for (let i = 0; i < scores.length; i++) {
    if (best.length === k && scores[i]! <= scores[best[k - 1]!]!) continue
    let p = best.length === k ? k - 1 : best.length
    best[p] = i
    while (p > 0 && scores[best[p - 1]!]! < scores[i]!) {
      best[p] = best[p - 1]!
      best[p - 1] = i
      p--
    }
  }
  return best
}
const numberSearch = (q: ReadonlyArray<number>) => {
  const scores = new Float64Array(vectors.length)
  for (let r = 0; r < vectors.length; r++) scores[r] = Embedder.cosine(vectors[r]!, q)
  return naiveTopK(scores, K)
}
for (const q of queryVectors) {
  const a = VectorSearch.search(matrix, q, K).map((h) => h.row)
  const b = numberSearch(q)
  // Float32 rounding may swap near-ties; the best chunk must agree.
  if (a[0] !== b[0]) throw new Error(`typed-array and number[] search disagree on the best chunk: ${a} vs ${b}`)
}
const cosine = sideBySide(
  [
    { name: "library VectorSearch.search (Float32Array rows, unit length)", pass: () => queryVectors.map((q) => VectorSearch.search(matrix, q, K)) },
    { name: "baseline number[] rows, core Embedder.cosine per row", pass: () => queryVectors.slice(0, SLOW_QUERIES).map(numberSearch) }
  ],
  3
)
const perQuery = (t: Timing) => t.medianMs / (t === cosine[1] ? SLOW_QUERIES : QUERIES)
console.log(`\nCosine top-${K} over ${fmt(CHUNKS)} chunks (${DIMENSIONS} dimensions), ${QUERIES} queries per pass, median of 3 rounds`)
console.log(`  ${"".padEnd(64)}${pad("ms/query", 10)}${pad("queries/s", 12)}`)
for (const t of cosine) console.log(`  ${t.name.padEnd(64)}${pad(fmt(perQuery(t), 1), 10)}${pad(fmt(1000 / perQuery(t), 1), 12)}`)
console.log(`  RATIO ${"number[] / Float32Array, per query".padEnd(50)}${pad(fmt(perQuery(cosine[1]!) / perQuery(cosine[0]!), 2), 6)}x`)

// ---- 3. How search time grows with the corpus, and where it stops being fast enough. ----
console.log(`\nCosine search time by corpus size (Float32Array; fast enough: at most ${FAST_ENOUGH_MS} ms per query)`)
console.log(`  ${"chunks".padStart(10)}${pad("ms/query", 10)}${pad("queries/s", 12)}${pad("µs per 1k chunks", 18)}`)
const sizes = [12_500, 25_000, 50_000, 100_000]
const perThousand: Array<number> = []
for (const n of sizes) {
  const sub: VectorSearch.VectorMatrix = { dimensions: DIMENSIONS, count: n, data: matrix.data.subarray(0, n * DIMENSIONS) }
  const [t] = sideBySide([{ name: `${n}`, pass: () => queryVectors.map((q) => VectorSearch.search(sub, q, K)) }], 2)
  const ms = t!.medianMs / QUERIES
  perThousand.push((ms * 1000) / (n / 1000))
  console.log(`  ${pad(fmt(n), 10)}${pad(fmt(ms, 2), 10)}${pad(fmt(1000 / ms, 0), 12)}${pad(fmt((ms * 1000) / (n / 1000), 1), 18)}`)
}
const usPerThousand = perThousand.at(-1)!
const limit = (FAST_ENOUGH_MS * 1000) / usPerThousand * 1000
console.log(
  `  at the 100,000-chunk rate, ${FAST_ENOUGH_MS} ms per query is reached near ${fmt(Math.round(limit / 1000) * 1000)} chunks of ${DIMENSIONS} dimensions ` +
    `(about ${fmt(Math.round(limit / 2 / 1000) * 1000)} at 768, the cost being linear in chunks times dimensions)`
)

// ---- 4. BM25 on the same corpus: inverted index vs scoring every chunk by a scan. ----
const built = time(() => Bm25.build(chunks))
const index = built.value
const tokenized = chunks.map((c) => Bm25.tokenize(c.text))
const avgdl = tokenized.reduce((n, t) => n + t.length, 0) / tokenized.length
const df = new Map<string, number>()
for (const terms of tokenized) for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1)
const scanScores = (query: string): Float64Array => {
  const q = [...new Set(Bm25.tokenize(query))]
  const out = new Float64Array(tokenized.length)
  for (let d = 0; d < tokenized.length; d++) {
    const terms = tokenized[d]!
    let s = 0
    for (const t of q) {
      let f = 0
      for (const w of terms) if (w === t) f++
      if (f === 0) continue
      const n = df.get(t)!
      const idf = Math.log(1 + (tokenized.length - n + 0.5) / (n + 0.5))
      s += (idf * f * 2.2) / (f + 1.2 * (1 - 0.75 + (0.75 * terms.length) / avgdl))
    }
    out[d] = s
  }
  return out
}
for (const q of queries.slice(0, 2)) {
  const a = index.search(q, K).map((h) => h.chunk.id)
  const b = naiveTopK(scanScores(q), K).map((d) => chunks[d]!.id)
  if (a[0] !== b[0]) throw new Error(`BM25 index and scan disagree: ${a} vs ${b}`)
}
const bm25 = sideBySide(
  [
    { name: "library Bm25 index search (postings as typed arrays)", pass: () => queries.map((q) => index.search(q, K)) },
    { name: "baseline: score every chunk by scanning its terms", pass: () => queries.slice(0, SLOW_QUERIES).map((q) => naiveTopK(scanScores(q), K)) }
  ],
  3
)
const bmIndex = bm25[0]!.medianMs / QUERIES
const bmScan = bm25[1]!.medianMs / SLOW_QUERIES
console.log(`\nBM25 over ${fmt(CHUNKS)} chunks: index built in ${fmt(built.ms)} ms (${fmt(CHUNKS / (built.ms / 1000))} chunks/s)`)
console.log(`  ${"".padEnd(64)}${pad("ms/query", 10)}${pad("queries/s", 12)}`)
console.log(`  ${bm25[0]!.name.padEnd(64)}${pad(fmt(bmIndex, 2), 10)}${pad(fmt(1000 / bmIndex, 1), 12)}`)
console.log(`  ${bm25[1]!.name.padEnd(64)}${pad(fmt(bmScan, 2), 10)}${pad(fmt(1000 / bmScan, 1), 12)}`)
console.log(`  RATIO ${"scan / index".padEnd(50)}${pad(fmt(bmScan / bmIndex, 2), 6)}x`)
console.log(`  RATIO ${"cosine (Float32Array) / BM25 index, per query".padEnd(50)}${pad(fmt(perQuery(cosine[0]!) / bmIndex, 2), 6)}x`)

console.log(`\ndone in ${fmt((performance.now() - started) / 1000, 1)} s (checksum ${sinkValue()})`)
