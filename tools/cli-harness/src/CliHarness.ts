import * as Effect from "effect/Effect"
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

/** The `clinical-evals` bin, run from its TypeScript sources as a user runs it after `npm ci`. */
export const BIN = fileURLToPath(new URL("../../../apps/cli/bin/clinical-evals.mjs", import.meta.url))

/** How a run of the bin ended. */
export interface Result {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Starts the bin (`clinical-evals`, or another bin given, e.g. an app's own) with `args` in `cwd`, with
 * its own cache folder (`XDG_CACHE_HOME` under `cwd`, so tests never share or touch the user's cache)
 * and no `OLLAMA_HOST` from the environment.
 */
export const start = (
  args: ReadonlyArray<string>,
  cwd: string,
  env: Record<string, string> = {},
  bin: string = BIN
): { readonly child: ChildProcess; readonly done: Promise<Result> } => {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, XDG_CACHE_HOME: join(cwd, ".cache"), OLLAMA_HOST: "", ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let stdout = ""
  let stderr = ""
  child.stdout!.on("data", (d) => (stdout += d))
  child.stderr!.on("data", (d) => (stderr += d))
  const done = new Promise<Result>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })))
  return { child, done }
}

/** Runs the bin to its end. */
export const cli = (args: ReadonlyArray<string>, cwd: string, env: Record<string, string> = {}, bin: string = BIN) =>
  Effect.promise(() => start(args, cwd, env, bin).done)

/** A new empty folder to run in. */
export const workdir = (prefix = "e2e-") => mkdtempSync(join(tmpdir(), prefix))

/** A JSON file's content. */
export const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8"))

/** A JSON Lines file's records (none for an empty file). */
export const readLines = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, any>)

/**
 * Resolves when `check` holds, polling every 10 ms (e.g. until a fake server has seen N calls, to signal
 * the bin at that moment); rejects after two minutes.
 */
export const waitUntil = (check: () => boolean): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    const started = process.hrtime.bigint()
    const tick = () => {
      if (check()) return resolve()
      if (process.hrtime.bigint() - started > 120_000_000_000n) return reject(new Error("condition never met"))
      setTimeout(tick, 10)
    }
    tick()
  })
