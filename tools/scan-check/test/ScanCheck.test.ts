import { FileSystem } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Data, Effect, Either, Exit } from "effect"
import { mkdirSync, readFileSync } from "node:fs"
import { basename, join } from "node:path"
import { ScanCheck } from "../src/index.js"

class DatasetError extends Data.TaggedError("DatasetError")<{
  readonly file: string
  readonly line: number | null
  readonly field: string | null
  readonly message: string
}> {}

/** A toy reader of JSON Lines of `{"id": ...}`: a line that is not JSON is a bad record. */
const lines = (file: string, onBadInput: ScanCheck.OnBadInput) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const text = yield* Effect.orDie(fs.readFileString(file))
    const records: Array<{ readonly line: number; readonly id: string }> = []
    const skipped: Array<{ readonly error: DatasetError }> = []
    for (const [i, t] of text.split("\n").entries()) {
      if (t.trim() === "") continue
      const parsed = Either.try(() => JSON.parse(t) as { readonly id: string })
      if (Either.isRight(parsed)) records.push({ line: i + 1, id: parsed.right.id })
      else {
        const error = new DatasetError({ file, line: i + 1, field: null, message: "not JSON" })
        if (onBadInput === "fail") return yield* error
        skipped.push({ error })
      }
    }
    return { records, skipped }
  })

const toy = (options: { readonly dropLast?: boolean; readonly kind?: (file: string) => string } = {}) => ({
  name: "toy",
  load: (file: string, { onBadInput }: { readonly onBadInput: ScanCheck.OnBadInput }) =>
    Effect.map(lines(file, onBadInput), (read) => ({
      path: file,
      format: "toy-jsonl",
      kind: "load",
      samples: read.records.map((r) => r.id),
      skipped: read.skipped
    })),
  scan: (
    file: string,
    { onBadInput }: { readonly onBadInput: ScanCheck.OnBadInput },
    onSample: (sample: string, position: number, line: number) => Effect.Effect<void>
  ) =>
    Effect.gen(function* () {
      const read = yield* lines(file, onBadInput)
      const records = options.dropLast === true ? read.records.slice(0, -1) : read.records
      yield* Effect.forEach(records, (r, position) => onSample(r.id, position, r.line), { discard: true })
      return { path: file, format: "toy-jsonl", kind: options.kind?.(file) ?? "load", samples: records.length, skipped: read.skipped }
    })
})

/** The toy reader as a task that streams `defaultDataset`, handing samples over `concurrency` at a time. */
const streaming = (defaultDataset: string, concurrency: 1 | "unbounded") => ({
  defaultDataset,
  load: (file: string, options: { readonly onBadInput: ScanCheck.OnBadInput }) =>
    Effect.map(toy().load(file, options), (d) => ({ ...d, samples: d.samples.map((id) => ({ id })) })),
  scan: <E>(
    file: string,
    options: { readonly onBadInput: ScanCheck.OnBadInput },
    onSample: (sample: { readonly id: string }, position: number, line: number) => Effect.Effect<void, E>
  ) =>
    Effect.gen(function* () {
      const read = yield* lines(file, options.onBadInput)
      yield* Effect.forEach(read.records, (r, position) => onSample({ id: r.id }, position, r.line), { concurrency, discard: true })
      return { path: file, format: "toy-jsonl", samples: read.records.length, skipped: read.skipped }
    })
})

