import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { join } from "node:path"
import { StoreError } from "./EvalError.js"
import { RunManifest } from "./RunManifest.js"
import { SampleRecord } from "./SampleRecord.js"
import { Summary } from "./Summary.js"

/** The files of the output contract, by name. */
export const FILES = {
  manifest: "run.json",
  samples: "samples.jsonl",
  summary: "summary.json",
  report: "report.md"
} as const

/**
 * Writes a file whole or not at all: to a temporary name, then renamed over the old one, so that a
 * reader (or a kill) never sees half a file.
 *
 * @since 0.1.0
 */
export const writeAtomic = Effect.fn("RunFolder.writeAtomic")(function* (file: string, content: string) {
  const fs = yield* FileSystem.FileSystem
  const tmp = `${file}.tmp-${process.pid}`
  yield* fs.writeFileString(tmp, content).pipe(Effect.zipRight(fs.rename(tmp, file))).pipe(
    Effect.mapError((e) => new StoreError({ file, message: `cannot write: ${e.message}` }))
  )
})

const encodeRecord = Schema.encodeSync(SampleRecord)
const encodeManifest = Schema.encodeSync(RunManifest)
const encodeSummary = Schema.encodeSync(Summary)

/** samples.jsonl: one line per sample per model. */
export const samplesJsonl = (records: ReadonlyArray<SampleRecord>): string =>
  records.map((r) => JSON.stringify(encodeRecord(r))).join("\n") + (records.length > 0 ? "\n" : "")

/** Writes summary.json. */
export const writeSummary = (dir: string, summary: Summary) =>
  writeAtomic(join(dir, FILES.summary), JSON.stringify(encodeSummary(summary), null, 2) + "\n")

/** Writes run.json. */
export const writeManifest = (dir: string, manifest: RunManifest) =>
  writeAtomic(join(dir, FILES.manifest), JSON.stringify(encodeManifest(manifest), null, 2) + "\n")

/**
 * Writes the exported files of a run folder from the store's contents: samples.jsonl, summary.json and
 * run.json.
 *
 * @since 0.1.0
 */
export const write = Effect.fn("RunFolder.write")(function* (
  dir: string,
  contents: { readonly manifest: RunManifest; readonly summary: Summary; readonly records: ReadonlyArray<SampleRecord> }
) {
  yield* writeAtomic(join(dir, FILES.samples), samplesJsonl(contents.records))
  yield* writeAtomic(join(dir, FILES.summary), JSON.stringify(encodeSummary(contents.summary), null, 2) + "\n")
  yield* writeManifest(dir, contents.manifest)
})

/**
 * Writes samples.jsonl line by line from `each` (which calls its argument once per line, in file order),
 * to a temporary name renamed over the old file at the end: the run's records are never all in memory.
 *
 * @since 0.1.0
 */
export const writeSamplesStreamed = Effect.fn("RunFolder.writeSamplesStreamed")(function* <E>(
  dir: string,
  each: (onLine: (line: string) => Effect.Effect<void, StoreError>) => Effect.Effect<void, E>
) {
  const fs = yield* FileSystem.FileSystem
  const file = join(dir, FILES.samples)
  const tmp = `${file}.tmp-${process.pid}`
  const fail = (e: { readonly message: string }) => new StoreError({ file, message: `cannot write: ${e.message}` })
  const encoder = new TextEncoder()
  yield* Effect.scoped(
    Effect.gen(function* () {
      const handle = yield* fs.open(tmp, { flag: "w" }).pipe(Effect.mapError(fail))
      let buffer: Array<string> = []
      let size = 0
      const flush = Effect.suspend(() => {
        if (buffer.length === 0) return Effect.void
        const bytes = encoder.encode(buffer.join(""))
        buffer = []
        size = 0
        return handle.writeAll(bytes).pipe(Effect.mapError(fail))
      })
      yield* each((line) =>
        Effect.suspend(() => {
          buffer.push(line, "\n")
          size += line.length + 1
          return size >= 1 << 20 ? flush : Effect.void
        })
      )
      yield* flush
    })
  )
  yield* fs.rename(tmp, file).pipe(Effect.mapError(fail))
})

/**
 * Reads the records of a saved run folder's samples.jsonl (for re-reporting without a model).
 *
 * @since 0.1.0
 */
export const readRecords = Effect.fn("RunFolder.readRecords")(function* (dir: string) {
  const fs = yield* FileSystem.FileSystem
  const file = join(dir, FILES.samples)
  const text = yield* fs
    .readFileString(file)
    .pipe(Effect.mapError((e) => new StoreError({ file, message: `cannot read: ${e.message}` })))
  const decode = Schema.decodeUnknown(Schema.parseJson(SampleRecord))
  return yield* Effect.forEach(
    text.split("\n").filter((l) => l.trim() !== ""),
    (line, i) => decode(line).pipe(Effect.mapError((e) => new StoreError({ file, message: `line ${i + 1}: ${e.message}` })))
  )
})
