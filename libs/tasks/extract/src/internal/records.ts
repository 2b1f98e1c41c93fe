import { Csv, DatasetReader, EvalError } from "@clinical-evals/core"
import type { Task } from "@clinical-evals/core"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import { basename, extname } from "node:path"

type Result<S> = Either.Either<DatasetReader.Located<S>, EvalError.DatasetError>

/** A problem found after a record decoded: the field it concerns and what is wrong. */
export interface RecordProblem {
  readonly field: string | null
  readonly message: string
}

/** How one task reads its files: the formats it accepts, the record schema and the step to a sample. */
export interface RecordFormat<Row, I, S> {
  /** `Dataset.format` for JSON Lines, and for CSV when CSV is accepted. */
  readonly jsonl: string
  readonly csv?: string
  /** The columns a CSV must have, for a clear error when one is missing. */
  readonly requiredColumns?: ReadonlyArray<string>
  readonly schema: Schema.Schema<Row, I>
  /** Builds the sample; `fallbackId` is `<file stem>-<0-based record index>` for records without an id. */
  readonly toSample: (row: Row, fallbackId: string) => Either.Either<S, RecordProblem>
}

const error = (file: string, line: number | null, field: string | null, message: string) =>
  new EvalError.DatasetError({ file, line, field, message })

/** Decodes a format's records, its schema's decoder made once for every record of every file. */
const recordDecoder = <Row, I, S>(format: RecordFormat<Row, I, S>) => {
  const decode = DatasetReader.decodeAt(format.schema)
  return (file: string, line: number, index: number, value: unknown): Result<S> =>
    decode(file, line, value).pipe(
      Either.flatMap((row) =>
        format.toSample(row, `${basename(file, extname(file))}-${index}`).pipe(Either.mapLeft((p) => error(file, line, p.field, p.message)))
      ),
      Either.map((sample) => ({ line, value: sample }))
    )
}

const { ARRAY_NOT_JSONL } = DatasetReader

/** Whether a file that should be JSON Lines is one JSON array instead. */
const isArray = (start: Option.Option<DatasetReader.JsonlStart>): boolean => Option.isSome(start) && start.value._tag === "Array"

/** The extensions a format accepts, or the DatasetError for a file it cannot read. */
const extensionOf = <Row, I, S>(format: RecordFormat<Row, I, S>, file: string): Either.Either<string, EvalError.DatasetError> => {
  const ext = extname(file).toLowerCase()
  const accepted = format.csv === undefined ? [".jsonl", ".ndjson"] : [".jsonl", ".ndjson", ".csv"]
  return accepted.includes(ext)
    ? Either.right(ext)
    : Either.left(error(file, null, null, `unknown file type "${ext || "(no extension)"}": use ${accepted.join(", ")}`))
}

/** A whole file's records with their lines, and what was set aside (see {@link load}). */
const loadLocated = <Row, I, S extends Task.TaskSample>(format: RecordFormat<Row, I, S>) => {
  const decodeRecord = recordDecoder(format)
  return Effect.fn("ExtractDataset.loadLocated")(function* (file: string, options: Task.LoadOptions) {
    const ext = yield* extensionOf(format, file)
    const text = yield* DatasetReader.readText(file)
    let results: ReadonlyArray<Result<S>>
    if (ext === ".csv") {
      const table = yield* Csv.parse(file, text)
      const missing = (format.requiredColumns ?? []).filter((c) => !table.header.includes(c))
      if (missing.length > 0) {
        return yield* error(file, 1, null, `missing column${missing.length > 1 ? "s" : ""} ${missing.map((c) => `"${c}"`).join(", ")}; found ${table.header.map((c) => `"${c}"`).join(", ")}`)
      }
      results = table.records.map((record, index) =>
        Either.flatMap(record, (r) => decodeRecord(file, r.line, index, r.fields))
      )
    } else {
      const lines = DatasetReader.nonBlankLines(text)
      if (isArray(yield* DatasetReader.jsonlStart(file, { lines }))) return yield* error(file, 1, null, ARRAY_NOT_JSONL)
      results = lines.map((l, index) =>
        Either.flatMap(DatasetReader.parseJsonLine(file, l), (json) => decodeRecord(file, l.line, index, json))
      )
    }
    const { records, skipped } = yield* DatasetReader.collectUnique(file, results, options.onBadInput)
    return { format: ext === ".csv" ? (format.csv ?? format.jsonl) : format.jsonl, records, skipped }
  })
}

/**
 * Reads a JSON Lines file (`.jsonl`, `.ndjson`) or, when the format accepts it, a CSV file, decoding
 * every record and naming file, line and field on any problem. With `fail` the first bad record (or
 * repeated id) ends the load; with `skip` they are set aside and reported. An unknown extension, an
 * empty file or a file without records is an error either way.
 */
export const load = <Row, I, S extends Task.TaskSample>(format: RecordFormat<Row, I, S>) => {
  const read = loadLocated(format)
  return Effect.fn("ExtractDataset.load")(function* (file: string, options: Task.LoadOptions) {
    const located = yield* read(file, options)
    const dataset: Task.Dataset<S> = {
      path: file,
      format: located.format,
      samples: located.records.map((r) => r.value),
      skipped: located.skipped
    }
    return dataset
  })
}

/** A streaming reader of one task's files: the `scan` of the task contract, with an optional chunk size. */
export type Scan<S> = <E>(
  file: string,
  options: Task.LoadOptions & DatasetReader.ScanOptions,
  onSample: (sample: S, position: number, line: number) => Effect.Effect<void, E>
) => Effect.Effect<Task.ScanResult, EvalError.DatasetError | E, FileSystem.FileSystem>

/**
 * Streams a file as {@link load} reads it, a record at a time, to `onSample` (with its 0-based position
 * among the samples and its line), waiting for each effect before reading on: the same samples,
 * format, skipped records and errors, without holding the file. JSON Lines stream line by line (a
 * first look at the file's start refuses a JSON array); CSV is read whole, then handed over one by one.
 */
export const scan = <Row, I, S extends Task.TaskSample>(format: RecordFormat<Row, I, S>): Scan<S> => {
  const readWhole = loadLocated(format)
  const decodeRecord = recordDecoder(format)
  return (file, options, onSample) =>
    Effect.gen(function* () {
      const ext = yield* extensionOf(format, file)
      if (ext === ".csv") {
        const read = yield* readWhole(file, options)
        yield* Effect.forEach(read.records, (r, i) => onSample(r.value, i, r.line), { discard: true })
        const result: Task.ScanResult = { path: file, format: read.format, samples: read.records.length, skipped: read.skipped }
        return result
      }
      if (isArray(yield* DatasetReader.jsonlStart(file, options))) return yield* error(file, 1, null, ARRAY_NOT_JSONL)
      const read = yield* DatasetReader.scanJsonl(
        file,
        options,
        (json, l, index) => Either.map(decodeRecord(file, l.line, index, json), (r) => r.value),
        onSample
      )
      const result: Task.ScanResult = { path: file, format: format.jsonl, samples: read.records, skipped: read.skipped }
      return result
    }).pipe(Effect.withSpan("ExtractDataset.scan"))
}
