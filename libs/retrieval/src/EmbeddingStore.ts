import * as Reactivity from "@effect/experimental/Reactivity"
import { SqliteClient } from "@effect/sql-sqlite-node"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { createHash } from "node:crypto"
import { mkdirSync } from "node:fs"
import { homedir } from "node:os"
import { dirname, join } from "node:path"
import { RetrievalError } from "./RetrievalError.js"

/**
 * A stored vector: the hash of the text it embeds ({@link textHash}) and the vector as returned.
 *
 * @since 0.1.0
 */
export interface StoredVector {
  readonly hash: string
  readonly vector: Float32Array
}

/**
 * Vectors kept across runs, keyed by (embedding model key, text hash): a corpus is embedded once per
 * embedding model and reused by every later run, whatever model answers the questions.
 *
 * @since 0.1.0
 */
export interface EmbeddingStoreShape {
  /** The SQLite file, or `:memory:`. */
  readonly file: string
  /** The stored vectors of these hashes for this model (missing ones are absent from the map). */
  readonly get: (model: string, hashes: ReadonlyArray<string>) => Effect.Effect<ReadonlyMap<string, Float32Array>, RetrievalError>
  /** Stores vectors (in one transaction); an existing (model, hash) is kept. */
  readonly put: (model: string, vectors: ReadonlyArray<StoredVector>) => Effect.Effect<void, RetrievalError>
  /** How many vectors are stored, for one model or all. */
  readonly count: (model?: string) => Effect.Effect<number, RetrievalError>
}

/**
 * The store as a service, for apps that provide it once.
 *
 * @since 0.1.0
 */
export class EmbeddingStore extends Context.Tag("@clinical-evals/retrieval/EmbeddingStore")<EmbeddingStore, EmbeddingStoreShape>() {}

/**
 * The default file, next to the response cache: `$XDG_CACHE_HOME/clinical-evals/embeddings.sqlite`,
 * else `~/.cache/clinical-evals/embeddings.sqlite`.
 *
 * @since 0.1.0
 */
export const defaultFile = (env: Record<string, string | undefined> = process.env): string =>
  join(env["XDG_CACHE_HOME"] || join(homedir(), ".cache"), "clinical-evals", "embeddings.sqlite")

/**
 * The key of a text: the hex sha256 of its UTF-8 bytes.
 *
 * @since 0.1.0
 */
export const textHash = (text: string): string => createHash("sha256").update(text).digest("hex")

/**
 * The model part of the key: the spec, and `@<digest>` when the digest is known, so that a re-pulled
 * model with other weights does not reuse old vectors.
 *
 * @since 0.1.0
 */
export const modelKey = (spec: string, digest: string | null | undefined): string =>
  digest === null || digest === undefined || digest === "" ? spec : `${spec}@${digest}`

/** Hashes per SELECT, and rows per INSERT (4 parameters each): well under SQLite's limit on bound parameters. */
const PAGE = 2000
const ROWS_PER_INSERT = 250

const storeError = (file: string) => (e: { readonly message?: string; readonly cause?: unknown }) =>
  new RetrievalError({
    stage: "store",
    message: `${file}: ${e.cause instanceof Error ? `${e.message ?? ""}: ${e.cause.message}` : String(e.message ?? e)}`
  })

const toBytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength)

const fromBytes = (b: Uint8Array): Float32Array => {
  // Copied, so that the vector is aligned and owns its memory.
  const copy = new Uint8Array(b.byteLength)
  copy.set(b)
  return new Float32Array(copy.buffer, 0, b.byteLength / 4)
}

/**
 * Opens (creating the file and its folder when missing) a store in a SQLite file, WAL with a busy
 * timeout so that concurrent runs share it, for the life of the scope. `:memory:` gives a store that
 * lives as long as the scope.
 *
 * @since 0.1.0
 */
export const make = Effect.fn("EmbeddingStore.make")(function* (file: string) {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true })
  const fail = storeError(file)
  const sql = yield* SqliteClient.make({ filename: file }).pipe(
    Effect.provide(Reactivity.layer),
    Effect.tap((s) => s.unsafe("PRAGMA busy_timeout = 10000")),
    Effect.tap((s) => s.unsafe("PRAGMA synchronous = NORMAL")),
    Effect.mapError(fail)
  )
  yield* sql`CREATE TABLE IF NOT EXISTS embeddings (
    model TEXT NOT NULL,
    hash TEXT NOT NULL,
    dimensions INTEGER NOT NULL,
    vector BLOB NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (model, hash)
  )`.pipe(Effect.mapError(fail))

  const get = (model: string, hashes: ReadonlyArray<string>) =>
    Effect.gen(function* () {
      const found = new Map<string, Float32Array>()
      const unique = [...new Set(hashes)]
      for (let i = 0; i < unique.length; i += PAGE) {
        const page = unique.slice(i, i + PAGE)
        const rows = yield* sql<{ hash: string; vector: Uint8Array }>`SELECT hash, vector FROM embeddings
          WHERE model = ${model} AND ${sql.in("hash", page)}`.pipe(Effect.mapError(fail))
        for (const row of rows) found.set(row.hash, fromBytes(row.vector))
      }
      return found as ReadonlyMap<string, Float32Array>
    })

  const put = (model: string, vectors: ReadonlyArray<StoredVector>) =>
    vectors.length === 0
      ? Effect.void
      : sql
          .withTransaction(
            Effect.forEach(
              Array.from({ length: Math.ceil(vectors.length / ROWS_PER_INSERT) }, (_, i) =>
                vectors.slice(i * ROWS_PER_INSERT, (i + 1) * ROWS_PER_INSERT)
              ),
              (rows) =>
                sql`INSERT OR IGNORE INTO embeddings ${sql.insert(
                  rows.map((v) => ({ model, hash: v.hash, dimensions: v.vector.length, vector: toBytes(v.vector) }))
                )}`,
              { discard: true }
            )
          )
          .pipe(Effect.mapError(fail))

  const count = (model?: string) =>
    (model === undefined
      ? sql<{ n: number }>`SELECT COUNT(*) AS n FROM embeddings`
      : sql<{ n: number }>`SELECT COUNT(*) AS n FROM embeddings WHERE model = ${model}`
    ).pipe(
      Effect.mapError(fail),
      Effect.map((rows) => Number(rows[0]?.n ?? 0))
    )

  return EmbeddingStore.of({ file, get, put, count })
})

/**
 * The store in the given file, as a layer.
 *
 * @since 0.1.0
 */
export const layer = (file: string) => Layer.scoped(EmbeddingStore, make(file))
