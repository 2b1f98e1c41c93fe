import { EvalError } from "@clinical-evals/core"
import type { Task } from "@clinical-evals/core"
import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { SummarizeTask, SummaryDataset } from "../src/index.js"
import type { SummarySample } from "../src/index.js"
import { workbook } from "./fixtures/XlsxWriter.js"

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const folders = { data: here("../data"), badInputs: here("../../../../apps/cli/test/reliability/bad-inputs") }
const filesIn = (folder: string) => readdirSync(folder).filter((f) => !f.endsWith(".md")).map((f) => join(folder, f))

const dir = mkdtempSync(join(tmpdir(), "summary-scan-"))
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
 * same order (positions 0, 1, …; lines increasing), format, kind and skipped records.
 */
const agree = (file: string, onBadInput: "fail" | "skip", chunkSize?: number) =>
  Effect.gen(function* () {
    const where = `${file} (${onBadInput}, chunk ${chunkSize ?? "default"})`
    const loaded = yield* Effect.either(SummaryDataset.load(file, { onBadInput }))
    const handed: Array<{ sample: SummarySample.SummarySample; position: number; line: number }> = []
    const options = chunkSize === undefined ? { onBadInput } : { onBadInput, chunkSize }
    const scanned = yield* Effect.either(
      SummaryDataset.scan(file, options, (sample, position, line) => Effect.sync(() => handed.push({ sample, position, line })))
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
        { path: scanned.right.path, format: scanned.right.format, kind: scanned.right.kind, samples: scanned.right.samples },
        { path: dataset.path, format: dataset.format, kind: dataset.kind, samples: dataset.samples.length },
        where
      )
      assert.deepStrictEqual(scanned.right.skipped.map((s) => plain(s.error)), dataset.skipped.map((s) => plain(s.error)), where)
      handed.forEach((h, i) => i > 0 && assert.isAbove(h.line, handed[i - 1]!.line, where))
    }
    return loaded
  }).pipe(Effect.provide(NodeFileSystem.layer))

/** The same through the task contract, for one prompt style (which refuses files of another kind). */
const agreeTask = (style: "meqsum" | "problem-summary" | "jsonl", file: string, onBadInput: "fail" | "skip") =>
  Effect.gen(function* () {
    const task = SummarizeTask.make({ style })
    const where = `${style} ${file} (${onBadInput})`
    const loaded = yield* Effect.either(task.load(file, { onBadInput }))
    const handed: Array<SummarySample.SummarySample> = []
    const scanned = yield* Effect.either(task.scan!(file, { onBadInput }, (sample) => Effect.sync(() => handed.push(sample))))
    if (Either.isLeft(loaded)) {
      assert.deepStrictEqual(Either.isLeft(scanned) ? plain(scanned.left) : "scan succeeded", plain(loaded.left), where)
      return loaded
    }
    assert.isTrue(Either.isRight(scanned), where)
    assert.deepStrictEqual(handed, [...loaded.right.samples], where)
    return loaded
  }).pipe(Effect.provide(NodeFileSystem.layer))

const meqsum = (id: string | null, extra = "", file = "") =>
  `{${id === null ? "" : `"id":"${id}",`}${file === "" ? "" : `"File":"${file}",`}"CHQ":"Can high blood pressure cause headaches? I am 55.","Summary":"Can hypertension cause headaches?"${extra}}`
const own = (id: string, extra = "") =>
  `{"id":"${id}","source_text":"A 68-year-old man was admitted with pneumonia.","reference_summary":"Pneumonia, treated."${extra}}`
const problem = (fileId: string, extra = "") =>
  `{"File ID":"${fileId}","Subjectives":"Short of breath overnight.","Assessment":"72-year-old man with heart failure.","Summary":"Heart failure; AKI"${extra}}`

