import { EvalError } from "@clinical-evals/core"
import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { CodeDataset, CodeTask } from "../src/index.js"
import type { CodeSample } from "../src/index.js"

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const folders = { data: here("../data"), badInputs: here("../../../../apps/cli/test/reliability/bad-inputs") }
const filesIn = (folder: string) => readdirSync(folder).filter((f) => !f.endsWith(".md")).map((f) => join(folder, f))

const dir = mkdtempSync(join(tmpdir(), "code-scan-"))
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
 * Loads and scans the same file and asserts they agree: the same error, or the same samples in the
 * same order (positions 0, 1, …; lines increasing), format and skipped records.
 */
const agree = (file: string, onBadInput: "fail" | "skip", chunkSize?: number) =>
  Effect.gen(function* () {
    const where = `${file} (${onBadInput}, chunk ${chunkSize ?? "default"})`
    const loaded = yield* Effect.either(CodeDataset.load(file, { onBadInput }))
    const handed: Array<{ sample: CodeSample.CodeSample; position: number; line: number }> = []
    const options = chunkSize === undefined ? { onBadInput } : { onBadInput, chunkSize }
    const scanned = yield* Effect.either(
      CodeDataset.scan(file, options, (sample, position, line) => Effect.sync(() => handed.push({ sample, position, line })))
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

const own = (id: string, extra = "") => `{"id":"${id}","text":"Discharge summary: hypertension.","codes":["I10"]${extra}}`
const medisumcode = (extra = "") => `{"text":"Discharge summary: pneumonia.","icd_codes":[{"code":"J18.9"}]${extra}}`

describe("CodeDataset.scan agrees with load", () => {
  for (const [name, folder] of Object.entries(folders)) {
    it.effect(`on every file of ${name}, with fail and skip`, () =>
      Effect.gen(function* () {
        const files = filesIn(folder)
        assert.isAtLeast(files.length, name === "data" ? 2 : 15)
        let failures = 0
        for (const file of files) {
          for (const onBadInput of ["fail", "skip"] as const) {
            const loaded = yield* agree(file, onBadInput)
            if (Either.isLeft(loaded)) failures++
          }
          yield* agree(file, "fail", 4099)
        }
        if (name === "data") assert.strictEqual(failures, 0)
        else assert.isAbove(failures, 10)
      }))
  }

  const special: Record<string, string | Uint8Array> = {
    "a broken JSON line": `${own("a")}\n{"id":"b",\n${own("c")}\n`,
    "a missing field": `${own("a")}\n{"id":"b","text":"Note."}\n${own("c")}\n`,
    "a field of the wrong type": `${own("a")}\n${own("b", ',"codes":"I10"')}\n`,
    "a repeated id": `${own("a")}\n${own("b")}\n${own("a")}\n${own("c")}\n`,
    "a repeated id before a bad record": `${own("a")}\n${own("a")}\n${own("b", ',"codes":[]')}\n`,
    "a byte-order mark and CRLF": `\uFEFF${own("a")}\r\n\r\n${own("b")}\r\n`,
    "an empty file": "",
    "blank lines only": "\n \r\n",
    "non-object lines before the first MeDiSumCode record": `{"broken\n\n${medisumcode()}\n[1]\nnull\n${medisumcode(',"hadm_id":"h1"')}\n`,
    "a first line that parses but is not an object": `[1]\n${medisumcode()}\n`,
    "MeDiSumCode ids from the index among non-blank lines": `\n${medisumcode()}\n\n${medisumcode(',"note_id":"gen-x-1"')}\n${medisumcode()}\n`,
    "no line parses": `{"a"\n{"b"\n`,
    "a JSON array": `\n  [${medisumcode()},\n ${medisumcode(',"icd_codes":[]')},\n ${medisumcode()}]\n`,
    "a JSON array of own records with a repeated id": `[\n${own("a")},\n${own("a")}\n]`,
    "a broken JSON array": `[\n${own("a")},\n${own("b")}\n`,
    "an empty JSON array": "[]",
    "a very long line": `${own("long", `,"text":"${"word ".repeat(2_000)}"`)}\n${own("short")}`,
    "a binary file": new Uint8Array([0x7b, 0, 1, 2, 0x7d])
  }
  for (const [name, content] of Object.entries(special)) {
    it.effect(`on ${name}`, () =>
      Effect.gen(function* () {
        const file = write(content, name === "MeDiSumCode ids from the index among non-blank lines" ? "gen-x.jsonl" : undefined)
        for (const onBadInput of ["fail", "skip"] as const) {
          for (const chunkSize of [undefined, 3, 4099]) yield* agree(file, onBadInput, chunkSize)
        }
      }))
  }

  it.effect("on file names: .json holding lines or an array, .NDJSON, and those it refuses", () =>
    Effect.gen(function* () {
      const folder = join(dir, "folder.jsonl")
      mkdirSync(folder, { recursive: true })
      const files = [
        write(`${medisumcode()}\n${medisumcode()}\n`, "MeDiSumCode.json"),
        write(`[${own("a")}]`, "own.json"),
        write(own("a"), "notes.NDJSON"),
        write(own("a"), "notes.csv"),
        write(own("a"), "notes"),
        join(dir, "missing.jsonl"),
        folder
      ]
      let refused = 0
      for (const file of files) {
        for (const onBadInput of ["fail", "skip"] as const) {
          const loaded = yield* agree(file, onBadInput)
          if (Either.isLeft(loaded)) refused++
        }
      }
      assert.strictEqual(refused, 8)
    }))

  it.effect("on generated files mixing good, bad, repeated and blank lines", () =>
    Effect.gen(function* () {
      const random = seeded(2028)
      const kinds = [
        () => own(`n${random(20)}`),
        () => own(`n${random(20)}`, ',"codes":["I10","E11.9","i10"]'),
        () => own(`n${random(20)}`, ',"codes":[]'),
        () => own(`n${random(20)}`, `,"text":"Fièvre ${"é€𝄞".repeat(random(800))}"`),
        () => medisumcode(),
        () => medisumcode(`,"hadm_id":"n${random(20)}"`),
        () => `{"id":"n${random(20)}",`,
        () => "[1,2]",
        () => "",
        () => "  ",
        () => "null"
      ]
      let failed = 0
      let skippedSome = 0
      for (let k = 0; k < 80; k++) {
        const body = Array.from({ length: 1 + random(25) }, () => kinds[random(kinds.length)]!())
        if (body.every((l) => l.trim() === "")) body.push(own("last"))
        if (body.find((l) => l.trim() !== "")!.trimStart().startsWith("[")) body.unshift(own("first"))
        const text = (random(5) === 0 ? "\uFEFF" : "") + body.join(random(3) === 0 ? "\r\n" : "\n") + (random(2) === 0 ? "\n" : "")
        const file = write(text)
        const chunkSize = random(3) === 0 ? undefined : 1 + random(300)
        for (const onBadInput of ["fail", "skip"] as const) {
          const loaded = yield* agree(file, onBadInput, chunkSize)
          if (Either.isLeft(loaded)) failed++
          else if (loaded.right.skipped.length > 0) skippedSome++
        }
      }
      assert.isAbove(failed, 10)
      assert.isAbove(skippedSome, 10)
    }))
})

describe("CodeTask.scan", () => {
  it.effect("streams the bundled dataset, waiting for each sample's effect, and stops at the callback's failure", () =>
    Effect.gen(function* () {
      const task = CodeTask.CodeTask
      const order: Array<string> = []
      const result = yield* task.scan!(task.defaultDataset, { onBadInput: "fail" }, (sample, position) =>
        Effect.gen(function* () {
          order.push(`start ${position}`)
          yield* Effect.yieldNow()
          order.push(`end ${position} ${sample.id}`)
        })
      )
      const loaded = yield* task.load(task.defaultDataset, { onBadInput: "fail" })
      assert.strictEqual(result.format, loaded.format)
      assert.deepStrictEqual(order, loaded.samples.flatMap((s, i) => [`start ${i}`, `end ${i} ${s.id}`]))
      let handed = 0
      const error = yield* Effect.flip(
        task.scan!(task.defaultDataset, { onBadInput: "fail" }, (_, position) => (position === 2 ? Effect.fail("enough" as const) : Effect.sync(() => handed++)))
      )
      assert.strictEqual(error, "enough")
      assert.strictEqual(handed, 2)
    }).pipe(Effect.provide(NodeFileSystem.layer)))
})
