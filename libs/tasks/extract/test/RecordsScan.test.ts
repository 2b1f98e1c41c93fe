import { EvalError } from "@clinical-evals/core"
import type { Task } from "@clinical-evals/core"
import type { FileSystem } from "@effect/platform"
import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { MeDiSumQaTask, MedNliTask, StructuredTask } from "../src/index.js"

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const folders = { data: here("../data"), badInputs: here("../../../../apps/cli/test/reliability/bad-inputs") }
const filesIn = (folder: string) => readdirSync(folder).filter((f) => !f.endsWith(".md")).map((f) => join(folder, f))

const dir = mkdtempSync(join(tmpdir(), "extract-scan-"))
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

type AnyTask = Task.Task<Task.TaskSample>
const tasks: Record<string, AnyTask> = {
  medisumqa: MeDiSumQaTask.MeDiSumQaTask as unknown as AnyTask,
  mednli: MedNliTask.MedNliTask as unknown as AnyTask,
  structured: StructuredTask.StructuredTask as unknown as AnyTask
}
/** The tasks' streaming readers, with a chunk size (the contract's `scan` does not take one). */
type Scan = (
  file: string,
  options: Task.LoadOptions & { readonly chunkSize?: number },
  onSample: (sample: Task.TaskSample, position: number, line: number) => Effect.Effect<void>
) => Effect.Effect<Task.ScanResult, EvalError.DatasetError, FileSystem.FileSystem>
const scans = {
  medisumqa: MeDiSumQaTask.scan,
  mednli: MedNliTask.scan,
  structured: StructuredTask.scan
} as unknown as Record<string, Scan>

/**
 * Loads and scans the same file with one task and asserts they agree: the same error, or the same
 * samples in the same order (positions 0, 1, …; lines increasing), format and skipped records.
 */
