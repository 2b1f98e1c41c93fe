import { Csv, DatasetReader, EvalError, type Task } from "@clinical-evals/core"
import { IcdCode } from "@clinical-evals/parsers"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { basename, extname } from "node:path"
import { type DeclarativeSample, renderOptions } from "./DeclarativeSample.js"
import type { TaskFile } from "./TaskFile.js"
import { usedFields } from "./TaskFile.js"

/**
 * The dataset formats a declarative task reads, chosen by extension: `jsonl` (one JSON object per
 * line; a field may be text, a number, a list, or an object of options) and `csv` (a header row, then
 * one record per row, RFC 4180).
 *
 * @since 0.1.0
 */
export type Format = "jsonl" | "csv"

type Value = string | ReadonlyArray<string> | Readonly<Record<string, string>>
type Result = Either.Either<DatasetReader.Located<DeclarativeSample>, EvalError.DatasetError>

const error = (file: string, line: number | null, field: string | null, message: string) =>
  new EvalError.DatasetError({ file, line, field, message })

/** A JSON value as a field value: text, a list of texts, or an object of texts; else an error message. */
const toValue = (v: unknown): Either.Either<Value, string> => {
  if (typeof v === "string") return Either.right(v)
  if (typeof v === "number" || typeof v === "boolean") return Either.right(String(v))
  if (Array.isArray(v)) {
    return v.every((x) => typeof x === "string" || typeof x === "number")
      ? Either.right(v.map(String))
      : Either.left("a list must hold only texts or numbers")
  }
  if (typeof v === "object" && v !== null) {
    const entries = Object.entries(v)
    return entries.every(([, x]) => typeof x === "string" || typeof x === "number")
      ? Either.right(Object.fromEntries(entries.map(([k, x]) => [k, String(x)])))
      : Either.left("an object must map keys to texts")
  }
  return Either.left("expected text, a number, a list or an object")
}

const asText = (v: Value): string =>
  typeof v === "string" ? v : Array.isArray(v) ? v.join(", ") : renderOptions(v as Readonly<Record<string, string>>)

/**
 * Builds one sample from a record's raw values, checking the fields the task uses: every one present
 * and non-empty, options well formed, the reference one of the options or labels.
 */
const toSample = (
  task: TaskFile,
  file: string,
  line: number,
  index: number,
  raw: Readonly<Record<string, unknown>>
): Result => {
  const values: Record<string, Value> = {}
  for (const [k, v] of Object.entries(raw)) {
    if (v === null || v === undefined) continue
    const value = toValue(v)
    if (Either.isLeft(value)) return Either.left(error(file, line, k, value.left))
    values[k] = value.right
  }
  for (const use of usedFields(task)) {
    const v = values[use.field]
    if (v === undefined || (typeof v === "string" && v.trim() === "" && use.key !== "parser.options")) {
      return Either.left(error(file, line, use.field, `missing or empty; the task file uses it (${use.key})`))
    }
  }
  let options: Record<string, string> | null = null
  if (task.parser.kind === "choice") {
    const spec = task.parser.options
    if (typeof spec === "string") {
      const v = values[spec]!
      if (typeof v === "string" || Array.isArray(v)) return Either.left(error(file, line, spec, 'expected an object of options {"A": "…", "B": "…"}'))
      options = Object.fromEntries(Object.entries(v as Record<string, string>).map(([k, t]) => [k.trim().toUpperCase(), t]))
    } else {
      options = {}
      spec.forEach((column, k) => {
        const text = asText(values[column] ?? "").trim()
        if (text !== "") options![String.fromCharCode(65 + k)] = text
      })
    }
    if (Object.keys(options).length < 2) return Either.left(error(file, line, typeof spec === "string" ? spec : spec[0]!, "fewer than two options"))
  }
  const refRaw = values[task.reference]!
  let reference: ReadonlyArray<string> =
    typeof refRaw === "string" ? [refRaw.trim()] : Array.isArray(refRaw) ? refRaw.map((r) => r.trim()) : []
  if (reference.length === 0) return Either.left(error(file, line, task.reference, "expected text or a list of texts"))
  if (task.metrics.includes("set") && typeof refRaw === "string") {
    reference = refRaw.split(";").map((r) => r.trim()).filter((r) => r !== "")
  }
  if (task.parser.kind === "icd") {
    const codes = (typeof refRaw === "string" ? refRaw.split(/[;,]/) : reference).map((c) => c.trim()).filter((c) => c !== "")
    if (codes.length === 0) return Either.left(error(file, line, task.reference, "no ICD-10 code"))
    reference = [...new Set(codes.map(IcdCode.normalize))]
  }
  if (task.parser.kind === "choice") {
    const letter = reference[0]!.toUpperCase()
    if (options![letter] === undefined) {
      return Either.left(error(file, line, task.reference, `"${reference[0]}" is not one of the options ${Object.keys(options!).join(", ")}`))
    }
    reference = [letter]
  }
  if (task.parser.kind === "label") {
    const labels = task.parser.labels
    const canonical = labels.find((l) => l.toLowerCase() === reference[0]!.toLowerCase())
    if (canonical === undefined) {
      return Either.left(error(file, line, task.reference, `"${reference[0]}" is not one of the labels ${labels.join(", ")}`))
    }
    reference = [canonical]
  }
  const idValue = values[task.id]
  const id = idValue === undefined ? `${basename(file, extname(file))}-${index + 1}` : asText(idValue).trim()
  if (id === "") return Either.left(error(file, line, task.id, "an empty id"))
  const fields: Record<string, string> = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, asText(v)]))
  if (options !== null) fields["options"] = renderOptions(options)
  if (task.parser.kind === "label") fields["labels"] = task.parser.labels.join(", ")
  const groups = Object.fromEntries(task.groups.map((g) => [g, asText(values[g]!).trim()]))
  return Either.right({
    line,
    value: { id, fields, options, reference, referenceValue: refRaw, groups }
  })
}

