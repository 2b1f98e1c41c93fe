import * as FileSystem from "@effect/platform/FileSystem"
import * as Arr from "effect/Array"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { DatasetError } from "./EvalError.js"
import type { OnBadInput, SkippedRecord } from "./Task.js"

/** A line of a text file, 1-based, with its end-of-line characters removed. */
export interface NumberedLine {
  readonly line: number
  readonly text: string
}

/** A decoded record and the line it started on. */
export interface Located<A> {
  readonly line: number
  readonly value: A
}

/**
 * Reads a dataset file as UTF-8 text, without a byte-order mark. A missing file, a folder, an empty
 * file or a binary file is a DatasetError naming the file.
 *
 * @since 0.1.0
 */
export const readText = Effect.fn("DatasetReader.readText")(function* (file: string) {
  const fs = yield* FileSystem.FileSystem
  const info = yield* fs.stat(file).pipe(
    Effect.mapError(() => new DatasetError({ file, line: null, field: null, message: "file not found" }))
  )
  if (info.type !== "File") {
    return yield* new DatasetError({ file, line: null, field: null, message: "not a file" })
  }
  const bytes = yield* fs.readFile(file).pipe(
    Effect.mapError((e) => new DatasetError({ file, line: null, field: null, message: `cannot read: ${e.message}` }))
  )
  if (bytes.length === 0) return yield* new DatasetError({ file, line: null, field: null, message: "the file is empty" })
  if (bytes.subarray(0, 4096).includes(0)) {
    return yield* new DatasetError({ file, line: null, field: null, message: "this is a binary file, not text" })
  }
  const text = new TextDecoder("utf-8").decode(bytes)
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  if (withoutBom.trim() === "") {
    return yield* new DatasetError({ file, line: null, field: null, message: "the file has no records" })
  }
  return withoutBom
})

/** Splits text into numbered lines, accepting LF and CRLF line ends. Blank lines are left out. */
export const nonBlankLines = (text: string): ReadonlyArray<NumberedLine> =>
  text
    .split(/\r?\n/)
    .map((t, i) => ({ line: i + 1, text: t }))
    .filter((l) => l.text.trim() !== "")

/** The dotted path of a parse issue (`options.B`, `answer_idx`), or null for the record as a whole. */
const issuePath = (path: ReadonlyArray<PropertyKey>): string | null =>
  path.length === 0 ? null : path.map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(".").replace(/\.\[/g, "[")

/**
 * Whether a parsed JSON value is an object (not a list, a string, a number or null): what a record is.
 *
 * @since 0.2.0
 */
export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * The error of a JSON Lines file that is one JSON array instead.
 *
 * @since 0.2.0
 */
export const ARRAY_NOT_JSONL = "this is a JSON array, not JSON Lines: write one JSON object per line"

/**
 * The error of a record whose id was already used, naming both lines.
 *
 * @since 0.2.0
 */
export const repeatedId = (file: string, line: number, id: string, firstLine: number): DatasetError =>
  new DatasetError({ file, line, field: "id", message: `id "${id}" was already used on line ${firstLine}` })

/**
 * Turns a Schema parse error into a DatasetError naming the file, line and the first offending field.
 *
 * @since 0.1.0
 */
export const fromParseError = (file: string, line: number | null, error: ParseResult.ParseError): DatasetError => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const first = issues[0]
  const field = first ? issuePath(first.path) : null
  const message = first ? first.message : ParseResult.TreeFormatter.formatErrorSync(error)
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : ""
  return new DatasetError({ file, line, field, message: message + more })
}

/**
 * Decodes an already-parsed value with a schema, locating errors at `file:line`.
 *
 * @since 0.1.0
 */
export const decodeAt = <A, I>(schema: Schema.Schema<A, I>) => {
  // Made once per schema, not once per record.
  const decode = Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "ignore" })
  return (file: string, line: number | null, value: unknown): Either.Either<A, DatasetError> =>
    decode(value).pipe(Either.mapLeft((e) => notAnObject(file, line, e, value) ?? fromParseError(file, line, e)))
}

/** What a JSON value is, in words. */
const kindOf = (value: unknown): string =>
  Array.isArray(value) ? "a list" : value === null ? "null" : typeof value === "object" ? "an object" : `a ${typeof value}`

