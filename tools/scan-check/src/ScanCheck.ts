import type * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { assert, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Predicate from "effect/Predicate"
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

/** How a loader treats a bad record (core's `Task.OnBadInput`). */
export type OnBadInput = "fail" | "skip"

/** What `load` gives: core's `Task.Dataset`, whatever the sample type, with any extra fields. */
export interface Loaded {
  readonly path: string
  readonly format: string
  readonly samples: ReadonlyArray<unknown>
  readonly skipped: ReadonlyArray<{ readonly error: unknown }>
}

/** What `scan` gives at the end: core's `Task.ScanResult`, with any extra fields (each compared with load's). */
export interface Scanned {
  readonly path: string
  readonly format: string
  readonly samples: number
  readonly skipped: ReadonlyArray<{ readonly error: unknown }>
}

/** A dataset reader both ways: `load` (whole) and `scan` (streaming, with a chunk size), and a name for messages. */
export interface Reader<D extends Loaded, E> {
  readonly name?: string
  readonly load: (file: string, options: { readonly onBadInput: OnBadInput }) => Effect.Effect<D, E, FileSystem.FileSystem>
  readonly scan: (
    file: string,
    options: { readonly onBadInput: OnBadInput; readonly chunkSize?: number },
    onSample: (sample: unknown, position: number, line: number) => Effect.Effect<void>
  ) => Effect.Effect<Scanned, unknown, FileSystem.FileSystem>
}

/** A DatasetError's fields, or anything else as text. */
export type Plain =
  | { readonly file: string; readonly line: number | null; readonly field: string | null; readonly message: string }
  | { readonly notADatasetError: string }

/** A DatasetError (core's, told by its tag) as plain data, to compare two of them whole. */
export const plain = (e: unknown): Plain => {
  if (!Predicate.isTagged(e, "DatasetError")) return { notADatasetError: String(e) }
  const { field, file, line, message } = e as unknown as Extract<Plain, { readonly file: string }>
  return { file, line, field, message }
}

const messageOf = (p: Plain): string => ("message" in p ? p.message : p.notADatasetError)

/** Deterministic pseudo-random numbers for generated inputs: `random(n)` is an integer in [0, n). */
export const seeded = (seed: number): (n: number) => number => {
  let s = seed >>> 0
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s % n
  }
}

/** A fresh temporary folder, and a writer of files into it. */
export interface TempFiles {
  readonly dir: string
  /** Writes `content` to `name` (by default `gen-<n>.jsonl`, numbered from 0) in the folder; returns its path. */
  readonly write: (content: string | Uint8Array, name?: string) => string
}

/** Makes a temporary folder whose name starts with `prefix`, and a writer of files into it. */
export const tempFiles = (prefix: string): TempFiles => {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  let written = 0
  return {
    dir,
    write: (content, name = `gen-${written++}.jsonl`) => {
      const path = join(dir, name)
      writeFileSync(path, content)
      return path
    }
  }
}

/** The paths of the files in `folder`, leaving out names that end with one of `ignored` (by default `.md`). */
export const filesIn = (folder: string, ignored: ReadonlyArray<string> = [".md"]): Array<string> =>
  readdirSync(folder)
    .filter((name) => !ignored.some((end) => name.endsWith(end)))
    .map((name) => join(folder, name))

/**
 * Loads and scans the same file and asserts they agree: the same error (and what was handed over
 * before it at positions 0, 1, …), or the same samples in the same order, handed over at positions
 * 0, 1, … from lines in increasing order, with the same path, format, other result fields (a
 * `kind`, say) and skipped records. Returns what load gave, for further checks.
 */
export const agree = <D extends Loaded, E>(
  reader: Reader<D, E>,
  file: string,
  onBadInput: OnBadInput,
  chunkSize?: number
): Effect.Effect<Either.Either<D, E>> =>
  Effect.gen(function* () {
    const where = `${reader.name === undefined ? "" : `${reader.name} `}${file} (${onBadInput}, chunk ${chunkSize ?? "default"})`
    const loaded = yield* Effect.either(reader.load(file, { onBadInput }))
    const handed: Array<{ readonly sample: unknown; readonly position: number; readonly line: number }> = []
    const options = chunkSize === undefined ? { onBadInput } : { onBadInput, chunkSize }
    const scanned = yield* Effect.either(
      reader.scan(file, options, (sample, position, line) => Effect.sync(() => handed.push({ sample, position, line })))
    )
    if (Either.isLeft(loaded)) {
      assert.deepStrictEqual(Either.isLeft(scanned) ? plain(scanned.left) : "scan succeeded", plain(loaded.left), where)
      // What was handed over before the error is a prefix of the file's valid samples, in order.
      handed.forEach((h, i) => assert.strictEqual(h.position, i, where))
      return loaded
    }
    assert.isTrue(Either.isRight(scanned), `${where}: ${Either.isLeft(scanned) ? messageOf(plain(scanned.left)) : ""}`)
    if (Either.isRight(scanned)) {
      const dataset = loaded.right
      assert.deepStrictEqual(handed.map((h) => h.sample), [...dataset.samples], where)
      assert.deepStrictEqual(handed.map((h) => h.position), dataset.samples.map((_, i) => i), where)
      const { samples, skipped: _, ...fields } = scanned.right
      const fromLoad: Record<string, unknown> = dataset as unknown as Record<string, unknown>
      assert.deepStrictEqual(
        { ...fields, samples },
        { ...Object.fromEntries(Object.keys(fields).map((key) => [key, fromLoad[key]])), samples: dataset.samples.length },
        where
      )
      assert.deepStrictEqual(scanned.right.skipped.map((s) => plain(s.error)), dataset.skipped.map((s) => plain(s.error)), where)
      handed.forEach((h, i) => i > 0 && assert.isAbove(h.line, handed[i - 1]!.line, where))
    }
    return loaded
  }).pipe(Effect.provide(NodeFileSystem.layer))

