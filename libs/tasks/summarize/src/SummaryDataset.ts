import { Csv, DatasetReader, EvalError } from "@clinical-evals/core"
import type { Task } from "@clinical-evals/core"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { basename, extname } from "node:path"
import { classify, error, fallbackIds, type Layout, LAYOUTS, type Place, toSample } from "./internal/columns.js"
import * as Workbook from "./internal/workbook.js"
import type { DatasetKind, SummarySample } from "./SummarySample.js"

type Located = DatasetReader.Located<SummarySample>
type Result = Either.Either<Located, EvalError.DatasetError>

/**
 * The formats a summary file can be in, as `Dataset.format` names them: the dataset kind (`meqsum`,
 * `problem-summary`, or `summary` for the project's own fields) and the container (`jsonl`, `csv`,
 * `xlsx`), e.g. `meqsum-xlsx`, `problem-summary-csv`, `summary-jsonl`.
 *
 * @since 0.1.0
 */
export type Format = `${"meqsum" | "problem-summary" | "summary"}-${"jsonl" | "csv" | "xlsx"}`

const formatOf = (kind: DatasetKind, container: "jsonl" | "csv" | "xlsx"): Format =>
  `${kind === "jsonl" ? "summary" : kind}-${container}`

const fileError = (file: string, line: number | null, message: string) =>
  new EvalError.DatasetError({ file, line, field: null, message })

/** The file's name without folder and extension: the prefix of generated ids. */
const stem = (file: string) => basename(file, extname(file))

const { isJsonObject: isObject } = DatasetReader

/** A parsed line as a record's fields, or the error for a line that is not an object. */
const asObject = (file: string, line: number, json: unknown): Either.Either<Record<string, unknown>, EvalError.DatasetError> =>
  isObject(json) ? Either.right(json) : Either.left(fileError(file, line, `expected a JSON object, found ${Array.isArray(json) ? "a list" : typeof json}`))

/** A line's record fields, or why it has none: it is not valid JSON, or not an object. */
const lineFields = (file: string, l: DatasetReader.NumberedLine): Either.Either<Record<string, unknown>, EvalError.DatasetError> =>
  Either.flatMap(DatasetReader.parseJsonLine(file, l), (json) => asObject(file, l.line, json))

/** The layout of a JSON Lines file, from the fields of its first record; an unknown one is an error at its line. */
const layoutOf = (file: string, first: { readonly line: number; readonly fields: Record<string, unknown> }) =>
  Either.mapLeft(classify(Object.keys(first.fields)), (m) => fileError(file, first.line, m))

interface Read {
  readonly layout: Layout
  readonly results: ReadonlyArray<Result>
}

/** JSON Lines: the layout from the fields of the first line that holds an object. */
const readJsonl = Effect.fnUntraced(function* (file: string, text: string) {
  const lines = DatasetReader.nonBlankLines(text)
  const start = yield* DatasetReader.jsonlStart(file, { lines })
  if (Option.isSome(start) && start.value._tag === "Array") {
    return yield* fileError(file, 1, DatasetReader.ARRAY_NOT_JSONL)
  }
  const parsed = lines.map((l) => lineFields(file, l))
  const first = Option.getOrUndefined(start)
  if (first?._tag !== "Object") return yield* parsed.find(Either.isLeft)!.left
  const layout = yield* layoutOf(file, first)
  const ids = fallbackIds(layout, parsed.map((p) => (Either.isRight(p) ? p.right : {})), stem(file))
  const read: Read = {
    layout,
    results: parsed.map((p, i) =>
      p.pipe(
        Either.flatMap((fields) => toSample(layout, fields, { file, line: lines[i]!.line }, ids[i]!)),
        Either.map((value) => ({ line: lines[i]!.line, value }))
      )
    )
  }
  return read
})