/**
 * A record that should be an object and is not (a list, a string, a number): said in those words,
 * rather than with the whole expected schema.
 */
const notAnObject = (file: string, line: number | null, error: ParseResult.ParseError, value: unknown): DatasetError | undefined => {
  if (isJsonObject(value)) return undefined
  const first = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
  if (first === undefined || first.path.length > 0 || !first.message.startsWith("Expected {")) return undefined
  return new DatasetError({ file, line, field: null, message: `expected a JSON object with the record's fields, found ${kindOf(value)}` })
}

/** Parses one line as JSON, or says where it breaks. */
export const parseJsonLine = (file: string, line: NumberedLine): Either.Either<unknown, DatasetError> => {
  try {
    return Either.right(JSON.parse(line.text))
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e)
    return Either.left(new DatasetError({ file, line: line.line, field: null, message: `not valid JSON: ${detail}` }))
  }
}

/**
 * Decodes located values one by one: with `fail`, the first bad record ends the load with its error;
 * with `skip`, bad records are set aside and reported.
 *
 * @since 0.1.0
 */
export const collect = <A>(
  results: ReadonlyArray<Either.Either<Located<A>, DatasetError>>,
  onBadInput: OnBadInput
): Effect.Effect<{ readonly records: ReadonlyArray<Located<A>>; readonly skipped: ReadonlyArray<SkippedRecord> }, DatasetError> =>
  Effect.suspend(() => {
    const records: Array<Located<A>> = []
    const skipped: Array<SkippedRecord> = []
    for (const r of results) {
      if (Either.isRight(r)) records.push(r.right)
      else if (onBadInput === "fail") return Effect.fail(r.left)
      else skipped.push({ error: r.left })
    }
    return Effect.succeed({ records, skipped })
  })

/**
 * Reads a JSON Lines file, decoding each line with `schema`. Errors name the file, the line and the field.
 *
 * @since 0.1.0
 */
export const jsonl = <A, I>(file: string, text: string, schema: Schema.Schema<A, I>, onBadInput: OnBadInput) => {
  const decode = decodeAt(schema)
  return collect(
    nonBlankLines(text).map((l) =>
      parseJsonLine(file, l).pipe(
        Either.flatMap((json) => decode(file, l.line, json)),
        Either.map((value) => ({ line: l.line, value }))
      )
    ),
    onBadInput
  )
}

/**
 * Checks that ids are unique: a repeated id would make results ambiguous and resume unsafe.
 *
 * @since 0.1.0
 */
export const requireUniqueIds = <A extends { readonly id: string }>(
  file: string,
  records: ReadonlyArray<Located<A>>
): Effect.Effect<void, DatasetError> => {
  const seen = new Map<string, number>()
  for (const r of records) {
    const first = seen.get(r.value.id)
    if (first !== undefined) {
      return Effect.fail(
        repeatedId(file, r.line, r.value.id, first)
      )
    }
    seen.set(r.value.id, r.line)
  }
  return Effect.void
}

/**
 * Keeps the first record of each id. With `fail`, a repeated id ends the load with its line and the
 * line of its first use; with `skip`, the repeats are set aside and reported.
 *
 * @since 0.1.0
 */
export const uniqueIds = <A extends { readonly id: string }>(
  file: string,
  records: ReadonlyArray<Located<A>>,
  onBadInput: OnBadInput
): Effect.Effect<{ readonly records: ReadonlyArray<Located<A>>; readonly skipped: ReadonlyArray<SkippedRecord> }, DatasetError> => {
  if (onBadInput === "fail") return requireUniqueIds(file, records).pipe(Effect.as({ records, skipped: [] }))
  const seen = new Map<string, number>()
  const kept: Array<Located<A>> = []
  const skipped: Array<SkippedRecord> = []
  for (const r of records) {
    const first = seen.get(r.value.id)
    if (first === undefined) {
      seen.set(r.value.id, r.line)
      kept.push(r)
    } else {
      skipped.push({
        error: repeatedId(file, r.line, r.value.id, first)
      })
    }
  }
  return Effect.succeed({ records: kept, skipped })
}

/**
 * A file's records, ready to use: {@link collect} then {@link uniqueIds}. With `fail`, the first bad
 * record ends the load, or, if there is none, the first repeated id does; with `skip`, bad records then
 * repeated ids are reported in `skipped`, in that order. No result at all is "the file has no records".
 *
 * @since 0.2.0
 */
