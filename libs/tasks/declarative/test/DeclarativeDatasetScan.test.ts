import { ScanCheck } from "@clinical-evals/scan-check"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { mkdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { DeclarativeDataset, DeclarativeTask, TaskFile } from "../src/index.js"

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const folders = {
  fixtures: here("./fixtures"),
  examples: here("../../../../examples/declarative/data"),
  badInputs: here("../../../../apps/cli/test/reliability/bad-inputs")
}
const filesIn = (folder: string) => ScanCheck.filesIn(folder, [".md", ".yaml"])

/** The task files of the fixtures and examples that decode, whatever their dataset holds. */
const taskFiles = [
  here("./fixtures/icd.yaml"),
  here("./fixtures/text.yaml"),
  here("./fixtures/bad-reference.yaml"),
  here("../../../../examples/declarative/triage.yaml"),
  here("../../../../examples/declarative/first-line.yaml")
].map((file) => Either.getOrThrow(TaskFile.decode(file, readFileSync(file, "utf8"))))
const triage = taskFiles[3]!

const { dir, write } = ScanCheck.tempFiles("declarative-scan-")
const { seeded } = ScanCheck

/** The dataset reader of one task file, for `ScanCheck`'s checks that scan agrees with load. */
const reader = (task: TaskFile.TaskFile) => ({
  name: task.name,
  load: (path: string, options: { readonly onBadInput: "fail" | "skip" }) => DeclarativeDataset.load(task, path, options),
  scan: (
    path: string,
    options: { readonly onBadInput: "fail" | "skip"; readonly chunkSize?: number },
    onSample: (sample: unknown, position: number, line: number) => Effect.Effect<void>
  ) => DeclarativeDataset.scan(task, path, options, onSample)
})

const record = (id: string | null, extra = "") =>
  `{${id === null ? "" : `"id":"${id}",`}"age_band":"adult","presentation":"Crushing chest pain for 30 minutes.","urgency":"emergency"${extra}}`

describe("DeclarativeDataset.scan agrees with load", () => {
  it.effect("on every data file of the fixtures, the examples and the bad-input corpus, for every task file, with fail and skip", () =>
    Effect.gen(function* () {
      const files = Object.values(folders).flatMap((folder) => filesIn(folder))
      assert.isAtLeast(files.length, 30)
      let read = 0
      let failures = 0
      for (const task of taskFiles) {
        const tally = yield* ScanCheck.agreeOnFiles(reader(task), files)
        failures += tally.failed
        read += tally.read
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
        yield* ScanCheck.agreeEveryWay(reader(triage), file)
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
      const { failed: refused } = yield* ScanCheck.agreeBothWays(reader(triage), files)
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
        ...ScanCheck.badLineKinds(() => `t${random(40)}`)
      ]
      const { failed, skippedSome } = yield* ScanCheck.agreeOnGenerated(reader(triage), {
        random,
        kinds,
        files: 80,
        lines: 12,
        write,
        complete: (body) => {
          if (body.every((l) => l.trim() === "")) body.push(record(null))
        }
      })
      assert.isAbove(failed, 10)
      assert.isAbove(skippedSome, 10)
    }))
})

describe("DeclarativeTask.scan", () => {
  it.effect("streams the example dataset, waiting for each sample's effect, and stops at the callback's failure", () =>
    Effect.gen(function* () {
      const { loaded, result } = yield* ScanCheck.streams(DeclarativeTask.make(triage), 2)
      assert.strictEqual(result.format, "jsonl")
      assert.isAbove(loaded.samples.length, 3)
    }))
})
