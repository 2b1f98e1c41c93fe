import * as FileSystem from "@effect/platform/FileSystem"
import { EvalError, RunFolder } from "@clinical-evals/core"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { join } from "node:path"

/** Where default study folders go, relative to the working directory. */
export const RUNS = "runs"

/**
 * study.json, at the top of a study folder: the command, the registry, the models and tasks of the
 * matrix, and whether it finished. `compare` without `--out` resumes the newest unfinished study of the
 * same command; `report` rebuilds a study folder's reports in place.
 *
 * @since 0.2.0
 */
export const StudyManifest = Schema.Struct({
  command: Schema.Array(Schema.String),
  registry: Schema.String,
  models: Schema.Array(Schema.String),
  tasks: Schema.Array(Schema.String),
  startedAt: Schema.String,
  endedAt: Schema.NullOr(Schema.String)
})
export type StudyManifest = typeof StudyManifest.Type

/** The name of the manifest file. */
export const MANIFEST = "study.json"

const decode = Schema.decodeUnknown(Schema.parseJson(StudyManifest))

/**
 * Reads a study folder's manifest; none when the folder is not a study folder.
 *
 * @since 0.2.0
 */
export const read = (dir: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs.readFileString(join(dir, MANIFEST)).pipe(Effect.option)
    if (Option.isNone(text)) return Option.none<StudyManifest>()
    return yield* decode(text.value).pipe(Effect.option)
  })

/**
 * Writes a study folder's manifest (creating the folder).
 *
 * @since 0.2.0
 */
export const write = Effect.fn("StudyFolder.write")(function* (dir: string, manifest: StudyManifest) {
  const fs = yield* FileSystem.FileSystem
  yield* fs.makeDirectory(dir, { recursive: true }).pipe(
    Effect.mapError((e) => new EvalError.StoreError({ file: dir, message: `cannot create: ${e.message}` }))
  )
  yield* RunFolder.writeAtomic(join(dir, MANIFEST), JSON.stringify(Schema.encodeSync(StudyManifest)(manifest), null, 2) + "\n")
})

const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15)

const same = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) => a.length === b.length && a.every((x, i) => x === b[i])

/**
 * The study folder when `--out` is not given: the newest unfinished study of the very same command under
 * runs/ (so that running an interrupted study again resumes it), else a new `runs/<prefix>-<timestamp>`.
 *
 * @since 0.2.0
 */
export const choose = Effect.fn("StudyFolder.choose")(function* (prefix: string, command: ReadonlyArray<string>) {
  const fs = yield* FileSystem.FileSystem
  const entries = yield* fs.readDirectory(RUNS).pipe(Effect.orElseSucceed(() => [] as Array<string>))
  for (const name of entries.filter((e) => e.startsWith(`${prefix}-`)).sort().reverse()) {
    const manifest = yield* read(join(RUNS, name))
    if (Option.isSome(manifest) && manifest.value.endedAt === null && same(manifest.value.command, command)) {
      return { dir: join(RUNS, name), resumed: true }
    }
  }
  const now = yield* Clock.currentTimeMillis
  let dir = join(RUNS, `${prefix}-${stamp(now)}`)
  for (let i = 2; yield* fs.exists(dir).pipe(Effect.orElseSucceed(() => false)); i++) dir = join(RUNS, `${prefix}-${stamp(now)}-${i}`)
  return { dir, resumed: false }
})
