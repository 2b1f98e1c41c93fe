import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Option, Schema } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DatasetReader, EvalError } from "../src/index.js"

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

describe("DatasetReader.jsonlStart", () => {
  /** The start of `content` read both ways: streamed from the file (at a 3-byte chunk size, too) and from its read lines. */
  const startOf = (name: string, content: string | Uint8Array) =>
    Effect.gen(function* () {
      const p = file(name, content)
      const streamed = yield* DatasetReader.jsonlStart(p)
      const small = yield* DatasetReader.jsonlStart(p, { chunkSize: 3 })
      const lines = DatasetReader.nonBlankLines(yield* DatasetReader.readText(p))
      const fromLines = yield* DatasetReader.jsonlStart(p, { lines })
      assert.deepStrictEqual(small, streamed, `${name}: a 3-byte chunk size`)
      assert.deepStrictEqual(fromLines, streamed, `${name}: from the lines read`)
      return streamed
    }).pipe(Effect.provide(NodeFileSystem.layer))

  it.effect("says a JSON array when the first non-blank line starts with [", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(yield* startOf("array.jsonl", '[{"id":"a"},\n{"id":"b"}]'), Option.some({ _tag: "Array" as const }))
      assert.deepStrictEqual(yield* startOf("array-later.jsonl", '\n \r\n  [{"id":"a"}]\n'), Option.some({ _tag: "Array" as const }))
      // Only the first non-blank line says so: a list on a later line is passed over like any non-object.
      assert.deepStrictEqual(yield* startOf("list-later.jsonl", '"text"\n[1]\n{"id":"a"}\n'), Option.some({ _tag: "Object" as const, line: 3, fields: { id: "a" } }))
    }))

  it.effect("gives the first line that holds an object, passing over blank, broken and non-object lines", () =>
    Effect.gen(function* () {
      const start = yield* startOf("late.jsonl", '\n{"broken\n42\nnull\n\n"text"\n{"id":"a","n":1}\n{"id":"b"}\n')
      assert.deepStrictEqual(start, Option.some({ _tag: "Object" as const, line: 7, fields: { id: "a", n: 1 } }))
      assert.deepStrictEqual(yield* startOf("none.jsonl", '1\n"two"\n{"three"\nnull\n'), Option.none())
    }))

  it.effect("reads past a byte-order mark and CRLF line ends", () =>
    Effect.gen(function* () {
      const object = yield* startOf("bom.jsonl", '\uFEFF\r\n{"id":"a"}\r\n{"id":"b"}\r\n')
      assert.deepStrictEqual(object, Option.some({ _tag: "Object" as const, line: 2, fields: { id: "a" } }))
      assert.deepStrictEqual(yield* startOf("bom-array.jsonl", '\uFEFF[{"id":"a"}]\r\n'), Option.some({ _tag: "Array" as const }))
    }))

  it.effect("fails as the streaming reader does on an empty, blank or missing file, and opens no file when given lines", () =>
    Effect.gen(function* () {
      const empty = yield* Effect.flip(DatasetReader.jsonlStart(file("start-empty.jsonl", "")))
      assert.deepStrictEqual([empty.line, empty.message], [null, "the file is empty"])
      const blank = yield* Effect.flip(DatasetReader.jsonlStart(file("start-blank.jsonl", "\n  \r\n")))
      assert.strictEqual(blank.message, "the file has no records")
      const missing = join(dir, "start-missing.jsonl")
      assert.strictEqual((yield* Effect.flip(DatasetReader.jsonlStart(missing))).message, "file not found")
      const given = yield* DatasetReader.jsonlStart(missing, { lines: [{ line: 2, text: '{"id":"a"}' }] })
      assert.deepStrictEqual(given, Option.some({ _tag: "Object" as const, line: 2, fields: { id: "a" } }))
    }).pipe(Effect.provide(NodeFileSystem.layer)))
})

describe("DatasetReader.collectUnique", () => {
  const good = (line: number, id: string) => Either.right({ line, value: { id } })
  const bad = (line: number) => Either.left(new EvalError.DatasetError({ file: "f.jsonl", line, field: null, message: "not valid JSON" }))

  it.effect("fails on the first bad record before any repeated id with fail; reports bad records then repeats with skip", () =>
    Effect.gen(function* () {
      const results = [good(1, "a"), good(2, "a"), bad(3), good(4, "b"), bad(5), good(6, "b")]
      const failed = yield* Effect.flip(DatasetReader.collectUnique("f.jsonl", results, "fail"))
      assert.deepStrictEqual([failed.line, failed.message], [3, "not valid JSON"])
      const repeated = yield* Effect.flip(DatasetReader.collectUnique("f.jsonl", [good(1, "a"), good(4, "a")], "fail"))
      assert.strictEqual(repeated.pretty, 'f.jsonl:4: field "id": id "a" was already used on line 1')
      const skipped = yield* DatasetReader.collectUnique("f.jsonl", results, "skip")
      assert.deepStrictEqual(skipped.records.map((r) => [r.line, r.value.id]), [[1, "a"], [4, "b"]])
      assert.deepStrictEqual(skipped.skipped.map((s) => s.error.line), [3, 5, 2, 6])
    }))

  it.effect("says a file without any result has no records, whatever onBadInput", () =>
    Effect.gen(function* () {
      for (const onBadInput of ["fail", "skip"] as const) {
        const error = yield* Effect.flip(DatasetReader.collectUnique("f.jsonl", [], onBadInput))
        assert.deepStrictEqual([error.file, error.line, error.field, error.message], ["f.jsonl", null, null, "the file has no records"])
      }
    }))
})
