import { ScanCheck } from "@clinical-evals/scan-check"
import { FileSystem } from "@effect/platform"
import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Layer, Option, Schema } from "effect"
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { DatasetReader } from "../src/index.js"

const { dir, write: file } = ScanCheck.tempFiles("reader-scan-")
const { plain, seeded } = ScanCheck

/** Counts the bytes read through the FileSystem, to see how far ahead of the callback the reader is. */
const countingFs = (counter: { bytes: number; opened: number }) =>
  Layer.effect(
    FileSystem.FileSystem,
    Effect.map(FileSystem.FileSystem, (fs): FileSystem.FileSystem => ({
      ...fs,
      open: (path, options) =>
        Effect.map(fs.open(path, options), (handle) => {
          counter.opened++
          const counted: FileSystem.File = Object.create(handle)
          Object.defineProperty(counted, "read", {
            value: (buffer: Uint8Array) => Effect.tap(handle.read(buffer), (n) => Effect.sync(() => (counter.bytes += Number(n))))
          })
          return counted
        })
    }))
  ).pipe(Layer.provide(NodeFileSystem.layer))

const collectLines = (p: string, chunkSize?: number) => {
  const seen: Array<DatasetReader.NumberedLine & { readonly index: number }> = []
  return DatasetReader.scanLines(p, (l, index) => Effect.sync(() => seen.push({ ...l, index })), chunkSize === undefined ? {} : { chunkSize }).pipe(
    Effect.map((count) => ({ count, seen }))
  )
}

/** What readText + nonBlankLines give, as the streaming reader should give it. */
const expected = (p: string) =>
  DatasetReader.readText(p).pipe(
    Effect.map((text) => DatasetReader.nonBlankLines(text).map((l, index) => ({ ...l, index })))
  )

const CHUNK_SIZES = [1, 2, 3, 5, 7, 64, 4095, 4097, undefined]

