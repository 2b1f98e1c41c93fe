import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { fileURLToPath } from "node:url"
import { CaseDataset } from "../src/index.js"

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const load = (name: string, onBadInput: "fail" | "skip" = "fail") =>
  CaseDataset.load(fixture(name), { onBadInput }).pipe(Effect.provide(NodeFileSystem.layer))
const failure = (name: string, onBadInput: "fail" | "skip" = "fail") => Effect.flip(load(name, onBadInput))

describe("CaseDataset: the project's JSONL", () => {
  it.effect("reads cases with their options in letter order and a lower-case answer letter", () =>
    Effect.gen(function* () {
      const ds = yield* load("cases.jsonl")
      assert.strictEqual(ds.format, "case-challenge-jsonl")
      assert.deepStrictEqual(ds.samples.map((s) => s.id), ["own-1", "own-2", "own-3"])
      const [first, second] = ds.samples
      assert.strictEqual(first!.date, "2024-05-02")
      assert.strictEqual(first!.category, "Cardiology")
      assert.deepStrictEqual(Object.keys(second!.options), ["A", "B", "C", "D"])
      assert.strictEqual(second!.answer, "A")
      assert.strictEqual(second!.category, undefined)
      assert.deepStrictEqual(ds.skipped, [])
    }))

  it.effect("names file, line and field of the first bad record", () =>
    Effect.gen(function* () {
      const e = yield* failure("bad-cases.jsonl")
      assert.strictEqual(e.file, fixture("bad-cases.jsonl"))
      assert.strictEqual(e.line, 2)
      assert.strictEqual(e.field, "answer")
      assert.include(e.message, "F is not one of the options (A, B)")
    }))

  it.effect("with skip, sets every bad record aside with its line and field", () =>
    Effect.gen(function* () {
      const ds = yield* load("bad-cases.jsonl", "skip")
      assert.deepStrictEqual(ds.samples.map((s) => s.id), ["own-1"])
      assert.deepStrictEqual(
        ds.skipped.map((s) => [s.error.line, s.error.field]),
        [
          [2, "answer"],
          [3, "options"],
          [4, "question"],
          [5, null],
          [6, "options.B"]
        ]
      )
      assert.include(ds.skipped[1]!.error.message, "options must be lettered A, B")
      assert.include(ds.skipped[3]!.error.message, "not valid JSON")
    }))

  it.effect("refuses repeated ids, or skips the repeats", () =>
    Effect.gen(function* () {
      const e = yield* failure("duplicate-ids.jsonl")
      assert.strictEqual(e.line, 3)
      assert.strictEqual(e.field, "id")
      assert.include(e.message, "line 1")
      const ds = yield* load("duplicate-ids.jsonl", "skip")
      assert.deepStrictEqual(ds.samples.map((s) => s.id), ["own-1", "own-3"])
      assert.strictEqual(ds.skipped[0]!.error.field, "id")
    }))
})

describe("CaseDataset: MedQA JSONL", () => {
  it.effect("is recognised by its fields; ids, source and category are filled in", () =>
    Effect.gen(function* () {
      const ds = yield* load("medqa.jsonl")
      assert.strictEqual(ds.format, "medqa-jsonl")
      assert.deepStrictEqual(ds.samples.map((s) => s.id), ["medqa-0", "medqa-1", "medqa-2"])
      const [first, , third] = ds.samples
      assert.strictEqual(first!.source, "MedQA")
      assert.strictEqual(first!.category, "step2&3")
      assert.strictEqual(first!.answer, "C")
      assert.strictEqual(first!.case, "A 23-year-old woman has dysuria and frequency for 2 days. She is not pregnant and has no fever.")
      assert.strictEqual(first!.question, "Which of the following is the most appropriate treatment?")
      assert.strictEqual(third!.category, undefined)
      assert.strictEqual(third!.question, "")
      assert.strictEqual(third!.case, "Which vitamin deficiency causes scurvy?")
    }))

  it.effect("refuses numeric indexes, answers that contradict the key and keys outside the options", () =>
    Effect.gen(function* () {
      const ds = yield* load("bad-medqa.jsonl", "skip")
      assert.strictEqual(ds.samples.length, 1)
      assert.deepStrictEqual(
        ds.skipped.map((s) => [s.error.line, s.error.field]),
        [
          [2, "answer_idx"],
          [3, "answer"],
          [4, "answer_idx"]
        ]
      )
      assert.include(ds.skipped[0]!.error.message, "ambiguous (0- or 1-based)")
      assert.include(ds.skipped[1]!.error.message, "the key and the answer disagree")
    }))
})

describe("CaseDataset: MedQA JSONL whose first record lacks answer_idx", () => {
  it.effect("is still read as MedQA: the error names the missing answer_idx, not the own format's id", () =>
    Effect.gen(function* () {
      const e = yield* Effect.flip(load("medqa-no-answer-idx.jsonl"))
      assert.deepStrictEqual([e.line, e.field], [1, "answer_idx"])
      const ds = yield* load("medqa-no-answer-idx.jsonl", "skip")
      assert.strictEqual(ds.format, "medqa-jsonl")
      assert.deepStrictEqual(ds.samples.map((s) => s.id), ["medqa-no-answer-idx-1"])
    }))
})