describe("ScanCheck", () => {
  it("plain gives a DatasetError's fields, and anything else as text", () => {
    assert.deepStrictEqual(ScanCheck.plain(new DatasetError({ file: "f.jsonl", line: 3, field: "id", message: "bad" })), {
      file: "f.jsonl",
      line: 3,
      field: "id",
      message: "bad"
    })
    assert.deepStrictEqual(ScanCheck.plain("boom"), { notADatasetError: "boom" })
  })

  it("seeded gives the same numbers for the same seed, each below n", () => {
    const a = ScanCheck.seeded(7)
    const b = ScanCheck.seeded(7)
    const first = Array.from({ length: 50 }, () => a(10))
    assert.deepStrictEqual(Array.from({ length: 50 }, () => b(10)), first)
    assert.isTrue(first.every((n) => Number.isInteger(n) && n >= 0 && n < 10))
    assert.isAbove(new Set(first).size, 5)
    const other = ScanCheck.seeded(8)
    assert.notDeepEqual(Array.from({ length: 50 }, () => other(10)), first)
  })

  it("badLineKinds makes a cut-short record with a drawn id, a JSON array, blank lines and null, none of them a JSON object", () => {
    let n = 0
    const made = ScanCheck.badLineKinds(() => `x${n++}`).map((k) => k())
    assert.deepStrictEqual(made, ['{"id":"x0",', "[1,2]", "", "  ", "null"])
    for (const line of made) {
      const parsed = Either.try(() => JSON.parse(line) as unknown)
      assert.isFalse(Either.isRight(parsed) && typeof parsed.right === "object" && parsed.right !== null && !Array.isArray(parsed.right), line)
    }
  })

  it("tempFiles writes numbered or named files, and filesIn lists them without the ignored endings", () => {
    const { dir, write } = ScanCheck.tempFiles("scan-check-")
    assert.isTrue(basename(dir).startsWith("scan-check-"))
    const a = write("a")
    const b = write(new Uint8Array([0x62]))
    const named = write("c", "notes.md")
    write("d", "task.yaml")
    assert.deepStrictEqual([basename(a), basename(b), basename(named)], ["gen-0.jsonl", "gen-1.jsonl", "notes.md"])
    assert.strictEqual(readFileSync(b, "utf8"), "b")
    mkdirSync(join(dir, "sub"))
    assert.deepStrictEqual(ScanCheck.filesIn(dir).map((p) => basename(p)).sort(), ["gen-0.jsonl", "gen-1.jsonl", "sub", "task.yaml"])
    assert.deepStrictEqual(ScanCheck.filesIn(dir, [".md", ".yaml"]).map((p) => basename(p)).sort(), ["gen-0.jsonl", "gen-1.jsonl", "sub"])
  })

  it.effect("agree passes when load and scan agree, on samples, skipped records and errors", () =>
    Effect.gen(function* () {
      const { write } = ScanCheck.tempFiles("scan-check-")
      const good = write('{"id":"a"}\n\n{"id":"b"}\nnot json\n{"id":"c"}\n')
      const skipped = yield* ScanCheck.agree(toy(), good, "skip", 3)
      assert.deepStrictEqual(Either.map(skipped, (d) => [d.samples, d.skipped.length]), Either.right([["a", "b", "c"], 1]))
      const failed = yield* ScanCheck.agree(toy(), good, "fail")
      assert.deepStrictEqual(Either.mapLeft(failed, ScanCheck.plain), Either.left({ file: good, line: 4, field: null, message: "not JSON" }))
    }))

  it.effect("agree fails when scan misses a sample or reports another result field", () =>
    Effect.gen(function* () {
      const { write } = ScanCheck.tempFiles("scan-check-")
      const file = write('{"id":"a"}\n{"id":"b"}\n')
      const missing = yield* Effect.exit(ScanCheck.agree(toy({ dropLast: true }), file, "fail"))
      assert.isTrue(Exit.isFailure(missing))
      const otherKind = yield* Effect.exit(ScanCheck.agree(toy({ kind: () => "scan" }), file, "fail"))
      assert.isTrue(Exit.isFailure(otherKind))
      const same = yield* Effect.exit(ScanCheck.agree(toy(), file, "fail"))
      assert.isTrue(Exit.isSuccess(same))
    }))

  it.effect("agreeBothWays, agreeOnFiles and agreeOnGenerated tally the loads that failed, read and skipped", () =>
    Effect.gen(function* () {
      const { write } = ScanCheck.tempFiles("scan-check-")
      const clean = write('{"id":"a"}\n')
      const bad = write('{"id":"a"}\nnot json\nnor this\n')
      const bothWays = yield* ScanCheck.agreeBothWays(toy(), [clean, bad], 2)
      assert.deepStrictEqual(bothWays, { files: 2, failed: 1, read: 3, skippedSome: 1, skipped: 2 })
      assert.deepStrictEqual(yield* ScanCheck.agreeOnFiles(toy(), [clean, bad]), bothWays)
      yield* ScanCheck.agreeEveryWay(toy(), bad)
      const random = ScanCheck.seeded(3)
      const generated = yield* ScanCheck.agreeOnGenerated(toy(), {
        random,
        kinds: [() => `{"id":"g${random(9)}"}`, () => "oops", () => ""],
        files: 30,
        lines: 6,
        write,
        complete: (lines) => {
          lines.push('{"id":"last"}')
        }
      })
      assert.strictEqual(generated.files, 30)
      assert.strictEqual(generated.failed + generated.read, 60)
      assert.isAbove(generated.failed, 0)
      assert.isAbove(generated.skippedSome, 0)
    }))

  it.effect("agreeEveryWay and agreeOnFiles fail when scan disagrees", () =>
    Effect.gen(function* () {
      const { write } = ScanCheck.tempFiles("scan-check-")
      const file = write('{"id":"a"}\n')
      assert.isTrue(Exit.isFailure(yield* Effect.exit(ScanCheck.agreeEveryWay(toy({ dropLast: true }), file))))
      assert.isTrue(Exit.isFailure(yield* Effect.exit(ScanCheck.agreeOnFiles(toy({ dropLast: true }), [file]))))
    }))

  it.effect("streams passes for a task that streams its dataset in order and stops at the callback's failure, and fails for one that does not", () =>
    Effect.gen(function* () {
      const { write } = ScanCheck.tempFiles("scan-check-")
      const defaultDataset = write('{"id":"a"}\n{"id":"b"}\n{"id":"c"}\n')
      const task = streaming(defaultDataset, 1)
      const { loaded, result } = yield* ScanCheck.streams(task, 2)
      assert.strictEqual(result.samples, 3)
      assert.deepStrictEqual(loaded.samples, [{ id: "a" }, { id: "b" }, { id: "c" }])
      // Not waiting for each sample's effect: the starts come before the ends.
      const eager = streaming(defaultDataset, "unbounded")
      assert.isTrue(Exit.isFailure(yield* Effect.exit(ScanCheck.streams(eager, 2))))
      const { scan: _, ...withoutScan } = task
      assert.isTrue(Exit.isFailure(yield* Effect.exit(ScanCheck.streams(withoutScan, 2))))
    }))
})
