import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { StoreError, UsageError } from "./EvalError.js"
import { canonicalJson } from "./internal/hash.js"
import { insertOrReplace, openDatabase, storeError } from "./internal/sqlite.js"
import type { ModelInfo } from "./LanguageModel.js"
import { RunSettings } from "./RunManifest.js"
import { SampleRecord } from "./SampleRecord.js"

/** The results database inside a run folder. */
export const DATABASE = "results.sqlite"

/**
 * A run's own results, in its output folder: every finished sample is written as it completes (one
 * transaction each, in WAL mode), so killing the process loses at most the calls in flight, and running
 * the same command again skips what is finished.
 *
 * @since 0.1.0
 */
export interface RunStoreShape {
  readonly dir: string
  readonly file: string
  /**
   * Records the settings of the run the first time; later, checks that a resumed run uses the same ones
   * (another dataset, seed or prompt setting would mix incomparable results in one folder).
   */
  readonly claim: (settings: RunSettings) => Effect.Effect<void, UsageError | StoreError>
  /** Remembers a model and what is known of it (digest, host), in the order models were first run. */
  readonly addModel: (info: ModelInfo) => Effect.Effect<void, StoreError>
  readonly models: Effect.Effect<ReadonlyArray<ModelInfo>, StoreError>
  /** Ids of the samples this model has finished successfully: they are not computed again. */
  readonly finished: (model: string) => Effect.Effect<ReadonlySet<string>, StoreError>
  /** Stores one sample's result, replacing an earlier failed attempt. */
  readonly put: (record: SampleRecord) => Effect.Effect<void, StoreError>
  /**
   * Stores several results in one statement (all or none), each replacing an earlier attempt: the
   * runner's group commit, one write for many samples instead of one each.
   */
  readonly putMany: (records: ReadonlyArray<SampleRecord>) => Effect.Effect<void, StoreError>
  /** How many stored results succeeded and how many failed. */
  readonly tally: Effect.Effect<{ readonly ok: number; readonly error: number }, StoreError>
  /** Every stored record, by model (in the order models were added) and dataset order. */
  readonly records: Effect.Effect<ReadonlyArray<SampleRecord>, StoreError>
  /**
   * Every stored record in the same order as `records`, one page of rows at a time, as stored (the
   * encoded record's JSON text): exporting a run of any size holds one page in memory, not the run.
   */
  readonly scan: <E>(onRow: (row: StoredRow) => Effect.Effect<void, E>) => Effect.Effect<void, E | StoreError>
  /** SQLite's `PRAGMA integrity_check`: `ok`, or what is wrong with the file. */
  readonly integrityCheck: Effect.Effect<string, StoreError>
  readonly getMeta: (key: string) => Effect.Effect<string | null, StoreError>
  readonly setMeta: (key: string, value: string) => Effect.Effect<void, StoreError>
}

/** One stored result as `scan` reads it. */
export interface StoredRow {
  readonly model: string
  readonly id: string
  readonly status: string
  /** The record, encoded as JSON: one line of samples.jsonl. */
  readonly json: string
  /**
   * The record without its prompt messages, encoded as JSON (it may still hold them in folders written
   * before 0.2): what aggregates read, without parsing the prompts.
   */
  readonly compactJson: string
}

/** Rows per page when scanning. */
const PAGE = 1000

export class RunStore extends Context.Tag("@clinical-evals/core/RunStore")<RunStore, RunStoreShape>() {}

const RecordJson = Schema.parseJson(SampleRecord)
const encodeRecord = Schema.encodeSync(SampleRecord)
const SettingsJson = Schema.parseJson(RunSettings)

/**
 * A record as stored: its fields but the prompt messages as JSON in `record`, the messages apart, and
 * where they go back in (`messages_at`, before `details`, the schema's order), so that aggregates read
 * results without parsing every prompt. Encoding checks every field.
 */
const toRow = (sampleRecord: SampleRecord) => {
  const { messages, details, ...head } = encodeRecord(sampleRecord)
  const headJson = JSON.stringify(head)
  return {
    model: sampleRecord.model,
    sample_id: sampleRecord.id,
    idx: sampleRecord.index,
    status: sampleRecord.status,
    record: details === undefined ? headJson : `${headJson.slice(0, -1)},"details":${JSON.stringify(details)}}`,
    messages: JSON.stringify(messages),
    messages_at: headJson.length - 1
  }
}

