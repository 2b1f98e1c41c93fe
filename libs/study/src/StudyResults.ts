import * as FileSystem from "@effect/platform/FileSystem"
import { EvalError, RunFolder, type SampleRecord, Summary } from "@clinical-evals/core"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { join } from "node:path"

/**
 * One model's results on one task, read from a saved run folder.
 *
 * @since 0.2.0
 */
export interface ResultCell {
  readonly task: string
  readonly model: string
  readonly folder: string
  readonly complete: boolean
  readonly summary: Summary.ModelSummary
  readonly records: ReadonlyArray<SampleRecord.SampleRecord>
}

/**
 * The cells read from the folders given, and notes for the reader (a cell read twice, the later one
 * kept).
 *
 * @since 0.2.0
 */
export interface Results {
  readonly cells: ReadonlyArray<ResultCell>
  readonly folders: ReadonlyArray<string>
  readonly notes: ReadonlyArray<string>
}

const decodeSummary = Schema.decodeUnknown(Schema.parseJson(Summary.Summary))

/** Run folders (holding summary.json) at or below `dir`, at most `depth` levels down, in name order. */
const findRunFolders = (dir: string, depth: number): Effect.Effect<ReadonlyArray<string>, never, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    if (yield* fs.exists(join(dir, RunFolder.FILES.summary)).pipe(Effect.orElseSucceed(() => false))) return [dir]
    if (depth === 0) return []
    const entries = yield* fs.readDirectory(dir).pipe(Effect.orElseSucceed(() => [] as Array<string>))
    const found: Array<string> = []
    for (const entry of [...entries].sort()) {
      const path = join(dir, entry)
      const info = yield* fs.stat(path).pipe(Effect.option)
      if (info._tag === "Some" && info.value.type === "Directory") found.push(...(yield* findRunFolders(path, depth - 1)))
    }
    return found
  })

const readRun = (folder: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const file = join(folder, RunFolder.FILES.summary)
    const text = yield* fs.readFileString(file).pipe(
      Effect.mapError(() => new EvalError.DatasetError({ file, line: null, field: null, message: "cannot read" }))
    )
    const summary = yield* decodeSummary(text).pipe(
      Effect.mapError((e) => {
        const first = ParseResult.ArrayFormatter.formatErrorSync(e)[0]
        return new EvalError.DatasetError({ file, line: null, field: first?.path.map(String).join(".") || null, message: first?.message ?? "not a summary.json" })
      })
    )
    const records = yield* RunFolder.readRecords(folder).pipe(
      Effect.mapError((e) => new EvalError.DatasetError({ file: e.file, line: null, field: null, message: e.message }))
    )
    return Object.values(summary.models).map((m): ResultCell => ({
      task: summary.task,
      model: m.model,
      folder,
      complete: summary.complete,
      summary: m,
      records: records.filter((r) => r.model === m.model)
    }))
  })

/**
 * Reads saved runs: each folder may be a run folder (summary.json, samples.jsonl) or a folder holding run
 * folders (a study folder `<study>/<task>/<model>`, or several runs). Several folders merge into one set
 * of results; when the same model and task appear twice, the folder given later wins and a note says so.
 * A folder with no run in it is bad input (a DatasetError naming it).
 *
 * @since 0.2.0
 */
export const load = Effect.fn("StudyResults.load")(function* (folders: ReadonlyArray<string>) {
  const byKey = new Map<string, ResultCell>()
  const notes: Array<string> = []
  for (const folder of folders) {
    const runs = yield* findRunFolders(folder, 3)
    if (runs.length === 0) {
      return yield* new EvalError.DatasetError({ file: folder, line: null, field: null, message: "no run folder here (no summary.json at or below it)" })
    }
    for (const run of runs) {
      for (const cell of yield* readRun(run)) {
        const key = `${cell.task}\u0000${cell.model}`
        const before = byKey.get(key)
        if (before !== undefined) notes.push(`${cell.model} on ${cell.task} is in both ${before.folder} and ${cell.folder}: ${cell.folder} is used.`)
        byKey.set(key, cell)
      }
    }
  }
  return { cells: [...byKey.values()], folders, notes } satisfies Results
})
