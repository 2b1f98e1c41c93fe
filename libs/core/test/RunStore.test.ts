import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Reactivity } from "@effect/experimental"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Effect, Schema } from "effect"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ChatMessage, RunFolder, RunStore, SampleRecord } from "../src/index.js"

const record = (model: string, index: number, status: "ok" | "error" = "ok") =>
  new SampleRecord.SampleRecord({
    id: `s${index}`,
    index,
    model,
    modelDigest: null,
    status,
    parse_status: status === "ok" ? "ok" : null,
    prediction: status === "ok" ? "A" : null,
    reference: "A",
    scores: status === "ok" ? { correct: 1 } : {},
    explanation: null,
    raw: status === "ok" ? "Answer: A" : null,
    thinking: null,
    finishReason: null,
    truncated: false,
    error: status === "ok" ? null : "boom",
    errorType: status === "ok" ? null : "ModelUnavailableError",
    latencyMs: 1,
    cached: false,
    promptTokens: null,
    completionTokens: null,
    groups: {},
    messages: [ChatMessage.user(`case ${index}`)]
  })

const info = (spec: string) => ({ spec, provider: "test", model: spec, digest: null, host: null, details: {} })

describe("RunStore", () => {
  it.scoped("scan reads every record page by page, by model order then dataset order, as samples.jsonl lines", () =>
    Effect.gen(function* () {
      const dir = mkdtempSync(join(tmpdir(), "store-"))
      const store = yield* RunStore.make(dir)
      yield* store.addModel(info("m:b"))
      yield* store.addModel(info("m:a"))
      // 2,500 per model (more than two pages), stored in reverse order.
      for (let i = 2499; i >= 0; i--) {
        yield* store.put(record("m:a", i))
        yield* store.put(record("m:b", i, i % 7 === 0 ? "error" : "ok"))
      }
      yield* store.put(record("m:b", 5)) // a retried sample replaces its failed attempt
      const seen: Array<string> = []
      yield* store.scan((row) => Effect.sync(() => void seen.push(`${row.model}/${row.id}/${row.status}`)))
      assert.strictEqual(seen.length, 5000)
      assert.strictEqual(seen[0], "m:b/s0/error")
      assert.strictEqual(seen[5], "m:b/s5/ok")
      assert.strictEqual(seen[2499], "m:b/s2499/error")
      assert.strictEqual(seen[2500], "m:a/s0/ok")
      assert.strictEqual(new Set(seen).size, 5000)
      const all = yield* store.records
      assert.deepStrictEqual(all.map((r) => `${r.model}/${r.id}/${r.status}`), seen)

      yield* RunFolder.writeSamplesStreamed(dir, (line) => store.scan((row) => line(row.json)))
      const lines = readFileSync(join(dir, "samples.jsonl"), "utf8").split("\n")
      assert.strictEqual(lines.pop(), "")
      assert.deepStrictEqual(lines, RunFolder.samplesJsonl(all).trimEnd().split("\n"))
      assert.strictEqual(yield* store.integrityCheck, "ok")
    }).pipe(Effect.provide(NodeFileSystem.layer)))
})

describe("RunStore, a folder written before the messages were stored apart", () => {
  it.scoped("reads its rows as they were, stores new ones apart, and writes the same samples.jsonl lines for both", () =>
    Effect.gen(function* () {
      const dir = mkdtempSync(join(tmpdir(), "store-old-"))
      const old = record("m:a", 0)
      // The table as 0.1 made it: the whole record, messages included, in one column.
      yield* Effect.scoped(
        Effect.gen(function* () {
          const sql = yield* SqliteClient.make({ filename: join(dir, RunStore.DATABASE) }).pipe(Effect.provide(Reactivity.layer))
          yield* sql`CREATE TABLE results (model TEXT NOT NULL, sample_id TEXT NOT NULL, idx INTEGER NOT NULL,
            status TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (model, sample_id))`
          yield* sql`INSERT INTO results (model, sample_id, idx, status, record)
            VALUES (${old.model}, ${old.id}, 0, 'ok', ${Schema.encodeSync(SampleRecord.SampleRecordJson)(old)})`
        })
      )
      const store = yield* RunStore.make(dir)
      yield* store.addModel(info("m:a"))
      yield* store.putMany([record("m:a", 1)])
      const rows: Array<RunStore.StoredRow> = []
      yield* store.scan((row) => Effect.sync(() => void rows.push(row)))
      const all = yield* store.records
      assert.deepStrictEqual(all.map((r) => r.messages.map((m) => m.content)), [["case 0"], ["case 1"]])
      assert.deepStrictEqual(rows.map((r) => r.json), RunFolder.samplesJsonl(all).trimEnd().split("\n"))
      assert.notInclude(rows[1]!.compactJson, "case 1")
      assert.strictEqual(JSON.parse(rows[1]!.compactJson).raw, "Answer: A")
    }).pipe(Effect.provide(NodeFileSystem.layer)))
})
