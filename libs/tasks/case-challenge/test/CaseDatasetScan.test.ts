import { ScanCheck } from "@clinical-evals/scan-check"
import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { mkdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { CaseChallengeTask, CaseDataset } from "../src/index.js"

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const folders = {
  data: here("../data"),
  fixtures: here("./fixtures"),
  badInputs: here("../../../../apps/cli/test/reliability/bad-inputs")
}
const { seeded } = ScanCheck
const { dir, write } = ScanCheck.tempFiles("case-scan-")

describe("CaseDataset.scan agrees with load", () => {
  ScanCheck.itAgreesOnFolders(CaseDataset, folders, (name) => (name === "data" ? 2 : 15), (name, { failed }) => {
    // The corpora hold bad inputs: the comparison covered errors as well as samples.
    if (name !== "data") assert.isAbove(failed, 5)
  })

  const own = (id: string, extra = "") =>
    `{"id":"${id}","source":"NEJM","case":"A 60-year-old man has chest pain.","question":"What is the diagnosis?","options":{"A":"Angina","B":"Pericarditis"},"answer":"a"${extra}}`
  const medqa = (extra = "") =>
    `{"question":"A 30-year-old woman has a fever. Which drug is best?","options":{"A":"Aspirin","B":"Ibuprofen","C":"Paracetamol"},"answer_idx":"C"${extra}}`
  const special: Record<string, string | Uint8Array> = {
    "a JSON array after blank lines": `\n\n  [${own("x")}]\n`,
    "a JSON array with skip": `[\n${own("x")}\n]`,
    "non-object lines before the first MedQA record": `[1]\n"text"\n{"broken\n\n${medqa()}\n${medqa(',"answer":"Paracetamol"')}\n`,
    "non-object lines before the first own record": `42\nnull\n${own("a")}\n${medqa()}\n`,
    "no line is an object": "1\n2\n[3]\n",
    "MedQA ids from the index among non-blank lines": `\n${medqa()}\n\n\n${medqa(',"id":"given"')}\r\n${medqa()}\n`,
    "MedQA with a repeated explicit id": `${medqa(',"id":"q-1"')}\n${medqa()}\n${medqa(',"id":"q-1"')}\n`,
    "MedQA generated id colliding with an explicit one": `${medqa(',"id":"gen-x-1"')}\n${medqa()}\n`,
    "a byte-order mark and CRLF": `\uFEFF${own("a")}\r\n${own("b")}\r\n`,
    "a repeated id before a bad record": `${own("a")}\n${own("a")}\n${own("b", ',"answer":"Z"')}\n`,
    "a repeated id then good records": `${own("a")}\n${own("b")}\n${own("a")}\n${own("c")}\n`,
    "a very long line": `${own("long", `,"explanation":"${"word ".repeat(4_000)}"`)}\n${own("short")}`,
    "invalid UTF-8 inside a text": new Uint8Array([...new TextEncoder().encode(own("u").slice(0, 60)), 0xff, ...new TextEncoder().encode(own("u").slice(60))])
  }
  ScanCheck.itAgreesOnEach(CaseDataset, special, write, { "MedQA generated id colliding with an explicit one": "gen-x.jsonl" })

  it.effect("on file names and kinds it refuses or reads whole: unknown extensions, a missing file, a folder, .ndjson, .JSONL", () =>
    Effect.gen(function* () {
      const line = own("n1")
      const files = [
        write(line, "cases.NDJSON"),
        write(line, "CASES.JSONL"),
        write(line, "cases.txt"),
        write(line, "cases"),
        write(line, "cases.tsv"),
        join(dir, "missing.jsonl"),
        join(dir, "missing.csv")
      ]
      const folder = join(dir, "folder.jsonl")
      mkdirSync(folder, { recursive: true })
      files.push(folder)
      const { failed } = yield* ScanCheck.agreeBothWays(CaseDataset, files)
      assert.strictEqual(failed, 12)
    }))

  it.effect("on generated files mixing good, bad, repeated and blank lines", () =>
    Effect.gen(function* () {
      const random = seeded(2026)
      const kinds = [
        () => own(`c${random(25)}`),
        () => own(`c${random(25)}`, random(2) === 0 ? ',"category":"Cardiology"' : ',"date":"2024-01-01"'),
        () => own(`c${random(25)}`, ',"answer":"E"'),
        () => own(`c${random(25)}`, `,"explanation":"Pas de fièvre: ${"é€𝄞".repeat(random(1500))}"`),
        () => own(`c${random(25)}`, ',"options":{"A":"x"}'),
        () => medqa(),
        () => medqa(`,"id":"m${random(5)}"`),
        () => medqa(',"answer_idx":1'),
        () => medqa(',"meta_info":"step1"'),
        ...ScanCheck.badLineKinds(() => `c${random(25)}`)
      ]
      const { failed, files, skippedSome } = yield* ScanCheck.agreeOnGenerated(CaseDataset, {
        random,
        kinds,
        files: 120,
        lines: 30,
        write,
        complete: (lines) => {
          if (lines.every((l) => l.trim() === "")) lines.push(medqa())
        }
      })
      assert.strictEqual(files, 120)
      // Both outcomes were exercised.
      assert.isAbove(failed, 20)
      assert.isAbove(skippedSome, 20)
    }))
})

describe("CaseChallengeTask.scan", () => {
  it.effect("streams the bundled dataset through the task contract, waiting for each sample's effect", () =>
    Effect.gen(function* () {
      const scan = CaseChallengeTask.CaseChallengeTask.scan
      assert.isDefined(scan)
      if (scan === undefined) return
      const order: Array<string> = []
      const result = yield* scan(CaseChallengeTask.defaultDataset, { onBadInput: "fail" }, (sample, position, line) =>
        Effect.gen(function* () {
          order.push(`start ${position}`)
          yield* Effect.yieldNow()
          order.push(`end ${position} ${sample.id}@${line}`)
        })
      )
      const lines = readFileSync(CaseChallengeTask.defaultDataset, "utf8").split("\n")
      assert.strictEqual(result.format, "case-challenge-jsonl")
      assert.strictEqual(order.length, result.samples * 2)
      for (let i = 0; i < result.samples; i++) {
        assert.strictEqual(order[2 * i], `start ${i}`)
        const [, id, line] = /^end \d+ (.+)@(\d+)$/.exec(order[2 * i + 1]!) ?? []
        assert.include(lines[Number(line) - 1]!, `"id":"${id}"`)
      }
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.effect("gives the same positions when the same scan runs twice (once to check, once to evaluate)", () =>
    Effect.gen(function* () {
      const handed: Array<string> = []
      const scan = CaseDataset.scan(CaseChallengeTask.defaultDataset, { onBadInput: "fail" }, (sample, position) =>
        Effect.sync(() => handed.push(`${position} ${sample.id}`))
      )
      const first = yield* scan
      const second = yield* scan
      assert.deepStrictEqual(second, first)
      assert.deepStrictEqual(handed.slice(first.samples), handed.slice(0, first.samples))
      assert.strictEqual(handed.length, 2 * first.samples)
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.effect("stops at the first failure of the callback, with that failure", () =>
    Effect.gen(function* () {
      const scan = CaseChallengeTask.CaseChallengeTask.scan!
      let handed = 0
      const error = yield* Effect.flip(
        scan(CaseChallengeTask.defaultDataset, { onBadInput: "fail" }, (_, position) =>
          position === 4 ? Effect.fail("enough" as const) : Effect.sync(() => handed++)
        )
      )
      assert.strictEqual(error, "enough")
      assert.strictEqual(handed, 4)
    }).pipe(Effect.provide(NodeFileSystem.layer)))
})