/** CSV with a header row (RFC 4180, core's `Csv`). */
const readCsv = (file: string, text: string): Either.Either<Read, EvalError.DatasetError> => {
  if (/^\s*[[{]/.test(text)) {
    return Either.left(fileError(file, 1, "this looks like JSON, not CSV: give the file a .jsonl name"))
  }
  return Either.flatMap(Csv.parse(file, text, { allowExtraEmptyFields: true }), (table) =>
    Either.map(
      Either.mapLeft(classify(table.header.filter((h) => h !== "")), (m) => fileError(file, 1, m)),
      (layout) => {
        const ids = fallbackIds(layout, table.records.map((r) => (Either.isRight(r) ? r.right.fields : {})), stem(file))
        return {
          layout,
          results: table.records.map((record, i) =>
            Either.flatMap(record, (r) =>
              toSample(layout, r.fields, { file, line: r.line }, ids[i]!).pipe(Either.map((value) => ({ line: r.line, value })))
            )
          )
        }
      }
    )
  )
}

/** An .xlsx workbook: the first sheet whose header row has a known layout. */
const readXlsx = (file: string) =>
  Effect.gen(function* () {
    const sheets = yield* Workbook.read(file)
    const candidates = sheets.flatMap((sheet) => {
      const header = Workbook.headerRow(sheet)
      if (header === undefined) return []
      const names = header[1].map((c) => (c === null || c === undefined ? "" : String(c).trim()))
      return [{ sheet, headerIndex: header[0], names, layout: classify(names.filter((n) => n !== "")) }]
    })
    if (candidates.length === 0) return yield* fileError(file, null, "the workbook has no rows in any sheet")
    const chosen = candidates.find((c) => Either.isRight(c.layout))
    if (chosen === undefined) {
      const first = candidates[0]!
      const why = Either.isLeft(first.layout) ? first.layout.left : LAYOUTS
      return yield* error({ file, line: first.headerIndex + 1, sheet: first.sheet.name }, null, why)
    }
    const layout = Either.getOrThrow(chosen.layout)
    const rows = chosen.sheet.rows
      .map((cells, index) => ({ cells, row: index + 1 }))
      .slice(chosen.headerIndex + 1)
      .filter((r) => r.cells.some((c) => c !== null && c !== undefined && String(c).trim() !== ""))
    const records = rows.map((r) => {
      const fields: Record<string, unknown> = {}
      chosen.names.forEach((name, c) => {
        if (name !== "") fields[name] = r.cells[c] ?? null
      })
      return fields
    })
    const ids = fallbackIds(layout, records, stem(file))
    const results = rows.map((r, i): Result => {
      const place: Place = { file, line: r.row, sheet: chosen.sheet.name }
      return toSample(layout, records[i]!, place, ids[i]!).pipe(Either.map((value) => ({ line: r.row, value })))
    })
    return { layout, results } satisfies Read
  })


/**
 * The extensions read, and why other common ones are not.
 *
 * @since 0.1.0
 */
export const EXTENSIONS: ReadonlyArray<string> = [".jsonl", ".ndjson", ".csv", ".xlsx"]

const UNSUPPORTED: Record<string, string> = {
  ".xls": "an old binary Excel (.xls) file cannot be read: save it as .xlsx or CSV (UTF-8)",
  ".json": "a .json file has no known summary layout: write JSON Lines (.jsonl), one object per line",
  ".tsv": "tab-separated files are not supported: save it as CSV",
  ".txt": "a .txt file has no known layout: use .jsonl, .csv or .xlsx"
}

type Container = "jsonl" | "csv" | "xlsx"

/** The container of a file from its extension, or the DatasetError for one that cannot be read. */
const containerOf = (file: string): Either.Either<Container, EvalError.DatasetError> => {
  const ext = extname(file).toLowerCase()
  if (!EXTENSIONS.includes(ext)) {
    return Either.left(fileError(file, null, UNSUPPORTED[ext] ?? `unknown file type "${ext || "(no extension)"}": use .jsonl, .csv or .xlsx`))
  }
  return Either.right(ext === ".xlsx" ? "xlsx" : ext === ".csv" ? "csv" : "jsonl")
}

/** A whole file's records with their lines, and what was set aside. */
const loadLocated = Effect.fn("SummaryDataset.loadLocated")(function* (file: string, options: Task.LoadOptions) {
  const container = yield* containerOf(file)
  let read: Read
  if (container === "xlsx") {
    read = yield* readXlsx(file)
  } else {
    const text = yield* DatasetReader.readText(file)
    read = yield* (container === "csv" ? readCsv(file, text) : readJsonl(file, text))
  }
  const { records, skipped } = yield* DatasetReader.collectUnique(file, read.results, options.onBadInput)
  return { container, kind: read.layout.kind, records, skipped }
})

/**
 * Reads a summarization dataset, choosing the container from the extension (`.jsonl`/`.ndjson`,
 * `.csv`, `.xlsx`) and the dataset kind from the fields (see `SummarySample.DatasetKind`). Every
 * problem is a DatasetError naming the file, the line (for a workbook: the sheet row, with the sheet
 * named in the message) and the field; with `onBadInput: "skip"` bad records and repeated ids are set
 * aside in `skipped`.
 *
 * @since 0.1.0
 */
export const load = Effect.fn("SummaryDataset.load")(function* (file: string, options: Task.LoadOptions) {
  const read = yield* loadLocated(file, options)
  const dataset: Task.Dataset<SummarySample> & { readonly kind: DatasetKind } = {
    path: file,
    format: formatOf(read.kind, read.container),
    kind: read.kind,
    samples: read.records.map((r) => r.value),
    skipped: read.skipped
  }
  return dataset
})

/**
 * Whether the ids of a layout without `id` come from its file-name column: every record has a
 * distinct, non-empty one (see `fallbackIds`). A pass that stops at the first record that has not.
 */
const fileColumnServes = (file: string, column: string, options: DatasetReader.ScanOptions) =>
  Effect.suspend(() => {
    const seen = new Set<string>()
    return DatasetReader.findLine(
      file,
      (l) => {
        const fields = lineFields(file, l)
        const v = Either.isRight(fields) ? fields.right[column] : undefined
        const value = typeof v === "string" || typeof v === "number" ? String(v).trim() : ""
        if (value === "" || seen.has(value)) return Option.some(false)
        seen.add(value)
        return Option.none()
      },
      options
    ).pipe(Effect.map(Option.isNone))
  })

/**
 * Streams a summarization dataset a sample at a time to `onSample` (with its 0-based position and its
 * line), waiting for each effect before reading on: the same samples, format, kind, skipped records
 * and errors as {@link load}, without holding the file. JSON Lines stream line by line (the layout is
 * found in a first look at the file's start; a MeQSum or Problem Summary file without `id` whose ids
 * come from its file-name column is read once more to check that column); CSV and .xlsx are read
 * whole, then handed over one by one. When `accepts` refuses the file's kind, every record is still
 * checked (the same errors) but none is handed over. `chunkSize` sets the bytes read at a time.
 *
 * @since 0.2.0
 */
export const scan = <E>(
  file: string,
  options: Task.LoadOptions & DatasetReader.ScanOptions,
  onSample: (sample: SummarySample, position: number, line: number) => Effect.Effect<void, E>,
  accepts: (kind: DatasetKind) => boolean = () => true
): Effect.Effect<Task.ScanResult & { readonly kind: DatasetKind }, EvalError.DatasetError | E, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const container = yield* containerOf(file)
    if (container !== "jsonl") {
      const read = yield* loadLocated(file, options)
      if (accepts(read.kind)) yield* Effect.forEach(read.records, (r, i) => onSample(r.value, i, r.line), { discard: true })
      return { path: file, format: formatOf(read.kind, container), kind: read.kind, samples: read.records.length, skipped: read.skipped }
    }
    const start = yield* DatasetReader.jsonlStart(file, options)
    if (Option.isNone(start)) {
      // No line holds an object: the error of the first line, as load gives it.
      const first = yield* DatasetReader.findLine(file, (l) => Option.some(lineFields(file, l)), options)
      return yield* Option.isSome(first) && Either.isLeft(first.value) ? first.value.left : fileError(file, null, "the file has no records")
    }
    if (start.value._tag === "Array") {
      return yield* fileError(file, 1, DatasetReader.ARRAY_NOT_JSONL)
    }
    const layout = yield* layoutOf(file, start.value)
    const fileIds = layout.id === undefined && layout.fileId !== undefined && (yield* fileColumnServes(file, layout.fileId, options))
    const prefix = stem(file)
    const handOver = accepts(layout.kind)
    const read = yield* DatasetReader.scanJsonl(
      file,
      options,
      (json, l, index) =>
        Either.flatMap(asObject(file, l.line, json), (fields) =>
          toSample(layout, fields, { file, line: l.line }, fileIds ? String(fields[layout.fileId!]).trim() : `${prefix}-${index}`)
        ),
      (sample, position, at) => (handOver ? onSample(sample, position, at) : Effect.void)
    )
    return { path: file, format: formatOf(layout.kind, "jsonl"), kind: layout.kind, samples: read.records, skipped: read.skipped }
  }).pipe(Effect.withSpan("SummaryDataset.scan"))
