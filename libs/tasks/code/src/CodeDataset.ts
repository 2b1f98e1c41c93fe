import { DatasetReader, EvalError } from "@clinical-evals/core"
import type { Task } from "@clinical-evals/core"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { basename, extname } from "node:path"
import { CodeSample, MeDiSumCodeRecord, NoteId, OwnRecord } from "./CodeSample.js"
import { elementLines } from "./internal/jsonDocument.js"

type Located = DatasetReader.Located<CodeSample>
type Result = Either.Either<Located, EvalError.DatasetError>

/**
 * The formats a coding dataset can be in, as `Dataset.format` names them:
 * - `code-jsonl`: the project's own JSON Lines (`id`, `text`, `codes`: a list of code strings);
 * - `medisumcode-jsonl`: MeDiSumCode records (`text`, `icd_codes`: a list of `{"code": …}`), one per
 *   line, as CLUE's dataset generator writes them;
 * - `medisumcode-json`: the same records as one JSON array, as CLUE's evaluation script reads them;
 * - `code-json`: own-format records as one JSON array.
 *
 * @since 0.1.0
 */
export type Format = "code-jsonl" | "code-json" | "medisumcode-jsonl" | "medisumcode-json"

const EXTENSIONS = [".jsonl", ".ndjson", ".json"]

const error = (file: string, line: number | null, field: string | null, message: string) =>
  new EvalError.DatasetError({ file, line, field, message })

/** The file's name without folder and extension: the prefix of generated ids. */
const stem = (file: string) => basename(file, extname(file))

const { isJsonObject: isPlainObject } = DatasetReader

/** MeDiSumCode when the first record has `icd_codes`, else the own format. */
const isMeDiSumCode = (first: unknown) => isPlainObject(first) && "icd_codes" in first

const decodeOwn = DatasetReader.decodeAt(OwnRecord)
const decodeMeDiSumCode = DatasetReader.decodeAt(MeDiSumCodeRecord)

/** Decodes one record at `line`; a MeDiSumCode record without an id gets `<file stem>-<index>`. */
const decodeRecord = (file: string, line: number, index: number, medisumcode: boolean, json: unknown): Result => {
  if (!isPlainObject(json)) {
    return Either.left(error(file, line, null, `expected a JSON object, found ${json === null ? "null" : Array.isArray(json) ? "a list" : typeof json}`))
  }
  const sample: Either.Either<CodeSample, EvalError.DatasetError> = medisumcode
    ? decodeMeDiSumCode(file, line, json).pipe(
        Either.map(
          (r) =>
            new CodeSample({
              id: r.id ?? r.hadm_id ?? r.note_id ?? NoteId.make(`${stem(file)}-${index}`),
              text: r.text,
              codes: [...new Set(r.icd_codes.map((c) => c.code))]
            })
        )
      )
    : decodeOwn(file, line, json).pipe(Either.map((r) => new CodeSample(r)))
  return Either.map(sample, (value) => ({ line, value }))
}

/** JSON Lines: one record per line, the format told by the first line that parses. */
const readLines = (file: string, text: string): { readonly format: Format; readonly results: ReadonlyArray<Result> } => {
  const lines = DatasetReader.nonBlankLines(text)
  const parsed = lines.map((l) => DatasetReader.parseJsonLine(file, l))
  const first = parsed.find(Either.isRight)
  const medisumcode = first !== undefined && isMeDiSumCode(first.right)
  const results = parsed.map((p, index) =>
    Either.flatMap(p, (json) => decodeRecord(file, lines[index]!.line, index, medisumcode, json))
  )
  return { format: medisumcode ? "medisumcode-jsonl" : "code-jsonl", results }
}

/** One JSON array of records; errors name the line where the record starts. */
const readArray = (
  file: string,
  text: string
): Either.Either<{ readonly format: Format; readonly results: ReadonlyArray<Result> }, EvalError.DatasetError> =>
  Either.try({
    try: (): unknown => JSON.parse(text),
    catch: (e) => error(file, DatasetReader.parseErrorLine(text, e), null, `not valid JSON: ${e instanceof Error ? e.message : String(e)}`)
  }).pipe(
    Either.flatMap((json) => {
      if (!Array.isArray(json)) return Either.left(error(file, 1, null, "expected a JSON array of records"))
      const lines = elementLines(text)
      const medisumcode = isMeDiSumCode(json[0])
      return Either.right({
        format: medisumcode ? ("medisumcode-json" as const) : ("code-json" as const),
        results: json.map((record, index) => decodeRecord(file, lines[index] ?? 1, index, medisumcode, record))
      })
    })
  )


