import { EvalError } from "@clinical-evals/core"
import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { DeclarativeDataset, DeclarativeTask, TaskFile } from "../src/index.js"
import type { DeclarativeSample } from "../src/index.js"

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const folders = {
  fixtures: here("./fixtures"),
  examples: here("../../../../examples/declarative/data"),
  badInputs: here("../../../../apps/cli/test/reliability/bad-inputs")
}
const filesIn = (folder: string) => readdirSync(folder).filter((f) => !f.endsWith(".md") && !f.endsWith(".yaml")).map((f) => join(folder, f))

/** The task files of the fixtures and examples that decode, whatever their dataset holds. */
const taskFiles = [
  here("./fixtures/icd.yaml"),
  here("./fixtures/text.yaml"),
  here("./fixtures/bad-reference.yaml"),
  here("../../../../examples/declarative/triage.yaml"),
  here("../../../../examples/declarative/first-line.yaml")
].map((file) => Either.getOrThrow(TaskFile.decode(file, readFileSync(file, "utf8"))))
const triage = taskFiles[3]!

const dir = mkdtempSync(join(tmpdir(), "declarative-scan-"))
let written = 0
const write = (content: string | Uint8Array, name = `gen-${written++}.jsonl`) => {
  const p = join(dir, name)
  writeFileSync(p, content)
  return p
}

/** A DatasetError as plain data, to compare two of them whole. */
const plain = (e: unknown) =>
  e instanceof EvalError.DatasetError ? { file: e.file, line: e.line, field: e.field, message: e.message } : { notADatasetError: String(e) }

/** Deterministic pseudo-random numbers for generated inputs. */
const seeded = (seed: number) => {
  let s = seed >>> 0
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s % n
  }
}

/**
 * Loads and scans the same file for one task file and asserts they agree: the same error, or the
 * same samples in the same order (positions 0, 1, …; lines increasing), format and skipped records.
 */
const agree = (task: TaskFile.TaskFile, file: string, onBadInput: "fail" | "skip", chunkSize?: number) =>
  Effect.gen(function* () {
    const where = `${task.name} ${file} (${onBadInput}, chunk ${chunkSize ?? "default"})`
    const loaded = yield* Effect.either(DeclarativeDataset.load(task, file, { onBadInput }))
    const handed: Array<{ sample: DeclarativeSample.DeclarativeSample; position: number; line: number }> = []
    const options = chunkSize === undefined ? { onBadInput } : { onBadInput, chunkSize }
    const scanned = yield* Effect.either(
      DeclarativeDataset.scan(task, file, options, (sample, position, line) => Effect.sync(() => handed.push({ sample, position, line })))
    )
    if (Either.isLeft(loaded)) {
      assert.deepStrictEqual(Either.isLeft(scanned) ? plain(scanned.left) : "scan succeeded", plain(loaded.left), where)
      handed.forEach((h, i) => assert.strictEqual(h.position, i, where))
      return loaded
    }
    assert.isTrue(Either.isRight(scanned), `${where}: ${Either.isLeft(scanned) ? plain(scanned.left).message : ""}`)
    if (Either.isRight(scanned)) {
      const dataset = loaded.right
      assert.deepStrictEqual(handed.map((h) => h.sample), [...dataset.samples], where)
      assert.deepStrictEqual(handed.map((h) => h.position), dataset.samples.map((_, i) => i), where)
      assert.deepStrictEqual(
        { path: scanned.right.path, format: scanned.right.format, samples: scanned.right.samples },
        { path: dataset.path, format: dataset.format, samples: dataset.samples.length },
        where
      )
      assert.deepStrictEqual(scanned.right.skipped.map((s) => plain(s.error)), dataset.skipped.map((s) => plain(s.error)), where)
      handed.forEach((h, i) => i > 0 && assert.isAbove(h.line, handed[i - 1]!.line, where))
    }
    return loaded
  }).pipe(Effect.provide(NodeFileSystem.layer))

const record = (id: string | null, extra = "") =>
  `{${id === null ? "" : `"id":"${id}",`}"age_band":"adult","presentation":"Crushing chest pain for 30 minutes.","urgency":"emergency"${extra}}`

