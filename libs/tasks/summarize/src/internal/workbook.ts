import * as FileSystem from "@effect/platform/FileSystem"
import { EvalError } from "@clinical-evals/core"
import * as Effect from "effect/Effect"

/** One sheet of a workbook: its name and its rows, `rows[i]` being sheet row `i + 1`. */
export interface Sheet {
  readonly name: string
  readonly rows: ReadonlyArray<ReadonlyArray<unknown>>
}

const fail = (file: string, message: string) => new EvalError.DatasetError({ file, line: null, field: null, message })

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0]

const startsWith = (bytes: Uint8Array, magic: ReadonlyArray<number>) => magic.every((b, i) => bytes[i] === b)

/**
 * Reads every sheet of an .xlsx workbook (with `read-excel-file`). A file that is not a zip archive
 * (an old binary .xls, a CSV renamed .xlsx), or a zip that is not a workbook, is a DatasetError
 * naming the file.
 */
export const read = Effect.fn("Workbook.read")(function* (file: string) {
  const fs = yield* FileSystem.FileSystem
  const info = yield* fs.stat(file).pipe(Effect.mapError(() => fail(file, "file not found")))
  if (info.type !== "File") return yield* fail(file, "not a file")
  const bytes = yield* fs.readFile(file).pipe(Effect.mapError((e) => fail(file, `cannot read: ${e.message}`)))
  if (bytes.length === 0) return yield* fail(file, "the file is empty")
  if (startsWith(bytes, OLE_MAGIC)) {
    return yield* fail(file, "this is an old binary Excel (.xls) file, not .xlsx: save it as .xlsx or as CSV (UTF-8)")
  }
  if (!startsWith(bytes, ZIP_MAGIC)) {
    return yield* fail(file, "not an Excel .xlsx workbook (an .xlsx file is a zip archive; this one is not): save it as .xlsx or CSV (UTF-8)")
  }
  const sheets = yield* Effect.tryPromise({
    // Loaded when a workbook is read, not at every start of the command (it is 47 modules).
    try: () => import("read-excel-file/node").then(({ default: readXlsxFile }) => readXlsxFile(Buffer.from(bytes))),
    catch: (e) => fail(file, `cannot read the workbook: ${e instanceof Error ? e.message : String(e)}`)
  })
  return sheets.map((s): Sheet => ({ name: s.sheet, rows: s.data }))
})

/** The first row with any non-empty cell, as `[index, cells]`, or undefined for an empty sheet. */
export const headerRow = (sheet: Sheet): readonly [number, ReadonlyArray<unknown>] | undefined => {
  const index = sheet.rows.findIndex((r) => r.some((c) => c !== null && c !== undefined && String(c).trim() !== ""))
  return index < 0 ? undefined : [index, sheet.rows[index]!]
}
