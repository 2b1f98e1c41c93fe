import { Csv, DatasetReader, EvalError } from "@clinical-evals/core"
import type { Task } from "@clinical-evals/core"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { basename, extname } from "node:path"
import * as CaseSample from "./CaseSample.js"
import { ChallengeRow, OPTION_COLUMNS, REQUIRED_COLUMNS, rowToSample, withoutBlanks } from "./internal/challengeFormat.js"
import { keyLines } from "./internal/jsonLines.js"
import { MedQaRecord, medqaToSample } from "./internal/medqaFormat.js"
import { OwnRecord } from "./internal/ownFormat.js"

type Located = DatasetReader.Located<CaseSample.CaseSample>
type Result = Either.Either<Located, EvalError.DatasetError>

/**
 * The formats a case file can be in, as `Dataset.format` names them:
 * - `case-challenge-jsonl`: the project's own JSON Lines (`id`, `source`, `case`, `question`,
 *   `options` {"A": …}, `answer` letter, optional `date`, `category`, `explanation`);
 * - `medqa-jsonl`: MedQA-style JSON Lines (`question`, `options`, `answer_idx`, optional `answer`,
 *   `meta_info`), told apart from the own format by its fields (`answer_idx` and no `case`);
 * - `challenge-csv`: a ChallengeClinicalQA / Medbullets CSV (`question`, `opa`…`ope`, `answer_idx`,
 *   `answer`, `explanation`);
 * - `challenge-json`: the same table as pandas column-oriented JSON (`df.to_json()`).
 *
 * @since 0.1.0
 */
export type Format = "case-challenge-jsonl" | "medqa-jsonl" | "challenge-csv" | "challenge-json"

const error = (file: string, line: number | null, field: string | null, message: string) =>
  new EvalError.DatasetError({ file, line, field, message })

/** The file's name without folder and extension: the prefix of generated ids. */
const stem = (file: string) => basename(file, extname(file))

const UNSUPPORTED: Record<string, string> = {
  ".xlsx": "an Excel workbook cannot be read: save it as CSV (UTF-8)",
  ".xls": "an Excel workbook cannot be read: save it as CSV (UTF-8)",
  ".parquet": "Parquet cannot be read: convert it to CSV or JSON Lines",
  ".tsv": "tab-separated files are not supported: save it as CSV",
  ".txt": "a .txt file has no known layout: use .jsonl, .csv or .json"
}

const decodeSample = (file: string, line: number | null, input: typeof CaseSample.CaseSample.Encoded) =>
  CaseSample.make(input).pipe(Either.mapLeft((e) => DatasetReader.fromParseError(file, line, e)))

const { ARRAY_NOT_JSONL, isJsonObject: isPlainObject } = DatasetReader


/**
 * Whether the first record that is an object has MedQA's fields rather than the own format's: an
 * `answer_idx` and no `case`, or (a MedQA record missing its `answer_idx`) a `question` and `options`
 * with neither `case` nor `id`, so that its error names the missing `answer_idx`, not the own format's `id`.
 */
const isMedQa = (first: Record<string, unknown>): boolean =>
  !("case" in first) && ("answer_idx" in first || (!("id" in first) && "question" in first && "options" in first))

/** Decodes a parsed line of the own format. */
const decodeOwnLine = (file: string) => {
  const decode = DatasetReader.decodeAt(OwnRecord)
  return (json: unknown, l: DatasetReader.NumberedLine): Either.Either<CaseSample.CaseSample, EvalError.DatasetError> =>
    decode(file, l.line, json)
}

/** Decodes a parsed line of MedQA; a record without an id gets `<stem>-<index among non-blank lines>`. */
const decodeMedQaLine = (file: string) => {
  const decode = DatasetReader.decodeAt(MedQaRecord)
  const prefix = stem(file)
  return (json: unknown, l: DatasetReader.NumberedLine, index: number): Either.Either<CaseSample.CaseSample, EvalError.DatasetError> =>
    decode(file, l.line, json).pipe(Either.flatMap((r) => decodeSample(file, l.line, medqaToSample(r, `${prefix}-${index}`))))
}

/** Whether a JSON Lines file, by its start, is MedQA (see {@link isMedQa}) rather than the own format. */
const isMedQaStart = (start: Option.Option<DatasetReader.JsonlStart>): boolean =>
  isMedQa(Option.isSome(start) && start.value._tag === "Object" ? start.value.fields : {})