const agree = (name: string, file: string, onBadInput: "fail" | "skip", chunkSize?: number) =>
  Effect.gen(function* () {
    const where = `${name} ${file} (${onBadInput}, chunk ${chunkSize ?? "default"})`
    const loaded = yield* Effect.either(tasks[name]!.load(file, { onBadInput }))
    const handed: Array<{ sample: unknown; position: number; line: number }> = []
    const options = chunkSize === undefined ? { onBadInput } : { onBadInput, chunkSize }
    const scanned = yield* Effect.either(
      scans[name]!(file, options, (sample, position, line) => Effect.sync(() => handed.push({ sample, position, line })))
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

const lines = {
  medisumqa: (id: string | null, extra = "") =>
    `{${id === null ? "" : `"id":"${id}",`}"discharge_summary":"Admitted with pneumonia; treated with ceftriaxone.","Question":"Which antibiotic?","Answer":"Ceftriaxone"${extra}}`,
  mednli: (id: string | null, extra = "") =>
    `{${id === null ? "" : `"pairID":"${id}",`}"sentence1":"Patient is on a heparin drip.","sentence2":"The patient is anticoagulated.","gold_label":"entailment"${extra}}`,
  structured: (id: string | null, extra = "") =>
    `{${id === null ? "" : `"id":"${id}",`}"note":"BP 142/88.","schema":{"type":"object","properties":{"bp":{"type":"string"}},"required":["bp"]},"answer":{"bp":"142/88"}${extra}}`
}
const missing = { medisumqa: "Question", mednli: "sentence2", structured: "answer" }
/** A record line without one required field. */
const without = (text: string, field: string) => {
  const json = JSON.parse(text) as Record<string, unknown>
  delete json[field]
  return JSON.stringify(json)
}
const broken = {
  medisumqa: ',"Answer":""',
  mednli: ',"gold_label":"maybe"',
  structured: ',"answer":{"bp":3}'
}

describe("extract tasks: scan agrees with load", () => {
  for (const name of Object.keys(tasks) as Array<keyof typeof lines>) {
    it.effect(`${name}: on every bundled data file and every bad input of the corpus, with fail and skip`, () =>
      Effect.gen(function* () {
        let read = 0
        let failures = 0
        for (const file of [...filesIn(folders.data), ...filesIn(folders.badInputs)]) {
          for (const onBadInput of ["fail", "skip"] as const) {
            const loaded = yield* agree(name, file, onBadInput)
            if (Either.isLeft(loaded)) failures++
            else read++
          }
          yield* agree(name, file, "fail", 4099)
        }
        // Its own files load, the others and the corpus fail: both sides were compared.
        assert.isAtLeast(read, 4)
        assert.isAbove(failures, 20)
      }))

    const line = lines[name]
    const special: Record<string, string | Uint8Array> = {
      "a broken JSON line": `${line("a")}\n{"id":"b",\n${line("c")}\n`,
      "a missing field": `${line("a")}\n${without(line("b"), missing[name])}\n${line("c")}\n`,
      "a bad value": `${line("a")}\n${line("b", broken[name])}\n${line("c")}\n`,
      "a repeated id": `${line("a")}\n${line("b")}\n${line("a")}\n${line("c")}\n`,
      "a repeated id before a bad record": `${line("a")}\n${line("a")}\n${line("b", broken[name])}\n`,
      "a byte-order mark and CRLF": `\uFEFF${line("a")}\r\n\r\n${line("b")}\r\n`,
      "an empty file": "",
      "blank lines only": "\n  \r\n\n",
      "a JSON array": `\n  [${line("a")}]\n`,
      "records without ids, ids from the index among non-blank lines": `\n${line(null)}\n\n${line(null)}\n${line("given")}\n${line(null)}`,
      "a record that is not an object": `${line("a")}\n[1]\nnull\n"text"\n${line("b")}\n`,
      "a very long line": `${line("long", `,"note2":"${"word ".repeat(2_000)}"`)}\n${line("short")}`,
      "a binary file": new Uint8Array([0x7b, 0, 1, 2, 0x7d])
    }
    for (const [what, content] of Object.entries(special)) {
      it.effect(`${name}: on ${what}`, () =>
        Effect.gen(function* () {
          const file = write(content)
          for (const onBadInput of ["fail", "skip"] as const) {
            for (const chunkSize of [undefined, 3, 4099]) yield* agree(name, file, onBadInput, chunkSize)
          }
        }))
    }

    it.effect(`${name}: on file names it refuses or reads whole: .csv, .NDJSON, .txt, a missing file, a folder`, () =>
      Effect.gen(function* () {
        const csv =
          name === "medisumqa"
            ? 'id,discharge_summary,Question,Answer\nq1,"Admitted, treated.",Which?,Ceftriaxone\nq2,Summary,Which?,""\nq1,Summary,Which?,Yes\n'
            : "id,note\nq1,text\n"
        const folder = join(dir, `${name}-folder.jsonl`)
        mkdirSync(folder, { recursive: true })
        const files = [
          write(csv, `${name}-table.csv`),
          write(line("n1"), `${name}.NDJSON`),
          write(line("n1"), `${name}.txt`),
          join(dir, "missing.jsonl"),
          folder
        ]
        let refused = 0
        for (const file of files) {
          for (const onBadInput of ["fail", "skip"] as const) {
            const loaded = yield* agree(name, file, onBadInput)
            if (Either.isLeft(loaded)) refused++
          }
        }
        // The .txt file, the missing file and the folder (and, but for MeDiSumQA, the CSV) are refused.
        assert.strictEqual(refused, name === "medisumqa" ? 7 : 8)
      }))

    it.effect(`${name}: on generated files mixing good, bad, repeated and blank lines`, () =>
      Effect.gen(function* () {
        const random = seeded(name.length * 101)
        const kinds = [
          () => line(`r${random(20)}`),
          () => line(null),
          () => line(`r${random(20)}`, broken[name]),
          () => line(`r${random(20)}`, `,"extra":"fièvre ${"é€𝄞".repeat(random(800))}"`),
          () => `{"id":"r${random(20)}",`,
          () => "[1,2]",
          () => "",
          () => "   ",
          () => "null"
        ]
        let failed = 0
        let skippedSome = 0
        for (let k = 0; k < 60; k++) {
          const body = Array.from({ length: 1 + random(25) }, () => kinds[random(kinds.length)]!())
          if (body.every((l) => l.trim() === "")) body.push(line(null))
          if (body[0]!.startsWith("[")) body.unshift(line(null))
          const text = (random(5) === 0 ? "\uFEFF" : "") + body.join(random(3) === 0 ? "\r\n" : "\n") + (random(2) === 0 ? "\n" : "")
          const file = write(text)
          const chunkSize = random(3) === 0 ? undefined : 1 + random(300)
          for (const onBadInput of ["fail", "skip"] as const) {
            const loaded = yield* agree(name, file, onBadInput, chunkSize)
            if (Either.isLeft(loaded)) failed++
            else if (loaded.right.skipped.length > 0) skippedSome++
          }
        }
        assert.isAbove(failed, 10)
        assert.isAbove(skippedSome, 10)
      }))
  }
})

describe("extract tasks: scan through the task contract", () => {
  for (const [name, task] of Object.entries(tasks)) {
    it.effect(`${name}: streams the bundled dataset, waiting for each sample's effect, and stops at the callback's failure`, () =>
      Effect.gen(function* () {
        const scan = task.scan
        assert.isDefined(scan)
        if (scan === undefined) return
        const order: Array<string> = []
        const result = yield* scan(task.defaultDataset, { onBadInput: "fail" }, (sample, position) =>
          Effect.gen(function* () {
            order.push(`start ${position}`)
            yield* Effect.yieldNow()
            order.push(`end ${position} ${sample.id}`)
          })
        )
        const loaded = yield* task.load(task.defaultDataset, { onBadInput: "fail" })
        assert.strictEqual(result.samples, loaded.samples.length)
        assert.deepStrictEqual(
          order,
          loaded.samples.flatMap((s, i) => [`start ${i}`, `end ${i} ${s.id}`])
        )
        let handed = 0
        const error = yield* Effect.flip(
          scan(task.defaultDataset, { onBadInput: "fail" }, (_, position) => (position === 2 ? Effect.fail("enough" as const) : Effect.sync(() => handed++)))
        )
        assert.strictEqual(error, "enough")
        assert.strictEqual(handed, 2)
      }).pipe(Effect.provide(NodeFileSystem.layer)))
  }
})
