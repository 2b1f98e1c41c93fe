import { ScanCheck } from "@clinical-evals/scan-check"
import type { Task } from "@clinical-evals/core"
import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { SummarizeTask, SummaryDataset } from "../src/index.js"
import type { SummarySample } from "../src/index.js"
import { workbook } from "./fixtures/XlsxWriter.js"

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const folders = { data: here("../data"), badInputs: here("../../../../apps/cli/test/reliability/bad-inputs") }
const { filesIn, plain, seeded } = ScanCheck
const { dir, write } = ScanCheck.tempFiles("summary-scan-")

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
  ScanCheck.itAgreesOnFolders(SummaryDataset, folders, (name) => (name === "data" ? 6 : 15), (name, { failed }) => {
    if (name === "data") assert.strictEqual(failed, 0)
    else assert.isAbove(failed, 10)
  })

  const special: Record<string, string | Uint8Array> = {
    ...ScanCheck.jsonlCases(own),
    "a missing field": `${own("a")}\n{"id":"b","source_text":"Text."}\n${own("c")}\n`,
    "an empty source": `${own("a")}\n${own("b", ',"source_text":"  "')}\n`,
    "a field of the wrong type": `${own("a")}\n${own("b", ',"reference_summary":{"x":1}')}\n`,
    "a repeated id before a bad record": `${own("a")}\n${own("a")}\n${own("b", ',"source_text":""')}\n`,
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
  ScanCheck.itAgreesOnEach(SummaryDataset, special, write)

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
      const { failed: refused, skipped } = yield* ScanCheck.agreeBothWays(SummaryDataset, files)
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
        ...ScanCheck.badLineKinds(() => `m${random(20)}`)
      ]
      const { failed, skippedSome } = yield* ScanCheck.agreeOnGenerated(SummaryDataset, {
        random,
        kinds,
        files: 80,
        lines: 25,
        write,
        complete: (body) => {
          if (body.every((l) => l.trim() === "")) body.push(meqsum(null))
        }
      })
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
      const { result } = yield* ScanCheck.streams(task, 3)
      assert.strictEqual(result.format, "meqsum-jsonl")
    }))
})