describe("CaseDataset: ChallengeClinicalQA / Medbullets CSV", () => {
  it.effect("reads quoted fields, 4 and 5 options, trailing empty fields, and numbers records from their first line", () =>
    Effect.gen(function* () {
      const ds = yield* load("medbullets.csv")
      assert.strictEqual(ds.format, "challenge-csv")
      assert.deepStrictEqual(ds.samples.map((s) => s.id), ["medbullets-0", "medbullets-1", "medbullets-2"])
      const [first, second, third] = ds.samples
      assert.strictEqual(first!.source, "ChallengeClinicalQA")
      assert.include(first!.case, 'the "worst headache of my life", and CT')
      assert.include(first!.case, "\nOn day 3")
      assert.strictEqual(first!.question, "Which of the following is the most likely diagnosis?")
      assert.strictEqual(first!.options["D"], "Syndrome of inappropriate antidiuretic hormone, SIADH")
      assert.include(first!.explanation ?? "", "Incorrect answers")
      assert.deepStrictEqual(Object.keys(second!.options), ["A", "B", "C", "D"])
      assert.strictEqual(second!.answer, "D")
      assert.strictEqual(third!.answer, "A")
      assert.strictEqual(Object.keys(third!.options).length, 5)
    }))

  it.effect("uses the id, source and category columns when present (BOM and CRLF accepted)", () =>
    Effect.gen(function* () {
      const ds = yield* load("jama.csv")
      assert.deepStrictEqual(ds.samples.map((s) => [s.id, s.source, s.category, s.answer]), [
        ["jama-17", "JAMA", "Dermatology", "A"],
        ["jama-18", "JAMA", "Cardiology", "C"]
      ])
      assert.strictEqual(ds.samples[0]!.question, "What Would You Do Next?")
    }))

  it.effect("reports each bad row with its line and column", () =>
    Effect.gen(function* () {
      const first = yield* failure("bad.csv")
      assert.deepStrictEqual([first.line, first.field], [3, "answer_idx"])
      assert.include(first.message, "E is not one of the options (A, B, C, D)")
      const ds = yield* load("bad.csv", "skip")
      assert.deepStrictEqual(ds.samples.map((s) => s.id), ["bad-0"])
      assert.deepStrictEqual(
        ds.skipped.map((s) => [s.error.line, s.error.field]),
        [
          [3, "answer_idx"],
          [4, null],
          [5, "answer_idx"],
          [6, "opc"],
          [7, "answer"]
        ]
      )
      assert.include(ds.skipped[1]!.error.message, "expected 7 fields")
      assert.include(ds.skipped[3]!.error.message, "options must be consecutive")
    }))

  it.effect("refuses an unterminated quote, missing columns and a header without rows", () =>
    Effect.gen(function* () {
      const quote = yield* failure("unterminated.csv", "skip")
      assert.strictEqual(quote.line, 3)
      assert.include(quote.message, "closing quote missing")
      const columns = yield* failure("missing-columns.csv")
      assert.strictEqual(columns.line, 1)
      assert.include(columns.message, 'no "question", "opa", "opb", "answer_idx" columns')
      const empty = yield* failure("header-only.csv")
      assert.include(empty.message, "no records")
    }))
})

describe("CaseDataset: pandas column-oriented JSON", () => {
  it.effect("reads records by key, a null ope meaning four options", () =>
    Effect.gen(function* () {
      const ds = yield* load("medbullets.json")
      assert.strictEqual(ds.format, "challenge-json")
      assert.deepStrictEqual(ds.samples.map((s) => [s.id, Object.keys(s.options).length, s.answer]), [
        ["medbullets-0", 4, "B"],
        ["medbullets-1", 5, "B"]
      ])
      assert.strictEqual(ds.samples[1]!.question, "What is the diagnosis?")
    }))

  it.effect("names the field and the record key, at the line of that record in that column", () =>
    Effect.gen(function* () {
      const ds = yield* load("bad-record.json", "skip")
      assert.deepStrictEqual(ds.samples.map((s) => s.id), ["bad-record-0"])
      const [badKey, missing] = ds.skipped.map((s) => s.error)
      assert.strictEqual(badKey!.field, "answer_idx")
      assert.include(badKey!.message, 'record "1"')
      // The line of `"1": "Z"` inside the answer_idx column of the pretty-printed file.
      assert.strictEqual(badKey!.line, 30)
      assert.strictEqual(missing!.field, "opb")
      assert.include(missing!.message, 'record "2"')
      // No "2" in the opb column: the line of record "2" in the question column.
      assert.strictEqual(missing!.line, 5)
    }))

  it.effect("refuses JSON that is not column-oriented, and broken JSON with its line", () =>
    Effect.gen(function* () {
      const records = yield* failure("records.json")
      assert.include(records.message, "found a list of records")
      const index = yield* failure("index-oriented.json")
      assert.include(index.message, "row-oriented")
      const broken = yield* failure("broken.json")
      assert.include(broken.message, "not valid JSON")
      assert.strictEqual(broken.line, 4)
    }))
})

describe("CaseDataset: files it cannot read", () => {
  it.effect("refuses an empty file, a binary file and unknown extensions with a clear message", () =>
    Effect.gen(function* () {
      assert.strictEqual((yield* failure("empty.jsonl")).message, "the file is empty")
      assert.include((yield* failure("binary.csv")).message, "binary")
      assert.include((yield* failure("cases.xlsx")).message, "Excel workbook")
      const unknown = yield* Effect.flip(
        CaseDataset.load("/nowhere/cases.parquet", { onBadInput: "fail" }).pipe(Effect.provide(NodeFileSystem.layer))
      )
      assert.include(unknown.message, "Parquet")
      const noExtension = yield* Effect.flip(
        CaseDataset.load("/nowhere/cases", { onBadInput: "fail" }).pipe(Effect.provide(NodeFileSystem.layer))
      )
      assert.include(noExtension.message, "(no extension)")
      const missing = yield* Effect.flip(
        CaseDataset.load("/nowhere/cases.jsonl", { onBadInput: "fail" }).pipe(Effect.provide(NodeFileSystem.layer))
      )
      assert.strictEqual(missing.message, "file not found")
    }))
})