export const collectUnique = <A extends { readonly id: string }>(
  file: string,
  results: ReadonlyArray<Either.Either<Located<A>, DatasetError>>,
  onBadInput: OnBadInput
): Effect.Effect<{ readonly records: ReadonlyArray<Located<A>>; readonly skipped: ReadonlyArray<SkippedRecord> }, DatasetError> =>
  Effect.gen(function* () {
    if (results.length === 0) {
      return yield* new DatasetError({ file, line: null, field: null, message: "the file has no records" })
    }
    const collected = yield* collect(results, onBadInput)
    const unique = yield* uniqueIds(file, collected.records, onBadInput)
    return { records: unique.records, skipped: [...collected.skipped, ...unique.skipped] }
  })

/**
 * The 1-based line of a character offset in a text (JSON.parse gives values, not lines).
 *
 * @since 0.1.0
 */
export const lineAt = (text: string, offset: number): number => {
  let line = 1
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

/**
 * The line of a JSON.parse error, from the position its message gives (`at position 123`, or
 * `line 4 column 2`), or null.
 *
 * @since 0.1.0
 */
export const parseErrorLine = (text: string, error: unknown): number | null => {
  const message = error instanceof Error ? error.message : String(error)
  const lineCol = /line (\d+) column \d+/.exec(message)
  if (lineCol !== null) return Number(lineCol[1])
  const position = /position (\d+)/.exec(message)
  return position === null ? null : lineAt(text, Number(position[1]))
}

/**
 * How a file is streamed: `chunkSize`, the bytes read from disk at a time (64 KiB when absent). Memory
 * stays about one chunk plus the longest line, whatever the file's size.
 *
 * @since 0.2.0
 */
export interface ScanOptions {
  readonly chunkSize?: number
}

const DEFAULT_CHUNK_SIZE = 64 * 1024
/** How much of a file's start is searched for a NUL byte (as {@link readText} does). */
const BINARY_PROBE = 4096

const fileError = (file: string, message: string) => new DatasetError({ file, line: null, field: null, message })

/**
 * The streaming core: reads `file` a chunk at a time and hands each chunk's non-blank lines to
 * `onBatch` as one array (lines split exactly as {@link nonBlankLines} splits {@link readText}'s text),
 * waiting for its effect before reading on. `onBatch` answers `false` to stop early. Fails with the
 * same file-level DatasetErrors as {@link readText}; the result is the number of non-blank lines seen.
 */
const streamBatches = <E, R>(
  file: string,
  options: ScanOptions | undefined,
  onBatch: (batch: ReadonlyArray<NumberedLine>) => Effect.Effect<boolean, E, R>
): Effect.Effect<number, DatasetError | E, FileSystem.FileSystem | R> =>
  Effect.scoped(
    Effect.gen(function* () {
      const asked = options?.chunkSize ?? DEFAULT_CHUNK_SIZE
      const chunkSize = Number.isFinite(asked) ? Math.max(1, Math.floor(asked)) : DEFAULT_CHUNK_SIZE
      const fs = yield* FileSystem.FileSystem
      const info = yield* fs.stat(file).pipe(Effect.mapError(() => fileError(file, "file not found")))
      if (info.type !== "File") return yield* fileError(file, "not a file")
      const handle = yield* fs.open(file, { flag: "r" }).pipe(
        Effect.mapError((e) => fileError(file, `cannot read: ${e.message}`))
      )
      const read = (into: Uint8Array) =>
        handle.read(into).pipe(
          Effect.map(Number),
          Effect.mapError((e) => fileError(file, `cannot read: ${e.message}`))
        )

      // The start of the file, read before any line is handed over: empty and binary files are refused whole.
      const head = new Uint8Array(BINARY_PROBE)
      let filled = 0
      let eof = false
      while (filled < BINARY_PROBE) {
        const n = yield* read(head.subarray(filled, Math.min(BINARY_PROBE, filled + chunkSize)))
        if (n === 0) {
          eof = true
          break
        }
        filled += n
      }
      if (filled === 0) return yield* fileError(file, "the file is empty")
      if (head.subarray(0, filled).includes(0)) return yield* fileError(file, "this is a binary file, not text")

      const decoder = new TextDecoder("utf-8")
      let started = false // whether any text was decoded yet (a second byte-order mark is removed there)
      let pending: Array<string> = [] // the line being read, in pieces when it spans chunks
      let lineNumber = 0
      let nonBlank = 0
      const split = (decoded: string, final: boolean): Array<NumberedLine> => {
        let text = decoded
        if (!started && text.length > 0) {
          started = true
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
        }
        const batch: Array<NumberedLine> = []
        const push = (t: string) => {
          lineNumber++
          if (t.length > 0 && t.trim() !== "") batch.push({ line: lineNumber, text: t })
        }
        let start = 0
        let nl = text.indexOf("\n")
        while (nl !== -1) {
          let t = text.slice(start, nl)
          if (pending.length > 0) {
            t = pending.join("") + t
            pending = []
          }
          push(t.charCodeAt(t.length - 1) === 13 ? t.slice(0, -1) : t)
          start = nl + 1
          nl = text.indexOf("\n", start)
        }
        if (start < text.length) pending.push(start === 0 ? text : text.slice(start))
        if (final) {
          push(pending.join(""))
          pending = []
        }
        nonBlank += batch.length
        return batch
      }

      const buffer = new Uint8Array(chunkSize)
      let batch = split(decoder.decode(head.subarray(0, filled), { stream: true }), false)
      let done = false
      for (;;) {
        if (batch.length > 0 && !(yield* onBatch(batch))) return nonBlank
        if (done) break
        const n = eof ? 0 : yield* read(buffer)
        if (n === 0) {
          done = true
          batch = split(decoder.decode(), true)
        } else {
          batch = split(decoder.decode(buffer.subarray(0, n), { stream: true }), false)
        }
      }
      if (nonBlank === 0) return yield* fileError(file, "the file has no records")
      return nonBlank
    })
  )

/**
 * Streams a text file's non-blank lines to `onLine`, with their 1-based line numbers and their 0-based
 * index among the non-blank lines, waiting for each effect before going on: the file is read a chunk
 * at a time and never held whole. Lines are those {@link nonBlankLines} gives for {@link readText}'s
 * text (LF or CRLF ends, a byte-order mark removed, invalid UTF-8 as U+FFFD), and a missing file, a
 * folder, an empty, binary or blank file fails with the same DatasetError, before any line is handed
 * over. The result is the number of non-blank lines.
 *
 * @since 0.2.0
 */
export const scanLines = <E, R>(
  file: string,
  onLine: (line: NumberedLine, index: number) => Effect.Effect<void, E, R>,
  options?: ScanOptions
): Effect.Effect<number, DatasetError | E, FileSystem.FileSystem | R> =>
  Effect.suspend(() => {
    let index = 0
    return streamBatches(file, options, (batch) =>
      Effect.forEach(batch, (l) => onLine(l, index++), { discard: true }).pipe(Effect.as(true))
    )
  }).pipe(Effect.withSpan("DatasetReader.scanLines"))

/**
 * Streams a text file's non-blank lines until `find` gives a value for one (the lines after it are
 * not read), with the same checks and errors as {@link scanLines}. For a look at the first records,
 * e.g. to tell formats apart, without reading the rest.
 *
 * @since 0.2.0
 */
export const findLine = <A>(
  file: string,
  find: (line: NumberedLine, index: number) => Option.Option<A>,
  options?: ScanOptions
): Effect.Effect<Option.Option<A>, DatasetError, FileSystem.FileSystem> =>
  Effect.suspend(() => {
    let index = 0
    let found: Option.Option<A> = Option.none()
    return streamBatches(file, options, (batch) => {
      for (const l of batch) {
        found = find(l, index++)
        if (Option.isSome(found)) return Effect.succeed(false)
      }
      return Effect.succeed(true)
    }).pipe(Effect.map(() => found))
  }).pipe(Effect.withSpan("DatasetReader.findLine"))

/**
 * What the start of a JSON Lines file says (see {@link jsonlStart}): that the file is one JSON array,
 * or which line holds its first record that is an object, and that record's fields.
 *
 * @since 0.2.0
 */
export type JsonlStart =
  | { readonly _tag: "Array" }
  | { readonly _tag: "Object"; readonly line: number; readonly fields: Record<string, unknown> }

/**
 * A first look at a JSON Lines file, to tell formats apart: `Array` when its first non-blank line
 * starts with `[` (a JSON array, not JSON Lines), else the first line that parses as a JSON object,
 * with its line and fields (broken lines and lines holding a list, a string, a number or null are
 * passed over), else none. The file is streamed as {@link findLine} streams it, only until the answer
 * is known, with the same checks and errors; given `lines` (those {@link nonBlankLines} gives for a
 * file already read), those are looked at instead and the file is not opened.
 *
 * @since 0.2.0
 */
export const jsonlStart = (
  file: string,
  options?: ScanOptions & { readonly lines?: ReadonlyArray<NumberedLine> }
): Effect.Effect<Option.Option<JsonlStart>, DatasetError, FileSystem.FileSystem> => {
  const look = (l: NumberedLine, index: number): Option.Option<JsonlStart> => {
    if (index === 0 && l.text.trimStart().startsWith("[")) return Option.some({ _tag: "Array" })
    const json = parseJsonLine(file, l)
    return Either.isRight(json) && isJsonObject(json.right)
      ? Option.some({ _tag: "Object", line: l.line, fields: json.right })
      : Option.none()
  }
  const lines = options?.lines
  return lines === undefined ? findLine(file, look, options) : Effect.sync(() => Arr.findFirst(lines, look))
}

/** What {@link scanJsonl} reports: how many records it handed over, and those it set aside. */
export interface JsonlScan {
  readonly records: number
  readonly skipped: ReadonlyArray<SkippedRecord>
}

/**
 * Streams a JSON Lines file a record at a time: each non-blank line is parsed ({@link parseJsonLine})
 * and decoded by `decode` (given the line and its 0-based index among the non-blank lines), and each
 * good record whose id is new is handed to `onRecord` with its 0-based position among the records and
 * its line, in file order, waiting for the effect before reading on. The outcome is that of
 * {@link jsonl} followed by {@link uniqueIds}: with `fail`, the first bad record ends the scan with its
 * error, or, if there is none, the first repeated id does (`id "x" was already used on line N`; no
 * record after it is handed over); with `skip`, bad records then repeated ids are reported in
 * `skipped`, in that order, as `uniqueIds` reports them.
 *
 * @since 0.2.0
 */
export const scanJsonl = <A extends { readonly id: string }, E, R>(
  file: string,
  options: { readonly onBadInput: OnBadInput } & ScanOptions,
  decode: (json: unknown, line: NumberedLine, index: number) => Either.Either<A, DatasetError>,
  onRecord: (record: A, position: number, line: number) => Effect.Effect<void, E, R>
): Effect.Effect<JsonlScan, DatasetError | E, FileSystem.FileSystem | R> =>
  Effect.suspend(() => {
    const fail = options.onBadInput === "fail"
    const seen = new Map<string, number>()
    const bad: Array<SkippedRecord> = []
    const repeated: Array<SkippedRecord> = []
    let firstRepeat: DatasetError | undefined
    let index = 0
    let position = 0
    const hand = (ready: ReadonlyArray<Located<A>>) =>
      Effect.forEach(ready, (r) => onRecord(r.value, position++, r.line), { discard: true })
    return streamBatches(file, options, (batch) => {
      const ready: Array<Located<A>> = []
      for (const l of batch) {
        const parsed = parseJsonLine(file, l)
        const decoded = Either.isRight(parsed) ? decode(parsed.right, l, index) : parsed
        index++
        if (Either.isLeft(decoded)) {
          if (fail) return Effect.zipRight(hand(ready), Effect.fail(decoded.left))
          bad.push({ error: decoded.left })
          continue
        }
        const id = decoded.right.id
        const first = seen.get(id)
        if (first === undefined) {
          seen.set(id, l.line)
          if (firstRepeat === undefined) ready.push({ line: l.line, value: decoded.right })
          continue
        }
        const error = repeatedId(file, l.line, id, first)
        if (!fail) repeated.push({ error })
        else if (firstRepeat === undefined) firstRepeat = error
      }
      return ready.length === 0 ? Effect.succeed(true) : Effect.as(hand(ready), true)
    }).pipe(
      Effect.flatMap(() =>
        firstRepeat === undefined
          ? Effect.succeed<JsonlScan>({ records: position, skipped: [...bad, ...repeated] })
          : Effect.fail(firstRepeat)
      )
    )
  }).pipe(Effect.withSpan("DatasetReader.scanJsonl"))
