import { EvalError } from "@clinical-evals/core"
import type { Task } from "@clinical-evals/core"
import { ScanCheck } from "@clinical-evals/scan-check"
import type { FileSystem } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { MeDiSumQaTask, MedNliTask, StructuredTask } from "../src/index.js"

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const folders = { data: here("../data"), badInputs: here("../../../../apps/cli/test/reliability/bad-inputs") }
const { filesIn, seeded } = ScanCheck
const { dir, write } = ScanCheck.tempFiles("extract-scan-")

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

/** The dataset reader of one task, for `ScanCheck`'s checks that scan agrees with load. */
const reader = (name: string) => ({ name, load: tasks[name]!.load, scan: scans[name]! })

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
        const { failed: failures, read } = yield* ScanCheck.agreeOnFiles(reader(name), [
          ...filesIn(folders.data),
          ...filesIn(folders.badInputs)
        ])
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
          yield* ScanCheck.agreeEveryWay(reader(name), file)
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
        const { failed: refused } = yield* ScanCheck.agreeBothWays(reader(name), files)
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
          ...ScanCheck.badLineKinds(() => `r${random(20)}`)
        ]
        const { failed, skippedSome } = yield* ScanCheck.agreeOnGenerated(reader(name), {
          random,
          kinds,
          files: 60,
          lines: 25,
          write,
          complete: (body) => {
            if (body.every((l) => l.trim() === "")) body.push(line(null))
            if (body[0]!.startsWith("[")) body.unshift(line(null))
          }
        })
        assert.isAbove(failed, 10)
        assert.isAbove(skippedSome, 10)
      }))
  }
})

describe("extract tasks: scan through the task contract", () => {
  for (const [name, task] of Object.entries(tasks)) {
    it.effect(`${name}: streams the bundled dataset, waiting for each sample's effect, and stops at the callback's failure`, () =>
      Effect.gen(function* () {
        const { loaded, result } = yield* ScanCheck.streams(task, 2)
        assert.strictEqual(result.samples, loaded.samples.length)
      }))
  }
})