describe("DatasetReader.scanLines", () => {
  const texts: Record<string, string | Uint8Array> = {
    lf: '{"a":1}\n{"a":2}\n',
    crlf: '{"a":1}\r\n\r\n{"a":2}\r\n',
    "no final line end": "one\ntwo",
    "final CR without LF": "one\r\ntwo\r",
    "lone CR inside a line": "a\rb\nc\r\r\nd",
    "blank and white-space lines": "\n\n  \t\nx\n \r\n\n y \n\n",
    bom: "\uFEFFfirst\nsecond\n",
    "two byte-order marks": "\uFEFF\uFEFFfirst\n",
    "byte-order mark then a blank line": "\uFEFF\n\nthird\n",
    "line and paragraph separators": "a\u2028b\nc\u2029\n",
    "multi-byte characters": "€uro ✓ 𝄞 clef\nnaïve café\n日本語のテキスト\n",
    "invalid UTF-8": new Uint8Array([0x61, 0xff, 0x62, 0x0a, 0xc3, 0x0a, 0x63, 0xe2, 0x82]),
    "truncated sequence at the end": new Uint8Array([0x78, 0x0a, 0xf0, 0x9f, 0x98]),
    "NUL after the first 4096 bytes": new Uint8Array([...new TextEncoder().encode("x".repeat(4100) + "\n"), 0, 0x0a, 0x79])
  }
  for (const [name, content] of Object.entries(texts)) {
    it.effect(`gives the lines nonBlankLines gives for readText's text: ${name}`, () =>
      Effect.gen(function* () {
        const p = file(content)
        const want = yield* expected(p)
        for (const chunkSize of CHUNK_SIZES) {
          const got = yield* collectLines(p, chunkSize)
          assert.deepStrictEqual(got.seen, want, `chunk size ${chunkSize}`)
          assert.strictEqual(got.count, want.length)
        }
      }).pipe(Effect.provide(NodeFileSystem.layer)))
  }

  it.effect("agrees with readText + nonBlankLines on generated files", () =>
    Effect.gen(function* () {
      const random = seeded(8)
      const pieces = ["{\"id\":1}", "", " ", "\t", "\r", "é", "€", "𝄞", "\uFEFF", "x".repeat(300), "[1]", "\u2028"]
      const ends = ["\n", "\r\n", "\r\r\n", "\n\n"]
      for (let k = 0; k < 60; k++) {
        let text = random(3) === 0 ? "\uFEFF" : ""
        // Often a first line long enough that the rest is read past the 4096-byte probe, chunk by chunk.
        if (random(2) === 0) text += "é".repeat(1500 + random(1000)) + "\n"
        const lines = 1 + random(40)
        for (let i = 0; i < lines; i++) {
          for (let j = random(4); j >= 0; j--) text += pieces[random(pieces.length)]
          text += ends[random(ends.length)]
        }
        if (random(2) === 0) text += "last"
        const bytes = new TextEncoder().encode(text)
        if (random(4) === 0) bytes[random(bytes.length)] = 0xff // invalid UTF-8 somewhere
        const p = file(bytes)
        const want = yield* Effect.either(expected(p))
        const got = yield* Effect.either(collectLines(p, 1 + random(20)))
        if (Either.isLeft(want)) {
          assert.deepStrictEqual(Either.isLeft(got) ? plain(got.left) : got, plain(want.left), `file ${k}`)
        } else {
          assert.deepStrictEqual(Either.isRight(got) ? got.right.seen : plain(got.left), want.right, `file ${k}`)
        }
      }
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  const refused: Record<string, () => string> = {
    "a missing file": () => join(dir, "missing.jsonl"),
    "a folder": () => {
      const p = join(dir, "folder.jsonl")
      mkdirSync(p, { recursive: true })
      return p
    },
    "an empty file": () => file(""),
    "a binary file": () => file(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0x0a])),
    "a NUL late in the first 4096 bytes": () => file(new TextEncoder().encode("line one\n" + "y".repeat(4000) + "\0\n")),
    "only white space": () => file(" \n\r\n\t\n\uFEFF\n"),
    "only a byte-order mark": () => file("\uFEFF")
  }
  for (const [name, make] of Object.entries(refused)) {
    it.effect(`refuses ${name} with readText's error, before handing over any line`, () =>
      Effect.gen(function* () {
        const p = make()
        const want = yield* Effect.flip(DatasetReader.readText(p))
        for (const chunkSize of [1, 16, undefined]) {
          let handed = 0
          const got = yield* Effect.flip(
            DatasetReader.scanLines(p, () => Effect.sync(() => handed++), chunkSize === undefined ? {} : { chunkSize })
          )
          assert.deepStrictEqual(plain(got), plain(want))
          assert.strictEqual(handed, 0)
        }
      }).pipe(Effect.provide(NodeFileSystem.layer)))
  }

  it.effect("hands line k over before reading much past it (backpressure), and stops reading when the callback fails", () => {
    const counter = { bytes: 0, opened: 0 }
    return Effect.gen(function* () {
      const lines = Array.from({ length: 600 }, (_, i) => `{"id":"line-${i}","text":"${"z".repeat(i % 50)}"}`)
      const text = lines.join("\n") + "\n"
      const p = file(text)
      const chunkSize = 32
      const ends: Array<number> = []
      let end = 0
      for (const l of lines) ends.push((end += l.length + 1))
      const readWhenHanded: Array<number> = []
      yield* DatasetReader.scanLines(p, () => Effect.sync(() => readWhenHanded.push(counter.bytes)), { chunkSize })
      assert.strictEqual(readWhenHanded.length, 600)
      readWhenHanded.forEach((bytes, k) => {
        // Never more than the 4096-byte probe for binary content, or one chunk past the line's end.
        assert.isAtMost(bytes, Math.max(4096, ends[k]!) + chunkSize, `line ${k + 1}`)
      })
      assert.isBelow(readWhenHanded[0]!, text.length / 2)
      assert.strictEqual(counter.bytes, text.length)

      counter.bytes = 0
      const stopped = yield* Effect.flip(
        DatasetReader.scanLines(p, (l) => (l.line === 300 ? Effect.fail("stop" as const) : Effect.void), { chunkSize })
      )
      assert.strictEqual(stopped, "stop")
      assert.isAtMost(counter.bytes, ends[299]! + chunkSize)
      assert.strictEqual(counter.opened, 2)
    }).pipe(Effect.provide(countingFs(counter)))
  })
})

describe("DatasetReader scans run again", () => {
  it.effect("give the same lines, indexes and positions when the same effect runs twice", () =>
    Effect.gen(function* () {
      const p = file('\n{"id":"a"}\n\n{"id":"b"}\n')
      const lines: Array<string> = []
      const byLine = DatasetReader.scanLines(p, (l, index) => Effect.sync(() => lines.push(`${index}@${l.line}`)))
      yield* byLine
      yield* byLine
      assert.deepStrictEqual(lines, ["0@2", "1@4", "0@2", "1@4"])
      const records: Array<string> = []
      const byRecord = DatasetReader.scanJsonl(
        p,
        { onBadInput: "fail" },
        (json, _, index) => Either.right({ id: `${(json as { id: string }).id}${index}` }),
        (r, position) => Effect.sync(() => records.push(`${r.id}:${position}`))
      )
      const first = yield* byRecord
      const second = yield* byRecord
      assert.deepStrictEqual(records, ["a0:0", "b1:1", "a0:0", "b1:1"])
      assert.deepStrictEqual(second, first)
    }).pipe(Effect.provide(NodeFileSystem.layer)))
})

describe("DatasetReader.findLine", () => {
  it.effect("stops at the first line that gives a value, without reading the rest", () => {
    const counter = { bytes: 0, opened: 0 }
    return Effect.gen(function* () {
      const text = "\n  \n" + Array.from({ length: 2000 }, (_, i) => `line ${i}`).join("\n")
      const p = file(text)
      const found = yield* DatasetReader.findLine(
        p,
        (l, index) => (l.text === "line 1200" ? Option.some({ line: l.line, index }) : Option.none()),
        { chunkSize: 64 }
      )
      assert.deepStrictEqual(found, Option.some({ line: 1203, index: 1200 }))
      assert.isBelow(counter.bytes, text.length)
      const none = yield* DatasetReader.findLine(p, () => Option.none<number>())
      assert.isTrue(Option.isNone(none))
      const error = yield* Effect.flip(DatasetReader.findLine(file(""), () => Option.some(1)))
      assert.strictEqual(error.message, "the file is empty")
    }).pipe(Effect.provide(countingFs(counter)))
  })
})

describe("DatasetReader.scanJsonl", () => {
  const Rec = Schema.Struct({ id: Schema.String, n: Schema.Number })
  const decodeRec = (p: string) => {
    const decode = DatasetReader.decodeAt(Rec)
    return (json: unknown, l: DatasetReader.NumberedLine) => decode(p, l.line, json)
  }
  /** The same file through jsonl + uniqueIds (what loaders do) and through scanJsonl. */
  const both = (p: string, onBadInput: "fail" | "skip", chunkSize = 7) =>
    Effect.gen(function* () {
      const whole = yield* Effect.either(
        DatasetReader.readText(p).pipe(
          Effect.flatMap((text) => DatasetReader.jsonl(p, text, Rec, onBadInput)),
          Effect.flatMap((read) =>
            DatasetReader.uniqueIds(p, read.records, onBadInput).pipe(
              Effect.map((unique) => ({ records: unique.records, skipped: [...read.skipped, ...unique.skipped] }))
            )
          )
        )
      )
      const handed: Array<{ readonly position: number; readonly line: number; readonly value: typeof Rec.Type }> = []
      const streamed = yield* Effect.either(
        DatasetReader.scanJsonl(p, { onBadInput, chunkSize }, decodeRec(p), (value, position, line) =>
          Effect.sync(() => handed.push({ position, line, value }))
        )
      )
      return { whole, streamed, handed }
    })

  it.effect("agrees with jsonl + uniqueIds on generated files, with fail and with skip", () =>
    Effect.gen(function* () {
      const random = seeded(42)
      const kinds = [
        () => `{"id":"r${random(30)}","n":${random(100)}}`,
        () => `{"id":"r${random(30)}","n":"not a number"}`,
        () => `{"id":"r${random(30)}",`,
        () => "[1,2]",
        () => "",
        () => `  {"id":"s${random(5)}","n":1}  `
      ]
      for (let k = 0; k < 80; k++) {
        const lines = Array.from({ length: 1 + random(25) }, () => kinds[random(kinds.length)]!())
        if (lines.every((l) => l.trim() === "")) lines.push('{"id":"only","n":0}')
        const p = file(lines.join(random(2) === 0 ? "\n" : "\r\n"))
        for (const onBadInput of ["fail", "skip"] as const) {
          const { handed, streamed, whole } = yield* both(p, onBadInput, 1 + random(40))
          const where = `file ${k}, ${onBadInput}`
          if (Either.isLeft(whole)) {
            assert.isTrue(Either.isLeft(streamed), where)
            if (Either.isLeft(streamed)) assert.deepStrictEqual(plain(streamed.left), plain(whole.left), where)
          } else {
            assert.isTrue(Either.isRight(streamed), where)
            if (Either.isRight(streamed)) {
              assert.deepStrictEqual(
                handed,
                whole.right.records.map((r, position) => ({ position, line: r.line, value: r.value })),
                where
              )
              assert.strictEqual(streamed.right.records, whole.right.records.length, where)
              assert.deepStrictEqual(streamed.right.skipped.map((s) => plain(s.error)), whole.right.skipped.map((s) => plain(s.error)), where)
            }
          }
        }
      }
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.effect("with fail, a bad record after a repeated id is the error, and nothing after the repeat is handed over", () =>
    Effect.gen(function* () {
      const p = file('{"id":"a","n":1}\n{"id":"a","n":2}\n{"id":"b","n":3}\n{"id":"c","n":"x"}\n')
      const { handed, streamed } = yield* both(p, "fail")
      assert.deepStrictEqual(Either.isLeft(streamed) ? plain(streamed.left) : null, {
        file: p,
        line: 4,
        field: "n",
        message: 'Expected number, actual "x"'
      })
      assert.deepStrictEqual(handed.map((h) => h.value.id), ["a"])
      const q = file('{"id":"a","n":1}\n{"id":"b","n":2}\n{"id":"a","n":3}\n{"id":"c","n":4}\n')
      const repeated = yield* both(q, "fail")
      assert.deepStrictEqual(Either.isLeft(repeated.streamed) ? plain(repeated.streamed.left) : null, {
        file: q,
        line: 3,
        field: "id",
        message: 'id "a" was already used on line 1'
      })
      assert.deepStrictEqual(repeated.handed.map((h) => h.value.id), ["a", "b"])
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.effect("with skip, reports bad records first, then repeated ids, each in line order", () =>
    Effect.gen(function* () {
      const p = file('{"id":"a","n":1}\n{"id":"a","n":2}\n{"id":\n{"id":"b","n":3}\n{"id":"b","n":4}\n[]\n')
      const { handed, streamed } = yield* both(p, "skip")
      assert.deepStrictEqual(handed.map((h) => [h.position, h.line, h.value.id]), [[0, 1, "a"], [1, 4, "b"]])
      const skipped = Either.isRight(streamed) ? streamed.right.skipped.map((s) => [s.error.line, s.error.field]) : null
      assert.deepStrictEqual(skipped, [[3, null], [6, null], [2, "id"], [5, "id"]])
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.effect("gives decode the index of the line among the non-blank lines", () =>
    Effect.gen(function* () {
      const p = file('\n{"n":1}\n\n\n{"n":2}\n')
      const ids: Array<string> = []
      const result = yield* DatasetReader.scanJsonl(
        p,
        { onBadInput: "fail" },
        (json, l, index) => Either.right({ id: `row-${index}@${l.line}`, json }),
        (r) => Effect.sync(() => ids.push(r.id))
      )
      assert.deepStrictEqual(ids, ["row-0@2", "row-1@5"])
      assert.deepStrictEqual(result, { records: 2, skipped: [] })
    }).pipe(Effect.provide(NodeFileSystem.layer)))
})