/** The extension of a file, or the DatasetError for one that cannot be read. */
const extensionOf = (file: string): Either.Either<string, EvalError.DatasetError> => {
  const ext = extname(file).toLowerCase()
  return EXTENSIONS.includes(ext)
    ? Either.right(ext)
    : Either.left(error(file, null, null, `unknown file type "${ext || "(no extension)"}": use .jsonl, .ndjson or .json`))
}

/** A whole file's records with their lines, and what was set aside. */
const loadLocated = Effect.fn("CodeDataset.loadLocated")(function* (file: string, options: Task.LoadOptions) {
  yield* extensionOf(file)
  const text = yield* DatasetReader.readText(file)
  const { format, results } = text.trimStart().startsWith("[") ? yield* readArray(file, text) : readLines(file, text)
  const { records, skipped } = yield* DatasetReader.collectUnique(file, results, options.onBadInput)
  return { format, records, skipped }
})

/**
 * Reads a file of notes to code (`.jsonl`, `.ndjson` or `.json`). The content decides the layout (a
 * JSON array when it starts with `[`, else JSON Lines, whatever the extension: CLUE's generator writes
 * lines into `MeDiSumCode.json`) and the format (MeDiSumCode when the first record has `icd_codes`, else
 * the project's own `id`, `text`, `codes`). Every problem is a DatasetError naming the file, the line
 * (for an array, the line where the record starts) and the field (`icd_codes[2].code`, `codes[0]`,
 * `text`); with `onBadInput: "skip"` bad records and repeated ids are set aside in `skipped`.
 *
 * @since 0.1.0
 */
export const load = Effect.fn("CodeDataset.load")(function* (file: string, options: Task.LoadOptions) {
  const read = yield* loadLocated(file, options)
  const dataset: Task.Dataset<CodeSample> = {
    path: file,
    format: read.format,
    samples: read.records.map((r) => r.value),
    skipped: read.skipped
  }
  return dataset
})

/** What the first lines of a file say: a JSON array, or the first line that parses. */
type Start = { readonly _tag: "Array" } | { readonly _tag: "Line"; readonly json: unknown }

/**
 * Streams a file of notes to code a note at a time to `onSample` (with its 0-based position and its
 * line), waiting for each effect before reading on: the same samples, format, skipped records and
 * errors as {@link load}, without holding the file. JSON Lines stream line by line (the format is told
 * by the first line that parses, found in a first look at the file's start); a JSON array is read
 * whole, then handed over one by one. `chunkSize` sets the bytes read at a time.
 *
 * @since 0.2.0
 */
export const scan = <E>(
  file: string,
  options: Task.LoadOptions & DatasetReader.ScanOptions,
  onSample: (sample: CodeSample, position: number, line: number) => Effect.Effect<void, E>
): Effect.Effect<Task.ScanResult, EvalError.DatasetError | E, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    yield* extensionOf(file)
    const start = yield* DatasetReader.findLine(
      file,
      (l, index): Option.Option<Start> => {
        if (index === 0 && l.text.trimStart().startsWith("[")) return Option.some({ _tag: "Array" })
        const json = DatasetReader.parseJsonLine(file, l)
        return Either.isRight(json) ? Option.some({ _tag: "Line", json: json.right }) : Option.none()
      },
      options
    )
    if (Option.isSome(start) && start.value._tag === "Array") {
      const read = yield* loadLocated(file, options)
      yield* Effect.forEach(read.records, (r, i) => onSample(r.value, i, r.line), { discard: true })
      const result: Task.ScanResult = { path: file, format: read.format, samples: read.records.length, skipped: read.skipped }
      return result
    }
    const medisumcode = Option.isSome(start) && start.value._tag === "Line" && isMeDiSumCode(start.value.json)
    const read = yield* DatasetReader.scanJsonl(
      file,
      options,
      (json, l, index) => Either.map(decodeRecord(file, l.line, index, medisumcode, json), (r) => r.value),
      onSample
    )
    const result: Task.ScanResult = {
      path: file,
      format: medisumcode ? "medisumcode-jsonl" : "code-jsonl",
      samples: read.records,
      skipped: read.skipped
    }
    return result
  }).pipe(Effect.withSpan("CodeDataset.scan"))