describe("DeclarativeDataset.scan agrees with load", () => {
  it.effect("on every data file of the fixtures, the examples and the bad-input corpus, for every task file, with fail and skip", () =>
    Effect.gen(function* () {
      const files = Object.values(folders).flatMap(filesIn)
      assert.isAtLeast(files.length, 30)
      let read = 0
      let failures = 0
      for (const task of taskFiles) {
        for (const file of files) {
          for (const onBadInput of ["fail", "skip"] as const) {
            const loaded = yield* agree(task, file, onBadInput)
            if (Either.isLeft(loaded)) failures++
            else read++
          }
          yield* agree(task, file, "fail", 4099)
        }
      }
      assert.isAtLeast(read, 8)
      assert.isAbove(failures, 50)
    }))

  const special: Record<string, string | Uint8Array> = {
    "a broken JSON line": `${record("a")}\n{"id":"b",\n${record("c")}\n`,
    "a missing field": `${record("a")}\n{"id":"b","age_band":"adult","urgency":"routine"}\n${record("c")}\n`,
    "a reference that is not a label": `${record("a")}\n${record("b", ',"urgency":"soon"')}\n${record("c")}\n`,
    "a value of the wrong type": `${record("a")}\n${record("b", ',"presentation":{"x":[1]}')}\n`,
    "a repeated id": `${record("a")}\n${record("b")}\n${record("a")}\n${record("c")}\n`,
    "a repeated id at the end": `${record("a")}\n${record("b")}\n${record("a")}\n`,
    "a repeated id before a bad record": `${record("a")}\n${record("a")}\n${record("b", ',"urgency":"soon"')}\n`,
    "a bad record repeating a good one's id": `${record("a")}\n${record("a", ',"urgency":"soon"')}\n${record("b")}\n`,
    "a byte-order mark and CRLF": `\uFEFF${record("a")}\r\n\r\n${record("b")}\r\n`,
    "an empty file": "",
    "blank lines only": "\n \r\n",
    "a JSON array": `\n  [${record("a")}]\n`,
    "lines that are not objects": `${record("a")}\n[1]\nnull\n"text"\n${record("b")}\n`,
    "records without ids, numbered from the index among non-blank lines": `\n${record(null)}\n\n${record(null)}\n${record("gen-x-3")}\n`,
    "a very long line": `${record("long", `,"presentation":"${"word ".repeat(2_000)}"`)}\n${record("short")}`,
    "a binary file": new Uint8Array([0x7b, 0, 1, 2, 0x7d])
  }
  for (const [name, content] of Object.entries(special)) {
    it.effect(`on ${name}`, () =>
      Effect.gen(function* () {
        const file = write(content, name.startsWith("records without ids") ? "gen-x.jsonl" : undefined)
        for (const onBadInput of ["fail", "skip"] as const) {
          for (const chunkSize of [undefined, 3, 4099]) yield* agree(triage, file, onBadInput, chunkSize)
        }
      }))
  }

  it.effect("on file names it refuses or reads whole: a CSV, .JSONL, .json, a missing file, a folder", () =>
    Effect.gen(function* () {
      const folder = join(dir, "folder.jsonl")
      mkdirSync(folder, { recursive: true })
      const files = [
        write("id,age_band,presentation,urgency\nc1,adult,Chest pain.,emergency\nc2,adult,Sore throat.,soon\nc3,child,Rash.,routine\n", "triage.csv"),
        write("id,age_band,presentation,urgency\nc1,adult,Chest pain.,emergency\nc1,adult,Sore throat.,routine\n", "repeat.csv"),
        write(record("a"), "triage.JSONL"),
        write(record("a"), "triage.json"),
        join(dir, "missing.jsonl"),
        folder
      ]
      let refused = 0
      for (const file of files) {
        for (const onBadInput of ["fail", "skip"] as const) {
          const loaded = yield* agree(triage, file, onBadInput)
          if (Either.isLeft(loaded)) refused++
        }
      }
      // The bad CSV with fail, the repeated id both ways, .json, the missing file and the folder both ways.
      assert.strictEqual(refused, 1 + 2 + 6)
    }))

  it.effect("on generated files mixing good, bad, repeated and blank lines", () =>
    Effect.gen(function* () {
      const random = seeded(2029)
      const kinds = [
        () => record(`t${random(40)}`),
        () => record(null),
        () => record(`t${random(40)}`, ',"urgency":"Urgent"'),
        () => record(`t${random(40)}`, ',"urgency":"later"'),
        () => record(`t${random(40)}`, `,"presentation":"Fièvre ${"é€𝄞".repeat(random(800))}"`),
        () => `{"id":"t${random(40)}",`,
        () => "[1,2]",
        () => "",
        () => "  ",
        () => "null"
      ]
      let failed = 0
      let skippedSome = 0
      for (let k = 0; k < 80; k++) {
        const body = Array.from({ length: 1 + random(12) }, () => kinds[random(kinds.length)]!())
        if (body.every((l) => l.trim() === "")) body.push(record(null))
        const text = (random(5) === 0 ? "\uFEFF" : "") + body.join(random(3) === 0 ? "\r\n" : "\n") + (random(2) === 0 ? "\n" : "")
        const file = write(text)
        const chunkSize = random(3) === 0 ? undefined : 1 + random(300)
        for (const onBadInput of ["fail", "skip"] as const) {
          const loaded = yield* agree(triage, file, onBadInput, chunkSize)
          if (Either.isLeft(loaded)) failed++
          else if (loaded.right.skipped.length > 0) skippedSome++
        }
      }
      assert.isAbove(failed, 10)
      assert.isAbove(skippedSome, 10)
    }))
})

describe("DeclarativeTask.scan", () => {
  it.effect("streams the example dataset, waiting for each sample's effect, and stops at the callback's failure", () =>
    Effect.gen(function* () {
      const task = DeclarativeTask.make(triage)
      const order: Array<string> = []
      const result = yield* task.scan!(task.defaultDataset, { onBadInput: "fail" }, (sample, position) =>
        Effect.gen(function* () {
          order.push(`start ${position}`)
          yield* Effect.yieldNow()
          order.push(`end ${position} ${sample.id}`)
        })
      )
      const loaded = yield* task.load(task.defaultDataset, { onBadInput: "fail" })
      assert.strictEqual(result.format, "jsonl")
      assert.isAbove(loaded.samples.length, 3)
      assert.deepStrictEqual(order, loaded.samples.flatMap((s, i) => [`start ${i}`, `end ${i} ${s.id}`]))
      let handed = 0
      const error = yield* Effect.flip(
        task.scan!(task.defaultDataset, { onBadInput: "fail" }, (_, position) => (position === 2 ? Effect.fail("enough" as const) : Effect.sync(() => handed++)))
      )
      assert.strictEqual(error, "enough")
      assert.strictEqual(handed, 2)
    }).pipe(Effect.provide(NodeFileSystem.layer)))
})