/** The project's own JSONL or MedQA JSONL, told apart by the fields of the first record that is an object. */
const readJsonl = Effect.fnUntraced(function* (file: string, text: string) {
  const lines = DatasetReader.nonBlankLines(text)
  const start = yield* DatasetReader.jsonlStart(file, { lines })
  if (Option.isSome(start) && start.value._tag === "Array") {
    const format: Format = "case-challenge-jsonl"
    return { format, results: [Either.left(error(file, 1, null, ARRAY_NOT_JSONL))] }
  }
  const medqa = isMedQaStart(start)
  const decode = medqa ? decodeMedQaLine(file) : decodeOwnLine(file)
  const results = lines.map((l, index): Result =>
    DatasetReader.parseJsonLine(file, l).pipe(
      Either.flatMap((json) => decode(json, l, index)),
      Either.map((value) => ({ line: l.line, value }))
    )
  )
  const format: Format = medqa ? "medqa-jsonl" : "case-challenge-jsonl"
  return { format, results }
})

/** Says which required columns a table lacks, or undefined. */
const missingColumns = (columns: ReadonlyArray<string>): string | undefined => {
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c))
  return missing.length === 0
    ? undefined
    : `no ${missing.map((c) => `"${c}"`).join(", ")} column${missing.length > 1 ? "s" : ""}; a ChallengeClinicalQA table has question, ${OPTION_COLUMNS.slice(0, 5).join(", ")}, answer_idx, answer, explanation; found ${columns.map((c) => `"${c}"`).join(", ")}`
}