/** How the loads of a series of `agree` checks ended. */
export interface Tally {
  /** The files checked. */
  readonly files: number
  /** Loads that failed (the scan failed the same way). */
  readonly failed: number
  /** Loads that succeeded. */
  readonly read: number
  /** Loads that succeeded with at least one skipped record. */
  readonly skippedSome: number
  /** The skipped records of all successful loads. */
  readonly skipped: number
}

const sum = (tallies: ReadonlyArray<Tally>): Tally =>
  tallies.reduce(
    (a, b) => ({
      files: a.files + b.files,
      failed: a.failed + b.failed,
      read: a.read + b.read,
      skippedSome: a.skippedSome + b.skippedSome,
      skipped: a.skipped + b.skipped
    }),
    { files: 0, failed: 0, read: 0, skippedSome: 0, skipped: 0 }
  )

/** `agree` on each file with fail and with skip, at `chunkSize`; tallies what load gave. */
export const agreeBothWays = <D extends Loaded, E>(
  reader: Reader<D, E>,
  files: ReadonlyArray<string>,
  chunkSize?: number
): Effect.Effect<Tally> =>
  Effect.map(
    Effect.forEach(files, (file) =>
      Effect.forEach(["fail", "skip"] as const, (onBadInput) =>
        Effect.map(agree(reader, file, onBadInput, chunkSize), (loaded): Tally => ({
          files: 0,
          failed: Either.isLeft(loaded) ? 1 : 0,
          read: Either.isRight(loaded) ? 1 : 0,
          skippedSome: Either.isRight(loaded) && loaded.right.skipped.length > 0 ? 1 : 0,
          skipped: Either.isRight(loaded) ? loaded.right.skipped.length : 0
        }))).pipe(Effect.map((both) => ({ ...sum(both), files: 1 })))),
    sum
  )

/**
 * `agree` on each file with fail and with skip at the default chunk size (tallied), and with fail at
 * 4,099 bytes (just past the 4,096-byte probe for binary content).
 */
export const agreeOnFiles = <D extends Loaded, E>(reader: Reader<D, E>, files: ReadonlyArray<string>): Effect.Effect<Tally> =>
  Effect.map(
    Effect.forEach(files, (file) => Effect.zipLeft(agreeBothWays(reader, [file]), agree(reader, file, "fail", 4099))),
    sum
  )

/** `agree` on one file with fail and with skip, at the default chunk size, 3 bytes and 4,099 bytes. */
export const agreeEveryWay = <D extends Loaded, E>(reader: Reader<D, E>, file: string): Effect.Effect<void> =>
  Effect.forEach([undefined, 3, 4099], (chunkSize) => agreeBothWays(reader, [file], chunkSize), { discard: true })

/**
 * Registers a test for each of `folders` (name → path), `on every file of <name>, with fail and skip`:
 * the folder holds at least `atLeast(name)` files (those {@link filesIn} gives), `agreeOnFiles` holds
 * on them, and `check` asserts what it wants of the tally.
 */
export const itAgreesOnFolders = <D extends Loaded, E>(
  reader: Reader<D, E>,
  folders: Readonly<Record<string, string>>,
  atLeast: (name: string) => number,
  check: (name: string, tally: Tally) => void
): void => {
  for (const [name, folder] of Object.entries(folders)) {
    it.effect(`on every file of ${name}, with fail and skip`, () =>
      Effect.gen(function* () {
        const files = filesIn(folder)
        assert.isAtLeast(files.length, atLeast(name))
        check(name, yield* agreeOnFiles(reader, files))
      }))
  }
}

/**
 * Cases every JSON Lines reader meets, for {@link itAgreesOnEach}, made with `record` (a good record's
 * line, given its id): a broken line between good records, a repeated id, a byte-order mark with CRLF
 * line ends and a blank line, an empty file, and blank lines only.
 */
export const jsonlCases = (record: (id: string) => string): Record<string, string> => ({
  "a broken JSON line": `${record("a")}\n{"id":"b",\n${record("c")}\n`,
  "a repeated id": `${record("a")}\n${record("b")}\n${record("a")}\n${record("c")}\n`,
  "a byte-order mark and CRLF": `\uFEFF${record("a")}\r\n\r\n${record("b")}\r\n`,
  "an empty file": "",
  "blank lines only": "\n \r\n"
})

