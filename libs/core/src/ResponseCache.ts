import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { mkdirSync } from "node:fs"
import { homedir } from "node:os"
import { dirname, join } from "node:path"
import type { ChatMessage } from "./ChatMessage.js"
import type { StoreError } from "./EvalError.js"
import { Generation } from "./Generation.js"
import type { GenerationOptions } from "./GenerationOptions.js"
import { canonicalJson, sha256 } from "./internal/hash.js"
import { insertOrReplace, openDatabase, storeError } from "./internal/sqlite.js"
import * as WriteBehind from "./internal/writeBehind.js"

/** What identifies a model call: the same key means the same answer may be reused. */
export interface CacheKeyParts {
  readonly provider: string
  readonly model: string
  readonly digest: string | null
  readonly messages: ReadonlyArray<ChatMessage>
  readonly options: GenerationOptions
}

/**
 * The cache key of a call: sha256 of provider, model, digest (where known), messages and the generation
 * options that decide the answer (all but `keepAlive`), as canonical JSON. A new model version (another digest) never reuses old answers.
 *
 * @since 0.1.0
 */
export const key = (parts: CacheKeyParts): string => {
  // The canonical JSON of { v: 1, provider, model, digest, messages: [{ role, content }], options },
  // written out in its sorted key order: the same text as canonicalJson gives, without sorting every
  // message object on every call (a test pins the keys, so that existing caches stay valid).
  let messages = ""
  for (const m of parts.messages) {
    messages += `${messages === "" ? "" : ","}{"content":${JSON.stringify(m.content)},"role":${JSON.stringify(m.role)}}`
  }
  return sha256(
    `{"digest":${JSON.stringify(parts.digest)},"messages":[${messages}],"model":${JSON.stringify(parts.model)},` +
      `"options":${canonicalJson(answerOptions(parts.options))},"provider":${JSON.stringify(parts.provider)},"v":1}`
  )
}

/**
 * The options that decide the answer. `keepAlive` only says how long the server keeps the model loaded
 * afterwards, so a study (which manages it) and a single evaluator run share their cached answers.
 */
const answerOptions = ({ keepAlive: _keepAlive, ...rest }: GenerationOptions): Omit<GenerationOptions, "keepAlive"> => rest

/**
 * Model answers shared by all runs, so the same call is never paid for twice, whatever the output folder.
 *
 * @since 0.1.0
 */
export class ResponseCache extends Context.Tag("@clinical-evals/core/ResponseCache")<
  ResponseCache,
  {
    /** Where the cache lives, or null when caching is off. */
    readonly file: string | null
    readonly get: (key: string) => Effect.Effect<Option.Option<Generation>, StoreError>
    /** The answers cached under any of `keys`, by key (one query for many calls). */
    readonly getMany: (keys: ReadonlyArray<string>) => Effect.Effect<ReadonlyMap<string, Generation>, StoreError>
    readonly put: (key: string, spec: string, generation: Generation) => Effect.Effect<void, StoreError>
  }
>() {}

/**
 * The default cache file: `$XDG_CACHE_HOME/clinical-evals/responses.sqlite`, else
 * `~/.cache/clinical-evals/responses.sqlite`.
 */
export const defaultFile = (env: Record<string, string | undefined> = process.env): string =>
  join(env["XDG_CACHE_HOME"] || join(homedir(), ".cache"), "clinical-evals", "responses.sqlite")

const GenerationJson = Schema.parseJson(Generation)
const encodeGeneration = Schema.encodeSync(GenerationJson)

/**
 * A cache in a SQLite file, created with its folder when missing. New answers are written in groups
 * (every 20 ms, every 256 answers, and when the scope closes), not one transaction per answer; an
 * answer not yet written is served from memory. A killed process loses at most the last 20 ms of
 * answers, which are asked again.
 */
export const make = Effect.fn("ResponseCache.make")(function* (file: string) {
  mkdirSync(dirname(file), { recursive: true })
  const sql = yield* openDatabase(file)
  const fail = storeError(file)
  yield* sql`CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    spec TEXT NOT NULL,
    generation TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  )`.pipe(Effect.mapError(fail))
  const waiting = new Map<string, Generation>()
  const writer = yield* WriteBehind.make(
    (entries: ReadonlyArray<{ readonly key: string; readonly spec: string; readonly generation: Generation }>) =>
      Effect.suspend(() =>
        insertOrReplace(
          sql,
          "responses",
          entries.map((e) => ({ key: e.key, spec: e.spec, generation: encodeGeneration(e.generation) })),
          fail
        )
      ).pipe(
        Effect.tap(() =>
          Effect.sync(() => {
            for (const e of entries) if (waiting.get(e.key) === e.generation) waiting.delete(e.key)
          })
        )
      ),
    { maxItems: 256, maxDelay: "20 millis" }
  )
  return ResponseCache.of({
    file,
    get: (k) =>
      Effect.suspend(() => {
        const queued = waiting.get(k)
        if (queued !== undefined) return Effect.succeed(Option.some(queued))
        return sql<{ generation: string }>`SELECT generation FROM responses WHERE key = ${k}`.pipe(
          Effect.mapError(fail),
          Effect.map((rows) => Option.fromNullable(rows[0])),
          // An entry this version cannot read is a miss, not an error: the call is made again.
          Effect.map(Option.flatMap((row) => Schema.decodeOption(GenerationJson)(row.generation)))
        )
      }),
    getMany: (keys) =>
      Effect.suspend(() => {
        const found = new Map<string, Generation>()
        const asked: Array<string> = []
        for (const k of keys) {
          const queued = waiting.get(k)
          if (queued !== undefined) found.set(k, queued)
          else asked.push(k)
        }
        if (asked.length === 0) return Effect.succeed(found)
        return sql<{ key: string; generation: string }>`SELECT key, generation FROM responses WHERE ${sql.in("key", asked)}`.pipe(
          Effect.mapError(fail),
          Effect.map((rows) => {
            for (const row of rows) {
              // An entry this version cannot read is a miss, not an error: the call is made again.
              const decoded = Schema.decodeOption(GenerationJson)(row.generation)
              if (Option.isSome(decoded)) found.set(row.key, decoded.value)
            }
            return found
          })
        )
      }),
    put: (k, spec, generation) =>
      Effect.suspend(() => {
        waiting.set(k, generation)
        return writer.add({ key: k, spec, generation })
      })
  })
})

/** The cache in the given file. */
export const layer = (file: string) => Layer.scoped(ResponseCache, make(file))

/** No cache: every call goes to the model (`--no-cache`). */
export const layerDisabled = Layer.succeed(
  ResponseCache,
  ResponseCache.of({ file: null, get: () => Effect.succeedNone, getMany: () => Effect.succeed(new Map()), put: () => Effect.void })
)

/** An in-memory cache, for tests. */
export const layerMemory = Layer.sync(ResponseCache, () => {
  const entries = new Map<string, Generation>()
  return ResponseCache.of({
    file: null,
    get: (k) => Effect.sync(() => Option.fromNullable(entries.get(k))),
    getMany: (keys) =>
      Effect.sync(() => new Map(keys.flatMap((k) => { const g = entries.get(k); return g === undefined ? [] : [[k, g] as const] }))),
    put: (k, _spec, g) => Effect.sync(() => void entries.set(k, g))
  })
})
