import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DatasetReader } from "../src/index.js"

const Rec = Schema.Struct({ id: Schema.String, options: Schema.Struct({ A: Schema.String }) })
const dir = mkdtempSync(join(tmpdir(), "reader-"))
const file = (name: string, content: string | Uint8Array) => {
  const p = join(dir, name)
  writeFileSync(p, content)
  return p
}

describe("DatasetReader", () => {
  it.effect("reads JSONL with a BOM and CRLF line ends", () =>
    Effect.gen(function* () {
      const p = file("ok.jsonl", '\uFEFF{"id":"a","options":{"A":"x"}}\r\n\r\n{"id":"b","options":{"A":"y"}}\r\n')
      const text = yield* DatasetReader.readText(p)
      const { records } = yield* DatasetReader.jsonl(p, text, Rec, "fail")
      assert.deepStrictEqual(records.map((r) => [r.line, r.value.id]), [[1, "a"], [3, "b"]])
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.effect("names file, line and field of a bad record", () =>
    Effect.gen(function* () {
      const p = file("bad.jsonl", '{"id":"a","options":{"A":"x"}}\n{"id":"b","options":{"A":3}}\n')
      const text = yield* DatasetReader.readText(p)
      const error = yield* Effect.flip(DatasetReader.jsonl(p, text, Rec, "fail"))
      assert.strictEqual(error.line, 2)
      assert.strictEqual(error.field, "options.A")
      assert.include(error.pretty, `${p}:2: field "options.A"`)
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.effect("skips bad records with skip, and reports broken JSON by line", () =>
    Effect.gen(function* () {
      const p = file("skip.jsonl", '{"id":"a","options":{"A":"x"}}\n{"id":\n{"id":"c"}\n')
      const text = yield* DatasetReader.readText(p)
      const { records, skipped } = yield* DatasetReader.jsonl(p, text, Rec, "skip")
      assert.strictEqual(records.length, 1)
      assert.deepStrictEqual(skipped.map((s) => [s.error.line, s.error.field]), [[2, null], [3, "options"]])
      assert.include(skipped[0]!.error.message, "not valid JSON")
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.effect("rejects missing, empty and binary files", () =>
    Effect.gen(function* () {
      const missing = yield* Effect.flip(DatasetReader.readText(join(dir, "nope.jsonl")))
      assert.strictEqual(missing.message, "file not found")
      const empty = yield* Effect.flip(DatasetReader.readText(file("empty.jsonl", "")))
      assert.strictEqual(empty.message, "the file is empty")
      const binary = yield* Effect.flip(DatasetReader.readText(file("zip.xlsx", new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]))))
      assert.include(binary.message, "binary")
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.effect("finds repeated ids", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        DatasetReader.requireUniqueIds("f", [{ line: 1, value: { id: "x" } }, { line: 4, value: { id: "x" } }])
      )
      assert.strictEqual(error.line, 4)
      assert.include(error.message, "line 1")
    }))
})

describe("DatasetReader.decodeAt", () => {
  it("says a record that is not an object is not one, instead of printing the expected schema", () => {
    const decode = DatasetReader.decodeAt(Rec)
    for (const [value, found] of [[["syn-1", "A"], "a list"], ["syn-1", "a string"], [7, "a number"], [null, "null"]] as const) {
      const result = decode("data.jsonl", 4, value)
      assert.isTrue(result._tag === "Left")
      if (result._tag === "Left") {
        assert.deepStrictEqual(
          { line: result.left.line, field: result.left.field, message: result.left.message },
          { line: 4, field: null, message: `expected a JSON object with the record's fields, found ${found}` }
        )
      }
    }
    // An object with a bad field still names the field.
    const bad = decode("data.jsonl", 5, { id: "syn-2", options: ["x"] })
    assert.isTrue(bad._tag === "Left" && bad.left.field === "options")
  })
})

describe("DatasetReader.uniqueIds and JSON lines", () => {
  const records = [
    { line: 1, value: { id: "a" } },
    { line: 2, value: { id: "b" } },
    { line: 5, value: { id: "a" } }
  ]
  it.effect("fails on a repeated id with fail, sets it aside with skip", () =>
    Effect.gen(function* () {
      const failed = yield* Effect.flip(DatasetReader.uniqueIds("f.jsonl", records, "fail"))
      assert.strictEqual(failed.line, 5)
      const skipped = yield* DatasetReader.uniqueIds("f.jsonl", records, "skip")
      assert.deepStrictEqual(skipped.records.map((r) => r.value.id), ["a", "b"])
      assert.strictEqual(skipped.skipped[0]!.error.pretty, 'f.jsonl:5: field "id": id "a" was already used on line 1')
    }))

  it("finds the line of an offset and of a JSON.parse error that gives its position", () => {
    const text = '{\n  "a": 1,\n  "b": oops\n}'
    assert.strictEqual(DatasetReader.lineAt(text, text.indexOf("oops")), 3)
    const trailingComma = '{\n  "a": 1,\n}'
    let error: unknown
    try {
      JSON.parse(trailingComma)
    } catch (e) {
      error = e
    }
    assert.strictEqual(DatasetReader.parseErrorLine(trailingComma, error), 3)
    assert.strictEqual(DatasetReader.parseErrorLine("", new SyntaxError("Unexpected token in JSON at line 4 column 2")), 4)
    // Some engine messages name no position: then no line is claimed.
    assert.isNull(DatasetReader.parseErrorLine(text, new Error("Unexpected token 'o', \"{...\" is not valid JSON")))
  })
})
