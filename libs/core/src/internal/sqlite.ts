import * as Reactivity from "@effect/experimental/Reactivity"
import type { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import * as Effect from "effect/Effect"
import { StoreError } from "../EvalError.js"

/**
 * Opens a SQLite database file (WAL, so that a killed process loses nothing committed, and a busy
 * timeout, so that concurrent runs sharing the cache wait rather than fail) for the life of the scope.
 */
export const openDatabase = (filename: string) =>
  SqliteClient.make({ filename }).pipe(
    Effect.provide(Reactivity.layer),
    Effect.tap((sql) => sql.unsafe("PRAGMA busy_timeout = 10000")),
    Effect.tap((sql) => sql.unsafe("PRAGMA synchronous = NORMAL")),
    Effect.mapError((e) => new StoreError({ file: filename, message: String(e.message ?? e) }))
  )

/** Maps any SQL failure to a StoreError naming the file. */
export const storeError =
  (file: string) =>
  (e: { readonly message: string; readonly cause?: unknown }): StoreError =>
    new StoreError({ file, message: e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message })

/** Rows per INSERT statement: well under SQLite's limit on parameters for a table of a few columns. */
const INSERT_ROWS = 500

/**
 * Inserts or replaces rows, all or none: one statement per 500 rows, in one transaction when there are
 * more. The group commits of the run store and the response cache.
 */
export const insertOrReplace = (
  sql: SqlClient.SqlClient,
  table: string,
  rows: ReadonlyArray<Record<string, string | number | null>>,
  fail: (e: { readonly message: string; readonly cause?: unknown }) => StoreError
): Effect.Effect<void, StoreError> => {
  const statements: Array<Effect.Effect<unknown, StoreError>> = []
  for (let i = 0; i < rows.length; i += INSERT_ROWS) {
    statements.push(sql`INSERT OR REPLACE INTO ${sql(table)} ${sql.insert(rows.slice(i, i + INSERT_ROWS))}`.pipe(Effect.mapError(fail)))
  }
  return statements.length <= 1
    ? Effect.asVoid(statements[0] ?? Effect.void)
    : sql.withTransaction(Effect.all(statements, { discard: true })).pipe(Effect.mapError((e) => (e._tag === "SqlError" ? fail(e) : e)))
}