describe("SummaryDataset.scan agrees with load", () => {
  for (const [name, folder] of Object.entries(folders)) {
    it.effect(`on every file of ${name}, with fail and skip`, () =>
      Effect.gen(function* () {
        const files = filesIn(folder)
        assert.isAtLeast(files.length, name === "data" ? 6 : 15)
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
    "a missing field": `${own("a")}\n{"id":"b","source_text":"Text."}\n${own("c")}\n`,
    "an empty source": `${own("a")}\n${own("b", ',"source_text":"  "')}\n`,
    "a field of the wrong type": `${own("a")}\n${own("b", ',"reference_summary":{"x":1}')}\n`,
    "a repeated id": `${own("a")}\n${own("b")}\n${own("a")}\n${own("c")}\n`,
    "a repeated id before a bad record": `${own("a")}\n${own("a")}\n${own("b", ',"source_text":""')}\n`,
    "a byte-order mark and CRLF": `\uFEFF${own("a")}\r\n\r\n${own("b")}\r\n`,
    "an empty file": "",
    "blank lines only": "\n \r\n",
    "a JSON array": `\n  [${own("a")}]\n`,
    "non-object lines before the first record": `[1]\nnull\n{"broken\n\n${meqsum("m1")}\n${meqsum("m2")}\n`,
    "no line is an object": `1\n"text"\n{"broken\n`,
    "a first record of no known layout": `{"question":"x"}\n${own("a")}\n`,
    "a first record missing a layout field": `{"CHQ":"x"}\n${meqsum("m1")}\n`,
    "MeQSum without ids: ids from the index among non-blank lines": `\n${meqsum(null)}\n\n${meqsum(null)}\n${meqsum(null)}`,
    "MeQSum with distinct File values: ids from the File column": `${meqsum(null, "", "1-1.txt")}\n\n${meqsum(null, "", "1-2.txt")}\n`,
    "MeQSum with a repeated File value: ids by index": `${meqsum(null, "", "1-1.txt")}\n${meqsum(null, "", "1-2.txt")}\n${meqsum(null, "", "1-1.txt")}\n`,
    "MeQSum with a File value missing: ids by index": `${meqsum(null, "", "1-1.txt")}\n${meqsum(null)}\n`,
    "MeQSum with a numeric File value": `${meqsum(null, ',"File":7')}\n${meqsum(null, ',"File":" 8 "')}\n`,
    "MeQSum with File values and a broken line: ids by index": `${meqsum(null, "", "1-1.txt")}\n{"broken\n${meqsum(null, "", "1-2.txt")}\n`,
    "Problem Summary JSON Lines with File IDs": `${problem("p1")}\n${problem("p2", ',"Summary":"; ;"')}\n${problem("p3")}\n`,
    "Problem Summary JSON Lines with an id column and repeated File IDs": `${problem("p1", ',"id":"x1"')}\n${problem("p1", ',"id":"x2"')}\n`,
    "a very long line": `${own("long", `,"source_text":"${"word ".repeat(2_000)}"`)}\n${own("short")}`,
    "invalid UTF-8 inside a text": new Uint8Array([...new TextEncoder().encode(own("u").slice(0, 40)), 0xff, ...new TextEncoder().encode(own("u").slice(40))]),
    "a binary file": new Uint8Array([0x7b, 0, 1, 2, 0x7d])
  }
  for (const [name, content] of Object.entries(special)) {
    it.effect(`on ${name}`, () =>
      Effect.gen(function* () {
        const file = write(content)
        for (const onBadInput of ["fail", "skip"] as const) {
          for (const chunkSize of [undefined, 3, 4099]) yield* agree(file, onBadInput, chunkSize)
        }
      }))
  }

  it.effect("on files read whole (CSV, .xlsx) and names it refuses (.json, .txt, a missing file, a folder)", () =>
    Effect.gen(function* () {
      const folder = join(dir, "folder.jsonl")
      mkdirSync(folder, { recursive: true })
      const files = [
        write("File,CHQ,Summary\nf1,Question one?,Summary one\nf2,,Summary two\nf1,Question?,Summary\n", "table.csv"),
        write('{"CHQ":"x"}\n', "json-in.csv"),
        write(
          workbook([
            { name: "Readme", rows: [["About"]] },
            { name: "MeQSum", rows: [["File", "CHQ", "Summary"], ["a.txt", "Question?", "Summary"], [], ["b.txt", "", "Summary"], ["c.txt", "Q?", "S"]] }
          ]),
          "book.xlsx"
        ),
        write("not a workbook", "fake.xlsx"),
        write(own("a"), "cases.NDJSON"),
        write(own("a"), "cases.json"),
        write(own("a"), "cases.txt"),
        join(dir, "missing.jsonl"),
        folder
      ]
      let refused = 0
      let skipped = 0
      for (const file of files) {
        for (const onBadInput of ["fail", "skip"] as const) {
          const loaded = yield* agree(file, onBadInput)
          if (Either.isLeft(loaded)) refused++
          else skipped += loaded.right.skipped.length
        }
      }
      // Refused: the CSV and the workbook with fail (a bad record), the JSON-in-CSV, the fake workbook,
      // .json, .txt, the missing file and the folder both ways.
      assert.strictEqual(refused, 2 + 12)
      // Skipped: the empty CHQ of the CSV (its File values repeat, so ids come by index) and of the workbook.
      assert.strictEqual(skipped, 2)
    }))

  it.effect("on generated files mixing good, bad, repeated and blank lines", () =>
    Effect.gen(function* () {
      const random = seeded(2027)
      const kinds = [
        () => meqsum(`m${random(20)}`),
        () => meqsum(null, "", `f${random(30)}.txt`),
        () => meqsum(null),
        () => meqsum(`m${random(20)}`, ',"Summary":""'),
        () => meqsum(`m${random(20)}`, `,"CHQ":"Fièvre? ${"é€𝄞".repeat(random(800))}"`),
        () => `{"id":"m${random(20)}",`,
        () => "[1,2]",
        () => "",
        () => "  ",
        () => "null"
      ]
      let failed = 0
      let skippedSome = 0
      for (let k = 0; k < 80; k++) {
        const body = Array.from({ length: 1 + random(25) }, () => kinds[random(kinds.length)]!())
        if (body.every((l) => l.trim() === "")) body.push(meqsum(null))
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

describe("SummarizeTask.scan", () => {
  it.effect("agrees with the task's load for every style on every bundled file, a file of the wrong kind refused either way", () =>
    Effect.gen(function* () {
      const broken = write(`${meqsum("m1")}\n${meqsum("m1")}\n`)
      let refused = 0
      for (const file of [...filesIn(folders.data), broken]) {
        for (const style of ["meqsum", "problem-summary", "jsonl"] as const) {
          for (const onBadInput of ["fail", "skip"] as const) {
            const loaded = yield* agreeTask(style, file, onBadInput)
            if (Either.isLeft(loaded)) refused++
          }
        }
      }
      // The 2 MeQSum files with the problem-summary style and the reverse, both ways; the repeated id with
      // fail (whatever the style: a bad record is reported before the kind), and with skip for problem-summary.
      assert.strictEqual(refused, 8 + 3 + 1)
    }))

  it.effect("streams the bundled dataset, waiting for each sample's effect, and stops at the callback's failure", () =>
    Effect.gen(function* () {
      const task: Task.Task<SummarySample.SummarySample> = SummarizeTask.make({ style: "meqsum" })
      const order: Array<string> = []
      const result = yield* task.scan!(task.defaultDataset, { onBadInput: "fail" }, (sample, position) =>
        Effect.gen(function* () {
          order.push(`start ${position}`)
          yield* Effect.yieldNow()
          order.push(`end ${position} ${sample.id}`)
        })
      )
      const loaded = yield* task.load(task.defaultDataset, { onBadInput: "fail" })
      assert.strictEqual(result.format, "meqsum-jsonl")
      assert.deepStrictEqual(order, loaded.samples.flatMap((s, i) => [`start ${i}`, `end ${i} ${s.id}`]))
      let handed = 0
      const error = yield* Effect.flip(
        task.scan!(task.defaultDataset, { onBadInput: "fail" }, (_, position) => (position === 3 ? Effect.fail("enough" as const) : Effect.sync(() => handed++)))
      )
      assert.strictEqual(error, "enough")
      assert.strictEqual(handed, 3)
    }).pipe(Effect.provide(NodeFileSystem.layer)))
})
