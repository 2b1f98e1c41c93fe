import * as FileSystem from "@effect/platform/FileSystem"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { join } from "node:path"

/** Where default run folders go, relative to the working directory. */
export const RUNS = "runs"

const stamp = (ms: number): string => {
  const d = new Date(ms)
  const p = (n: number) => String(n).padStart(2, "0")
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`
}

const sameCommand = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) =>
  a.length === b.length && a.every((x, i) => x === b[i])

/**
 * The run folder when `--out` is not given: the newest unfinished run of the very same command under
 * runs/ (so that running a killed command again resumes it), else a new `runs/<evaluator>-<timestamp>`.
 *
 * @since 0.1.0
 */
export const choose = Effect.fn("RunFolderChoice.choose")(function* (evaluator: string, command: ReadonlyArray<string>) {
  const fs = yield* FileSystem.FileSystem
  const entries = yield* fs.readDirectory(RUNS).pipe(Effect.orElseSucceed(() => [] as Array<string>))
  const candidates = entries.filter((e) => e.startsWith(`${evaluator}-`)).sort().reverse()
  for (const name of candidates) {
    const manifest = yield* fs.readFileString(join(RUNS, name, "run.json")).pipe(
      Effect.map((text) => JSON.parse(text) as { command?: Array<string>; endedAt?: string | null; interrupted?: boolean }),
      Effect.option
    )
    if (Option.isNone(manifest)) continue
    const m = manifest.value
    const unfinished = m.endedAt === null || m.interrupted === true
    if (unfinished && m.command && sameCommand(m.command, command)) return { dir: join(RUNS, name), resumed: true }
  }
  const now = yield* Clock.currentTimeMillis
  let dir = join(RUNS, `${evaluator}-${stamp(now)}`)
  for (let i = 2; yield* fs.exists(dir).pipe(Effect.orElseSucceed(() => false)); i++) {
    dir = join(RUNS, `${evaluator}-${stamp(now)}-${i}`)
  }
  return { dir, resumed: false }
})