/**
 * Registers a test for each of `cases` (name → file content), `on <name>`: `agreeEveryWay` on a file
 * of that content, written by `write` under the name `fileNames` gives the case, if any.
 */
export const itAgreesOnEach = <D extends Loaded, E>(
  reader: Reader<D, E>,
  cases: Readonly<Record<string, string | Uint8Array>>,
  write: TempFiles["write"],
  fileNames: Readonly<Record<string, string>> = {}
): void => {
  for (const [name, content] of Object.entries(cases)) {
    it.effect(`on ${name}`, () => agreeEveryWay(reader, write(content, fileNames[name])))
  }
}

/**
 * Lines every JSON Lines reader must refuse or pass over, as makers for `agreeOnGenerated`'s `kinds`
 * (spread after the reader's own): a record cut short, whose id `id()` draws like the good records'
 * ids, a JSON array, an empty line, a line of spaces, and `null`.
 */
export const badLineKinds = (id: () => string): ReadonlyArray<() => string> => [
  () => `{"id":"${id()}",`,
  () => "[1,2]",
  () => "",
  () => "  ",
  () => "null"
]

/** How to generate the files of `agreeOnGenerated`. */
export interface Generate {
  /** The numbers everything random is drawn from (see `seeded`). */
  readonly random: (n: number) => number
  /** Makers of one line each, drawn at random. */
  readonly kinds: ReadonlyArray<() => string>
  /** How many files. */
  readonly files: number
  /** At most this many lines a file (at least one). */
  readonly lines: number
  /** Writes a generated file (see `tempFiles`). */
  readonly write: (content: string) => string
  /** Fixes up a file's lines before they are joined (to make sure it has a record, say). */
  readonly complete?: (lines: Array<string>) => void
}

/**
 * Generates files of lines drawn from `kinds`, at random with or without a byte-order mark, with LF
 * or CRLF line ends and a final line end, and runs `agreeBothWays` on each at a random chunk size
 * (often small, sometimes the default); tallies what load gave.
 */
export const agreeOnGenerated = <D extends Loaded, E>(reader: Reader<D, E>, generate: Generate): Effect.Effect<Tally> => {
  const { kinds, random } = generate
  return Effect.map(
    Effect.forEach(Array.from({ length: generate.files }), () => {
      const lines = Array.from({ length: 1 + random(generate.lines) }, () => kinds[random(kinds.length)]!())
      generate.complete?.(lines)
      const text = (random(5) === 0 ? "\uFEFF" : "") + lines.join(random(3) === 0 ? "\r\n" : "\n") + (random(2) === 0 ? "\n" : "")
      const file = generate.write(text)
      const chunkSize = random(3) === 0 ? undefined : 1 + random(300)
      return agreeBothWays(reader, [file], chunkSize)
    }),
    sum
  )
}

/** A task as far as streaming its bundled dataset goes (core's `Task.Task`). */
export interface Streaming {
  readonly defaultDataset: string
  readonly load: (
    file: string,
    options: { readonly onBadInput: OnBadInput }
  ) => Effect.Effect<{ readonly format: string; readonly samples: ReadonlyArray<{ readonly id: string }> }, unknown, FileSystem.FileSystem>
  readonly scan?: <E>(
    file: string,
    options: { readonly onBadInput: OnBadInput },
    onSample: (sample: { readonly id: string }, position: number, line: number) => Effect.Effect<void, E>
  ) => Effect.Effect<Scanned, unknown, FileSystem.FileSystem>
}

/**
 * Asserts that the task's `scan` hands over load's samples of its bundled dataset in order, waiting
 * for each sample's effect before reading on, and that a failure of the callback at position `stopAt`
 * stops the scan with that failure after `stopAt` samples. Returns the scan's result and what load gave.
 */
export const streams = (task: Streaming, stopAt: number) =>
  Effect.gen(function* () {
    const scan = task.scan
    assert.isDefined(scan, "the task has a scan")
    if (scan === undefined) return yield* Effect.dieMessage("the task has no scan")
    const order: Array<string> = []
    const result = yield* scan(task.defaultDataset, { onBadInput: "fail" }, (sample, position) =>
      Effect.gen(function* () {
        order.push(`start ${position}`)
        yield* Effect.yieldNow()
        order.push(`end ${position} ${sample.id}`)
      }))
    const loaded = yield* task.load(task.defaultDataset, { onBadInput: "fail" })
    assert.strictEqual(result.samples, loaded.samples.length)
    assert.deepStrictEqual(order, loaded.samples.flatMap((s, i) => [`start ${i}`, `end ${i} ${s.id}`]))
    let handed = 0
    const error = yield* Effect.flip(
      scan(task.defaultDataset, { onBadInput: "fail" }, (_, position) =>
        position === stopAt ? Effect.fail("enough" as const) : Effect.sync(() => handed++))
    )
    assert.strictEqual(error, "enough")
    assert.strictEqual(handed, stopAt)
    return { result, loaded }
  }).pipe(Effect.orDie, Effect.provide(NodeFileSystem.layer))
