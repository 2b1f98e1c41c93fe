import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ChatMessage, RunStore, SampleRecord } from "../src/index.js"
import { compactRecord } from "../src/internal/storedRecord.js"

const base = {
  index: 0, model: "ollama:m", modelDigest: "sha256:1", reference: { answer: "A", list: [1, 2] }, explanation: null,
  thinking: null, finishReason: null, truncated: false, latencyMs: 1, cached: false, promptTokens: null,
  completionTokens: null, groups: { source: "NEJM" }, messages: [new ChatMessage.ChatMessage({ role: "user", content: "Which one?" })]
}

/** Every kind of row a run stores: answered, with details and a host, failed, cached. */
const records = [
  new SampleRecord.SampleRecord({
    ...base, id: "ok", status: "ok", parse_status: "ok", prediction: "A", scores: { correct: 1 }, raw: "Answer: A",
    error: null, errorType: null
  }),
  new SampleRecord.SampleRecord({
    ...base, id: "details", index: 1, status: "ok", parse_status: "ambiguous", prediction: null, scores: { correct: 0 },
    raw: "A or B", error: null, errorType: null, host: "http://127.0.0.1:11434", details: { unsupported: ["x"], n: 2 },
    thinking: "hmm", finishReason: "length", truncated: true, promptTokens: 12, completionTokens: 3
  }),
  new SampleRecord.SampleRecord({
    ...base, id: "failed", index: 2, status: "error", parse_status: null, prediction: null, scores: {}, raw: null,
    error: "HTTP 500", errorType: "ModelUnavailableError", latencyMs: null
  }),
  new SampleRecord.SampleRecord({
    ...base, id: "cached", index: 3, status: "ok", parse_status: "ok", prediction: "B", scores: { correct: 0 },
    raw: "B", error: null, errorType: null, cached: true
  })
]

describe("compactRecord", () => {
  it.scoped("reads a stored row back as the record the class's constructor makes, without its prompt", () =>
    Effect.gen(function* () {
      const store = yield* RunStore.make(mkdtempSync(join(tmpdir(), "stored-record-")))
      yield* store.addModel({ spec: "ollama:m", provider: "ollama", model: "m", digest: "sha256:1", host: null, details: {} })
      yield* store.putMany(records)
      const rows: Array<RunStore.StoredRow> = []
      yield* store.scan((row) => Effect.sync(() => void rows.push(row)))
      assert.strictEqual(rows.length, records.length)
      for (const row of rows) {
        const original = records.find((r) => r.id === row.id)!
        const read = compactRecord(row.compactJson)
        // How the runner made it before: through the constructor, validation off.
        const fields = JSON.parse(row.compactJson) as Omit<typeof SampleRecord.SampleRecord.Encoded, "messages">
        const constructed = new SampleRecord.SampleRecord({ ...fields, details: fields.details ?? {}, messages: [] }, true)
        // Same prototype, same own fields in the same order, same values: what the constructor gives.
        assert.deepStrictEqual(read, constructed)
        assert.deepStrictEqual(Object.keys(read), Object.keys(constructed))
        assert.instanceOf(read, SampleRecord.SampleRecord)
        assert.deepStrictEqual(read.messages, [])
        assert.deepStrictEqual({ ...read, messages: original.messages }, { ...original })
      }
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )
})