/** A ChallengeClinicalQA / Medbullets CSV. */
const readCsv = (file: string, text: string): Either.Either<ReadonlyArray<Result>, EvalError.DatasetError> => {
  if (/^\s*[[{]/.test(text)) {
    return Either.left(error(file, 1, null, "this looks like JSON, not CSV: give the file a .json or .jsonl name"))
  }
  return Either.flatMap(Csv.parse(file, text, { allowExtraEmptyFields: true }), (table) => {
    const problem = missingColumns(table.header)
    if (problem !== undefined) return Either.left(error(file, 1, null, problem))
    const decode = DatasetReader.decodeAt(ChallengeRow)
    return Either.right(
      table.records.map((record, index): Result =>
        record.pipe(
          Either.flatMap((r) =>
            decode(file, r.line, withoutBlanks(r.fields)).pipe(
              Either.flatMap((row) => decodeSample(file, r.line, rowToSample(row, `${stem(file)}-${index}`))),
              Either.map((value) => ({ line: r.line, value }))
            )
          )
        )
      )
    )
  })
}

/**
 * The same table as pandas column-oriented JSON: `{"question": {"0": "…", "1": "…"}, "opa": {…}, …}`.
 * Record keys become ids (`<stem>-<key>`) unless an `id` column exists. An error names the field and
 * the record's key, at the line where that record's key is written in that column (else in the
 * `question` column, else null).
 */
const readColumnJson = (file: string, text: string): Either.Either<ReadonlyArray<Result>, EvalError.DatasetError> => {
  const parsed = Either.try({
    try: (): unknown => JSON.parse(text),
    catch: (e) => error(file, DatasetReader.parseErrorLine(text, e), null, `not valid JSON: ${e instanceof Error ? e.message : String(e)}`)
  })
  if (Either.isLeft(parsed)) return Either.left(parsed.left)
  const json = parsed.right
  const expected = 'expected pandas column-oriented JSON, {"question": {"0": "…"}, "opa": {"0": "…"}, …}, as DataFrame.to_json() writes it'
  if (Array.isArray(json)) return Either.left(error(file, 1, null, `${expected}; found a list of records (save the table with df.to_json(), or as CSV)`))
  if (!isPlainObject(json)) return Either.left(error(file, 1, null, `${expected}; found a single ${json === null ? "null" : typeof json}`))
  const lines = keyLines(text)
  const columns = Object.keys(json)
  const firstColumn = Object.values(json)[0]
  if (!columns.includes("question") && isPlainObject(firstColumn) && "question" in firstColumn) {
    return Either.left(error(file, 1, null, `${expected}; this one is row-oriented (orient="index"): write it with df.to_json(orient="columns")`))
  }
  for (const column of columns) {
    if (!isPlainObject(json[column])) {
      return Either.left(error(file, lines.outer.get(column) ?? null, column, `${expected}; column "${column}" is not an object of record → value`))
    }
  }
  const problem = missingColumns(columns)
  if (problem !== undefined) return Either.left(error(file, 1, null, problem))
  const table = json as Record<string, Record<string, unknown>>
  const keys = [...new Set(columns.flatMap((c) => Object.keys(table[c]!)))]
  const anyColumnLine = (key: string) => columns.map((c) => lines.inner.get(c)?.get(key)).find((l) => l !== undefined)
  const lineOf = (key: string, field: string | null): number | null =>
    (field === null ? undefined : lines.inner.get(field.split(/[.[]/)[0]!)?.get(key)) ??
    lines.inner.get("question")?.get(key) ??
    anyColumnLine(key) ??
    null
  const decode = DatasetReader.decodeAt(ChallengeRow)
  return Either.right(
    keys.map((key): Result => {
      const cells: Record<string, unknown> = {}
      for (const c of columns) cells[c] = table[c]![key]
      return decode(file, null, withoutBlanks(cells)).pipe(
        Either.flatMap((row) => decodeSample(file, null, rowToSample(row, `${stem(file)}-${key}`))),
        Either.mapBoth({
          onLeft: (e) => error(file, lineOf(key, e.field), e.field, `record "${key}": ${e.message}`),
          onRight: (value) => ({ line: lineOf(key, null) ?? 0, value })
        })
      )
    })
  )
}


const KNOWN_EXTENSIONS = [".jsonl", ".ndjson", ".csv", ".json"]

/** The extension of a file, or the DatasetError for one that cannot be read. */
const extensionOf = (file: string): Either.Either<string, EvalError.DatasetError> => {
  const ext = extname(file).toLowerCase()
  if (KNOWN_EXTENSIONS.includes(ext)) return Either.right(ext)
  return Either.left(error(file, null, null, UNSUPPORTED[ext] ?? `unknown file type "${ext || "(no extension)"}": use .jsonl, .csv or .json`))
}

/** A whole file's records with their lines, and what was set aside. */
const loadLocated = Effect.fn("CaseDataset.loadLocated")(function* (file: string, options: Task.LoadOptions) {
  const ext = yield* extensionOf(file)
  const text = yield* DatasetReader.readText(file)
  let format: Format
  let results: ReadonlyArray<Result>
  if (ext === ".csv") {
    format = "challenge-csv"
    results = yield* readCsv(file, text)
  } else if (ext === ".json") {
    format = "challenge-json"
    results = yield* readColumnJson(file, text)
  } else {
    const read = yield* readJsonl(file, text)
    format = read.format
    results = read.results
  }
  const { records, skipped } = yield* DatasetReader.collectUnique(file, results, options.onBadInput)
  return { format, records, skipped }
})

/**
 * Reads a file of clinical case challenges, choosing the format from the file's extension (`.jsonl` /
 * `.ndjson`, `.csv`, `.json`) and its content (own vs MedQA fields). Every problem is a DatasetError
 * naming the file, the line and the field; with `onBadInput: "skip"` bad records (including repeated
 * ids) are set aside and reported in `skipped`, with `fail` the first one ends the load. An empty file,
 * a binary file, an unknown extension or a file without any record is an error either way.
 *
 * @since 0.1.0
 */
export const load = Effect.fn("CaseDataset.load")(function* (file: string, options: Task.LoadOptions) {
  const read = yield* loadLocated(file, options)
  const dataset: Task.Dataset<CaseSample.CaseSample> = {
    path: file,
    format: read.format,
    samples: read.records.map((r) => r.value),
    skipped: read.skipped
  }
  return dataset
})

/**
 * Streams a file of clinical case challenges a case at a time to `onSample` (with its 0-based position
 * and its line), waiting for each effect before reading on: the same samples, format, skipped records
 * and errors as {@link load}, without holding the file. JSON Lines (own or MedQA format, told apart by
 * the first record that is an object, found in a first look at the file's start) stream line by line;
 * CSV and column-oriented JSON are read whole, then handed over one by one. `chunkSize` sets the bytes
 * read at a time (see `DatasetReader.ScanOptions`).
 *
 * @since 0.2.0
 */
export const scan = <E>(
  file: string,
  options: Task.LoadOptions & DatasetReader.ScanOptions,
  onSample: (sample: CaseSample.CaseSample, position: number, line: number) => Effect.Effect<void, E>
): Effect.Effect<Task.ScanResult, EvalError.DatasetError | E, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const ext = yield* extensionOf(file)
    if (ext === ".csv" || ext === ".json") {
      const read = yield* loadLocated(file, options)
      yield* Effect.forEach(read.records, (r, i) => onSample(r.value, i, r.line), { discard: true })
      const result: Task.ScanResult = { path: file, format: read.format, samples: read.records.length, skipped: read.skipped }
      return result
    }
    const start = yield* DatasetReader.jsonlStart(file, options)
    if (Option.isSome(start) && start.value._tag === "Array") {
      const notJsonl = error(file, 1, null, ARRAY_NOT_JSONL)
      if (options.onBadInput === "fail") return yield* notJsonl
      const result: Task.ScanResult = { path: file, format: "case-challenge-jsonl", samples: 0, skipped: [{ error: notJsonl }] }
      return result
    }
    const medqa = isMedQaStart(start)
    const decode = medqa ? decodeMedQaLine(file) : decodeOwnLine(file)
    const read = yield* DatasetReader.scanJsonl(file, options, decode, onSample)
    const result: Task.ScanResult = {
      path: file,
      format: medqa ? "medqa-jsonl" : "case-challenge-jsonl",
      samples: read.records,
      skipped: read.skipped
    }
    return result
  }).pipe(Effect.withSpan("CaseDataset.scan"))