/** The samples.jsonl line of a stored row: the record with its messages put back where they were. */
const line = (row: { readonly record: string; readonly messages: string | null; readonly messages_at: number | null }): string =>
  row.messages === null || row.messages_at === null
    ? row.record
    : `${row.record.slice(0, row.messages_at)},"messages":${row.messages}${row.record.slice(row.messages_at)}`

const describeDifference = (before: RunSettings, now: RunSettings): string =>
  (Object.keys(now) as Array<keyof RunSettings>)
    .filter((k) => canonicalJson(before[k]) !== canonicalJson(now[k]))
    .map((k) => `${k}: ${JSON.stringify(before[k])} before, ${JSON.stringify(now[k])} now`)
    .join("; ")

/**
 * Opens (creating when needed) the store of the run folder `dir`.
 *
 * @since 0.1.0
 */
export const make = Effect.fn("RunStore.make")(function* (dir: string) {
  const file = join(dir, DATABASE)
  yield* Effect.try({
    try: () => mkdirSync(dir, { recursive: true }),
    catch: (e) => new StoreError({ file: dir, message: `cannot create the output folder: ${String(e)}` })
  })
  const sql = yield* openDatabase(file)
  const fail = storeError(file)
  yield* sql`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`.pipe(Effect.mapError(fail))
  yield* sql`CREATE TABLE IF NOT EXISTS models (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    spec TEXT NOT NULL UNIQUE,
    info TEXT NOT NULL
  )`.pipe(Effect.mapError(fail))
  yield* sql`CREATE TABLE IF NOT EXISTS results (
    model TEXT NOT NULL,
    sample_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    status TEXT NOT NULL,
    record TEXT NOT NULL,
    messages TEXT,
    messages_at INTEGER,
    PRIMARY KEY (model, sample_id)
  )`.pipe(Effect.mapError(fail))
  // Folders written before 0.2 keep the messages inside \`record\`: the column is added, empty for their rows.
  const columns = yield* sql<{ name: string }>`PRAGMA table_info(results)`.pipe(Effect.mapError(fail))
  if (!columns.some((c) => c.name === "messages")) {
    yield* sql`ALTER TABLE results ADD COLUMN messages TEXT`.pipe(Effect.mapError(fail))
    yield* sql`ALTER TABLE results ADD COLUMN messages_at INTEGER`.pipe(Effect.mapError(fail))
  }
  yield* sql`CREATE INDEX IF NOT EXISTS results_order ON results (model, idx, sample_id)`.pipe(Effect.mapError(fail))

  const getMeta = (key: string) =>
    sql<{ value: string }>`SELECT value FROM meta WHERE key = ${key}`.pipe(
      Effect.mapError(fail),
      Effect.map((rows) => rows[0]?.value ?? null)
    )
  const setMeta = (key: string, value: string) =>
    sql`INSERT OR REPLACE INTO meta (key, value) VALUES (${key}, ${value})`.pipe(Effect.mapError(fail), Effect.asVoid)

  const decodeRecord = (text: string) =>
    Schema.decode(RecordJson)(text).pipe(
      Effect.mapError((e) => new StoreError({ file, message: `a stored result cannot be read: ${e.message}` }))
    )

  return RunStore.of({
    dir,
    file,
    claim: (settings) =>
      Effect.gen(function* () {
        const stored = yield* getMeta("settings")
        if (stored === null) return yield* setMeta("settings", Schema.encodeSync(SettingsJson)(settings))
        const before = yield* Schema.decode(SettingsJson)(stored).pipe(
          Effect.mapError((e) => new StoreError({ file, message: `the stored settings cannot be read: ${e.message}` }))
        )
        if (canonicalJson(before) !== canonicalJson(settings)) {
          return yield* new UsageError({
            message:
              `the output folder ${dir} holds a run with other settings (${describeDifference(before, settings)}). ` +
              `Resume it with the same settings, or choose another --out.`
          })
        }
      }),
    addModel: (info) =>
      sql`INSERT INTO models (spec, info) VALUES (${info.spec}, ${JSON.stringify(info)})
          ON CONFLICT (spec) DO UPDATE SET info = excluded.info`.pipe(Effect.mapError(fail), Effect.asVoid),
    models: sql<{ info: string }>`SELECT info FROM models ORDER BY position`.pipe(
      Effect.mapError(fail),
      Effect.map((rows) => rows.map((r) => JSON.parse(r.info) as ModelInfo))
    ),
    finished: (model) =>
      sql<{ sample_id: string }>`SELECT sample_id FROM results WHERE model = ${model} AND status = 'ok'`.pipe(
        Effect.mapError(fail),
        Effect.map((rows) => new Set(rows.map((r) => r.sample_id)))
      ),
    put: (record) =>
      Effect.suspend(() => {
        const row = toRow(record)
        return sql`INSERT OR REPLACE INTO results (model, sample_id, idx, status, record, messages, messages_at)
          VALUES (${row.model}, ${row.sample_id}, ${row.idx}, ${row.status}, ${row.record}, ${row.messages}, ${row.messages_at})`.pipe(
          Effect.mapError(fail),
          Effect.asVoid
        )
      }),
    tally: sql<{ ok: number | null; error: number | null }>`SELECT SUM(status = 'ok') AS ok, SUM(status <> 'ok') AS error FROM results`.pipe(
      Effect.mapError(fail),
      Effect.map((rows) => ({ ok: rows[0]?.ok ?? 0, error: rows[0]?.error ?? 0 }))
    ),
    putMany: (records) => Effect.suspend(() => insertOrReplace(sql, "results", records.map(toRow), fail)),
    records: sql<{ record: string; messages: string | null; messages_at: number | null }>`SELECT r.record, r.messages, r.messages_at FROM results r LEFT JOIN models m ON m.spec = r.model
        ORDER BY COALESCE(m.position, 1e9), r.model, r.idx`.pipe(
      Effect.mapError(fail),
      Effect.flatMap((rows) => Effect.forEach(rows, (r) => decodeRecord(line(r))))
    ),
    scan: <E>(onRow: (row: StoredRow) => Effect.Effect<void, E>) =>
      Effect.gen(function* () {
        const specs = yield* sql<{ model: string }>`SELECT spec AS model FROM models ORDER BY position`.pipe(Effect.mapError(fail))
        const others = yield* sql<{ model: string }>`SELECT DISTINCT model FROM results
            WHERE model NOT IN (SELECT spec FROM models) ORDER BY model`.pipe(Effect.mapError(fail))
        for (const { model } of [...specs, ...others]) {
          let after: { idx: number; id: string } | null = null
          while (true) {
            const cursor: { idx: number; id: string } | null = after
            const rows: ReadonlyArray<{ idx: number; sample_id: string; status: string; record: string; messages: string | null; messages_at: number | null }> = yield* (
              cursor === null
                ? sql<{ idx: number; sample_id: string; status: string; record: string; messages: string | null; messages_at: number | null }>`SELECT idx, sample_id, status, record, messages, messages_at
                    FROM results WHERE model = ${model} ORDER BY idx, sample_id LIMIT ${PAGE}`
                : sql<{ idx: number; sample_id: string; status: string; record: string; messages: string | null; messages_at: number | null }>`SELECT idx, sample_id, status, record, messages, messages_at
                    FROM results WHERE model = ${model} AND (idx > ${cursor.idx} OR (idx = ${cursor.idx} AND sample_id > ${cursor.id}))
                    ORDER BY idx, sample_id LIMIT ${PAGE}`
            ).pipe(Effect.mapError(fail))
            for (const r of rows) {
              yield* onRow({ model, id: r.sample_id, status: r.status, json: line(r), compactJson: r.record })
            }
            const last = rows[rows.length - 1]
            if (last === undefined || rows.length < PAGE) break
            after = { idx: last.idx, id: last.sample_id }
          }
        }
      }),
    integrityCheck: sql<{ integrity_check: string }>`PRAGMA integrity_check`.pipe(
      Effect.mapError(fail),
      Effect.map((rows) => rows.map((r) => r.integrity_check).join("; "))
    ),
    getMeta,
    setMeta
  })
})
