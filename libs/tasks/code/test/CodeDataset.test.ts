import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DatasetReader } from "@clinical-evals/core"
import { CodeDataset } from "../src/index.js"

const dir = mkdtempSync(join(tmpdir(), "code-dataset-"))
const file = (name: string, content: string) => {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

const load = (path: string, onBadInput: "fail" | "skip" = "fail") =>
  CodeDataset.load(path, { onBadInput }).pipe(Effect.provide(NodeFileSystem.layer))

const failure = (path: string) => load(path).pipe(Effect.flip)

const note = (extra: Record<string, unknown>) => JSON.stringify({ text: "Discharge summary.", ...extra })

describe("CodeDataset.load: formats", () => {
  it.effect("the project's own JSONL: ids kept, codes canonical and de-duplicated", () =>
    Effect.gen(function* () {
      const path = file(
        "own.jsonl",
        [
          JSON.stringify({ id: "n1", text: "Note one.", codes: ["E11.9", "i10", "E119"] }),
          "",
          JSON.stringify({ id: 7, text: "Note two.", codes: ["J18.9"] })
        ].join("\n")
      )
      const ds = yield* load(path)
      assert.strictEqual(ds.format, "code-jsonl")
      assert.deepStrictEqual(ds.samples.map((s) => s.id), ["n1", "7"])
      assert.deepStrictEqual(ds.samples[0]!.codes, ["E119", "I10"])
      assert.deepStrictEqual(ds.samples[1]!.codes, ["J189"])
      assert.strictEqual(ds.samples[1]!.text, "Note two.")
    }))

  it.effect("MeDiSumCode as JSON lines, as CLUE's generator writes it (even in a .json file)", () =>
    Effect.gen(function* () {
      const path = file(
        "MeDiSumCode.json",
        [
          JSON.stringify({ hadm_id: "20000001", text: "A.", icd_codes: [{ code: "I214", description: "NSTEMI" }, { code: "E785" }] }),
          JSON.stringify({ hadm_id: 20000002, text: "B.", icd_codes: [{ code: "N179" }] })
        ].join("\n") + "\n"
      )
      const ds = yield* load(path)
      assert.strictEqual(ds.format, "medisumcode-jsonl")
      assert.deepStrictEqual(ds.samples.map((s) => s.id), ["20000001", "20000002"])
      assert.deepStrictEqual(ds.samples[0]!.codes, ["I214", "E785"])
    }))

  it.effect("MeDiSumCode as one JSON array, as CLUE's evaluation reads it", () =>
    Effect.gen(function* () {
      const path = file(
        "array.json",
        JSON.stringify([
          { note_id: "10-DS-1", text: "A.", icd_codes: [{ code: "E11.9" }] },
          { id: "x", hadm_id: "ignored", text: "B.", icd_codes: [{ code: "I10" }] }
        ], null, 2)
      )
      const ds = yield* load(path)
      assert.strictEqual(ds.format, "medisumcode-json")
      assert.deepStrictEqual(ds.samples.map((s) => s.id), ["10-DS-1", "x"])
    }))

  it.effect("MeDiSumCode records without an id get <file stem>-<index>", () =>
    Effect.gen(function* () {
      const lines = file("plain.jsonl", [note({ icd_codes: [{ code: "I10" }] }), note({ icd_codes: [{ code: "E11.9" }] })].join("\n"))
      assert.deepStrictEqual((yield* load(lines)).samples.map((s) => s.id), ["plain-0", "plain-1"])
      const array = file("arr.json", `[${note({ icd_codes: [{ code: "I10" }] })}, ${note({ icd_codes: [{ code: "J18.9" }] })}]`)
      assert.deepStrictEqual((yield* load(array)).samples.map((s) => s.id), ["arr-0", "arr-1"])
    }))

  it.effect("own-format records in a JSON array", () =>
    Effect.gen(function* () {
      const path = file("own-array.json", JSON.stringify([{ id: "a", text: "A.", codes: ["I10"] }]))
      const ds = yield* load(path)
      assert.strictEqual(ds.format, "code-json")
      assert.deepStrictEqual(ds.samples[0]!.codes, ["I10"])
    }))

  it.effect("U codes and codes retired from the code set are kept in the gold codes", () =>
    Effect.gen(function* () {
      const path = file("u.jsonl", JSON.stringify({ id: "u", text: "Covid.", codes: ["U07.1", "J12.82", "E11.99"] }))
      assert.deepStrictEqual((yield* load(path)).samples[0]!.codes, ["U071", "J1282", "E1199"])
    }))
})

describe("CodeDataset.load: errors name file, line and field", () => {
  it.effect("a malformed code in a MeDiSumCode line", () =>
    Effect.gen(function* () {
      const path = file("bad-code.jsonl", [note({ icd_codes: [{ code: "I10" }] }), note({ icd_codes: [{ code: "I10" }, { code: "diabetes" }] })].join("\n"))
      const e = yield* failure(path)
      assert.strictEqual(e.file, path)
      assert.strictEqual(e.line, 2)
      assert.strictEqual(e.field, "icd_codes[1].code")
      assert.include(e.message, "not an ICD-10-CM code")
    }))

  it.effect("a bad record of a JSON array: the line where the record starts", () =>
    Effect.gen(function* () {
      const text = [
        "[",
        "  {",
        '    "text": "A.",',
        '    "icd_codes": [{"code": "I10"}]',
        "  },",
        "  {",
        '    "text": "",',
        '    "icd_codes": [{"code": "E11.9"}]',
        "  }",
        "]"
      ].join("\n")
      const e = yield* failure(file("bad-array.json", text))
      assert.strictEqual(e.line, 6)
      assert.strictEqual(e.field, "text")
      assert.include(e.message, "must not be empty")
    }))

  it.effect("record lines in an array are not fooled by brackets, commas or escaped quotes inside strings", () =>
    Effect.gen(function* () {
      const text = [
        `[{"text": "a [b], {c} \\"q\\",\\n [", "icd_codes": [{"code": "I10"}]},`,
        `{"text": "ok", "icd_codes": [{"code": "I10"}]}, {"text": "ok",`,
        `"icd_codes": [{"code": 5}]}]`
      ].join("\n")
      const e = yield* failure(file("tricky.json", text))
      assert.deepStrictEqual([e.line, e.field], [2, "icd_codes[0].code"])
    }))

  it.effect("own format: a missing field, an empty code list, a code that is not a string", () =>
    Effect.gen(function* () {
      const missing = yield* failure(file("missing.jsonl", JSON.stringify({ id: "a", codes: ["I10"] })))
      assert.deepStrictEqual([missing.line, missing.field], [1, "text"])
      const empty = yield* failure(file("empty-codes.jsonl", JSON.stringify({ id: "a", text: "A.", codes: [] })))
      assert.deepStrictEqual([empty.line, empty.field], [1, "codes"])
      assert.include(empty.message, "at least one code")
      const number = yield* failure(file("number.jsonl", ["", JSON.stringify({ id: "a", text: "A.", codes: ["I10", 42] })].join("\n")))
      assert.deepStrictEqual([number.line, number.field], [2, "codes[1]"])
    }))

  it.effect("MeDiSumCode with no codes is refused (CLUE's recall would divide by zero)", () =>
    Effect.gen(function* () {
      const e = yield* failure(file("no-codes.jsonl", note({ icd_codes: [] })))
      assert.deepStrictEqual([e.line, e.field], [1, "icd_codes"])
    }))

  it.effect("a line that is not JSON, and a record that is not an object", () =>
    Effect.gen(function* () {
      const broken = yield* failure(file("broken.jsonl", [JSON.stringify({ id: "a", text: "A.", codes: ["I10"] }), "{oops"].join("\n")))
      assert.strictEqual(broken.line, 2)
      assert.include(broken.message, "not valid JSON")
      const list = yield* failure(file("list.jsonl", [JSON.stringify({ id: "a", text: "A.", codes: ["I10"] }), "[1, 2]"].join("\n")))
      assert.strictEqual(list.line, 2)
      assert.include(list.message, "expected a JSON object")
    }))

  it.effect("a JSON array that does not parse: the line of the error", () =>
    Effect.gen(function* () {
      const e = yield* failure(file("broken.json", '[\n  {"text": "A.", "icd_codes": [{"code": "I10"}]},\n  {"text": "B." "icd_codes": []}\n]'))
      assert.strictEqual(e.line, 3)
      assert.include(e.message, "not valid JSON")
    }))

  it.effect("repeated ids: an error with fail, set aside with skip", () =>
    Effect.gen(function* () {
      const path = file("dup.jsonl", ["a", "n2", "a"].map((id) => JSON.stringify({ id, text: "T.", codes: ["I10"] })).join("\n"))
      const e = yield* failure(path)
      assert.deepStrictEqual([e.line, e.field], [3, "id"])
      assert.include(e.message, "already used on line 1")
      const ds = yield* load(path, "skip")
      assert.deepStrictEqual(ds.samples.map((s) => s.id), ["a", "n2"])
      assert.strictEqual(ds.skipped.length, 1)
    }))

  it.effect("with skip, bad records are set aside and reported, good ones kept", () =>
    Effect.gen(function* () {
      const path = file(
        "mixed.jsonl",
        [note({ icd_codes: [{ code: "I10" }] }), note({ icd_codes: [{ code: "??" }] }), "not json", note({ icd_codes: [{ code: "K35.80" }] })].join("\n")
      )
      const ds = yield* load(path, "skip")
      assert.deepStrictEqual(ds.samples.map((s) => s.id), ["mixed-0", "mixed-3"])
      assert.deepStrictEqual(ds.skipped.map((s) => s.error.line), [2, 3])
    }))

  it.effect("unknown extensions, empty files and files with no record fail whatever onBadInput says", () =>
    Effect.gen(function* () {
      const csv = yield* load(file("notes.csv", "id,text\n"), "skip").pipe(Effect.flip)
      assert.include(csv.message, "unknown file type")
      const empty = yield* load(file("empty.jsonl", ""), "skip").pipe(Effect.flip)
      assert.include(empty.message, "empty")
      const none = yield* load(file("none.json", "[]"), "skip").pipe(Effect.flip)
      assert.include(none.message, "no records")
      const missing = yield* load(join(dir, "nope.jsonl")).pipe(Effect.flip)
      assert.include(missing.message, "not found")
    }))
})

describe("CodeDataset.load: the format is told by the first line that parses", () => {
  // Unlike case-challenge and summarize (the first line that holds an object, DatasetReader.jsonlStart),
  // a line that parses but is not an object decides too: here the own format, so the MeDiSumCode
  // record after it is refused for lacking the own format's fields. The difference is seen by users.
  it.effect("a non-object line before a MeDiSumCode record makes the file the own format", () =>
    Effect.gen(function* () {
      const path = file("null-first.jsonl", ["null", note({ icd_codes: [{ code: "I10" }] })].join("\n"))
      const ds = yield* load(path, "skip")
      assert.strictEqual(ds.format, "code-jsonl")
      assert.deepStrictEqual(ds.samples, [])
      assert.deepStrictEqual(
        ds.skipped.map((s) => [s.error.line, s.error.field, s.error.message]),
        [
          [1, null, "expected a JSON object, found null"],
          [2, "id", "is missing (and 1 more problem)"]
        ]
      )
      const start = yield* DatasetReader.jsonlStart(path).pipe(Effect.provide(NodeFileSystem.layer))
      assert.deepStrictEqual(Option.map(start, (s) => s._tag === "Object" && "icd_codes" in s.fields), Option.some(true))
    }))

  it.effect("a broken line is passed over: the MeDiSumCode record after it decides", () =>
    Effect.gen(function* () {
      const ds = yield* load(file("broken-first.jsonl", ["{oops", note({ icd_codes: [{ code: "I10" }] })].join("\n")), "skip")
      assert.strictEqual(ds.format, "medisumcode-jsonl")
      assert.deepStrictEqual(ds.samples.map((s) => s.id), ["broken-first-1"])
    }))
})
