import { ScanCheck } from "@clinical-evals/scan-check"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { CodeDataset, CodeTask } from "../src/index.js"

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const folders = { data: here("../data"), badInputs: here("../../../../apps/cli/test/reliability/bad-inputs") }
const { seeded } = ScanCheck
const { dir, write } = ScanCheck.tempFiles("code-scan-")

const own = (id: string, extra = "") => `{"id":"${id}","text":"Discharge summary: hypertension.","codes":["I10"]${extra}}`
const medisumcode = (extra = "") => `{"text":"Discharge summary: pneumonia.","icd_codes":[{"code":"J18.9"}]${extra}}`

describe("CodeDataset.scan agrees with load", () => {
  ScanCheck.itAgreesOnFolders(CodeDataset, folders, (name) => (name === "data" ? 2 : 15), (name, { failed }) => {
    if (name === "data") assert.strictEqual(failed, 0)
    else assert.isAbove(failed, 10)
  })

  const special: Record<string, string | Uint8Array> = {
    ...ScanCheck.jsonlCases(own),
    "a missing field": `${own("a")}\n{"id":"b","text":"Note."}\n${own("c")}\n`,
    "a field of the wrong type": `${own("a")}\n${own("b", ',"codes":"I10"')}\n`,
    "a repeated id before a bad record": `${own("a")}\n${own("a")}\n${own("b", ',"codes":[]')}\n`,
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
  ScanCheck.itAgreesOnEach(CodeDataset, special, write, { "MeDiSumCode ids from the index among non-blank lines": "gen-x.jsonl" })

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
      const { failed } = yield* ScanCheck.agreeBothWays(CodeDataset, files)
      assert.strictEqual(failed, 8)
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
        ...ScanCheck.badLineKinds(() => `n${random(20)}`)
      ]
      const { failed, skippedSome } = yield* ScanCheck.agreeOnGenerated(CodeDataset, {
        random,
        kinds,
        files: 80,
        lines: 25,
        write,
        complete: (body) => {
          if (body.every((l) => l.trim() === "")) body.push(own("last"))
          if (body.find((l) => l.trim() !== "")!.trimStart().startsWith("[")) body.unshift(own("first"))
        }
      })
      assert.isAbove(failed, 10)
      assert.isAbove(skippedSome, 10)
    }))
})

describe("CodeTask.scan", () => {
  it.effect("streams the bundled dataset, waiting for each sample's effect, and stops at the callback's failure", () =>
    Effect.gen(function* () {
      const { loaded, result } = yield* ScanCheck.streams(CodeTask.CodeTask, 2)
      assert.strictEqual(result.format, loaded.format)
    }))
})