/** One parsed JSON Lines record as a sample, or the error for a line that is not an object. */
const fromJson = (task: TaskFile, file: string, line: number, index: number, json: unknown): Result =>
  typeof json === "object" && json !== null && !Array.isArray(json)
    ? toSample(task, file, line, index, json as Record<string, unknown>)
    : Either.left(error(file, line, null, "expected a JSON object"))

/** The extension of a dataset, or the DatasetError for one a declarative task cannot read. */
const extensionOf = (file: string): Either.Either<".jsonl" | ".csv", EvalError.DatasetError> => {
  const ext = extname(file).toLowerCase()
  return ext === ".jsonl" || ext === ".csv"
    ? Either.right(ext)
    : Either.left(error(file, null, null, `a declarative task reads .jsonl or .csv files, not "${ext || "no extension"}"`))
}

/** A whole dataset's records with their lines, and what was set aside. */
const loadLocated = Effect.fn("DeclarativeDataset.loadLocated")(function* (
  task: TaskFile,
  file: string,
  options: Task.LoadOptions
) {
  const ext = yield* extensionOf(file)
  const text = yield* DatasetReader.readText(file)
  let results: ReadonlyArray<Result>
  if (ext === ".csv") {
    const table = yield* Csv.parse(file, text)
    results = table.records.map((r, i) => Either.flatMap(r, (rec) => toSample(task, file, rec.line, i, rec.fields)))
  } else {
    results = DatasetReader.nonBlankLines(text).map((l, i) =>
      DatasetReader.parseJsonLine(file, l).pipe(Either.flatMap((json) => fromJson(task, file, l.line, i, json)))
    )
  }
  const { records, skipped } = yield* DatasetReader.collect(results, options.onBadInput)
  yield* DatasetReader.requireUniqueIds(file, records)
  const format: Format = ext === ".csv" ? "csv" : "jsonl"
  return { format, records, skipped }
})

/**
 * Reads a declarative task's dataset (`.jsonl` or `.csv`). A bad record is a DatasetError naming the
 * file, line and field; with `onBadInput: "skip"` it is set aside and reported. Ids must be unique.
 *
 * @since 0.1.0
 */
export const load = Effect.fn("DeclarativeDataset.load")(function* (
  task: TaskFile,
  file: string,
  options: Task.LoadOptions
) {
  const read = yield* loadLocated(task, file, options)
  const dataset: Task.Dataset<DeclarativeSample> = {
    path: file,
    format: read.format,
    samples: read.records.map((r) => r.value),
    skipped: read.skipped
  }
  return dataset
})

/**
 * Streams a declarative task's dataset a sample at a time to `onSample` (with its 0-based position and
 * its line), waiting for each effect before reading on: the same samples, format, skipped records and
 * errors as {@link load}, without holding the file. JSON Lines stream line by line; CSV is read whole,
 * then handed over one by one. As with `load`, a repeated id ends the read even with `skip`: there
 * the samples before it may have been handed over. `chunkSize` sets the bytes read at a time.
 *
 * @since 0.2.0
 */
export const scan = <E>(
  task: TaskFile,
  file: string,
  options: Task.LoadOptions & DatasetReader.ScanOptions,
  onSample: (sample: DeclarativeSample, position: number, line: number) => Effect.Effect<void, E>
): Effect.Effect<Task.ScanResult, EvalError.DatasetError | E, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const ext = yield* extensionOf(file)
    if (ext === ".csv") {
      const read = yield* loadLocated(task, file, options)
      yield* Effect.forEach(read.records, (r, i) => onSample(r.value, i, r.line), { discard: true })
      const result: Task.ScanResult = { path: file, format: read.format, samples: read.records.length, skipped: read.skipped }
      return result
    }
    // With `fail`, scanJsonl reports the first bad record, else the first repeated id, as load does. With
    // `skip` it would set repeated ids aside, where load refuses the file: the first repeat among the
    // good records is noted here, and ends the scan at the next sample or at the end.
    const seen = new Map<string, number>()
    let repeat: EvalError.DatasetError | undefined
    const skip = options.onBadInput === "skip"
    const read = yield* DatasetReader.scanJsonl(
      file,
      options,
      (json, l, index) => {
        const result = Either.map(fromJson(task, file, l.line, index, json), (r) => r.value)
        if (skip && Either.isRight(result) && repeat === undefined) {
          const first = seen.get(result.right.id)
          if (first === undefined) seen.set(result.right.id, l.line)
          else repeat = DatasetReader.repeatedId(file, l.line, result.right.id, first)
        }
        return result
      },
      (sample, position, line): Effect.Effect<void, EvalError.DatasetError | E> =>
        repeat === undefined ? onSample(sample, position, line) : Effect.fail(repeat)
    )
    if (repeat !== undefined) return yield* repeat
    const result: Task.ScanResult = { path: file, format: "jsonl", samples: read.records, skipped: read.skipped }
    return result
  }).pipe(Effect.withSpan("DeclarativeDataset.scan"))
