import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Exit, Option, Scope } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Generation, ResponseCache, RunStore, SampleRecord } from "../src/index.js"
import * as WriteBehind from "../src/internal/writeBehind.js"

const record = (id: string, status: "ok" | "error", index = 0) =>
  new SampleRecord.SampleRecord({
    id, index, model: "m:a", modelDigest: null, status, parse_status: status === "ok" ? "ok" : null,
    prediction: status === "ok" ? "A" : null, reference: "A", scores: status === "ok" ? { correct: 1 } : {},
    explanation: null, raw: null, thinking: null, finishReason: null, truncated: false,
    error: status === "ok" ? null : "boom", errorType: status === "ok" ? null : "ModelUnavailableError",
    latencyMs: 1, cached: false, promptTokens: null, completionTokens: null, groups: {}, messages: []
  })

const generation = (text: string) =>
  new Generation.Generation({
    text, thinking: null, finishReason: "stop", truncated: false, promptTokens: 1, completionTokens: 1, latencyMs: 1, modelDigest: null
  })

describe("WriteBehind", () => {
  it.scoped("writes a full queue at once, the rest on flush, in order, and never an empty group", () =>
    Effect.gen(function* () {
      const groups: Array<ReadonlyArray<number>> = []
      const w = yield* WriteBehind.make((items: ReadonlyArray<number>) => Effect.sync(() => void groups.push(items)), {
        maxItems: 3,
        maxDelay: "1 hour"
      })
      for (let i = 0; i < 7; i++) yield* w.add(i)
      assert.deepStrictEqual(groups, [[0, 1, 2], [3, 4, 5]])
      assert.deepStrictEqual(w.pending(), [6])
      yield* w.flush
      yield* w.flush
      assert.deepStrictEqual(groups, [[0, 1, 2], [3, 4, 5], [6]])
    }))

  it.effect("writes what is queued when its scope closes", () =>
    Effect.gen(function* () {
      const written: Array<number> = []
      const scope = yield* Scope.make()
      const w = yield* WriteBehind.make((items: ReadonlyArray<number>) => Effect.sync(() => void written.push(...items)), {
        maxItems: 100,
        maxDelay: "1 hour"
      }).pipe(Scope.extend(scope))
      yield* w.add(1)
      yield* w.add(2)
      assert.deepStrictEqual(written, [])
      yield* Scope.close(scope, Exit.void)
      assert.deepStrictEqual(written, [1, 2])
    }))

  it.scoped("a failed write keeps its items for the next one and fails the caller", () =>
    Effect.gen(function* () {
      let broken = true
      const written: Array<string> = []
      const w = yield* WriteBehind.make(
        (items: ReadonlyArray<string>) => (broken ? Effect.fail("disk full") : Effect.sync(() => void written.push(...items))),
        { maxItems: 2, maxDelay: "1 hour" }
      )
      yield* w.add("a")
      const failed = yield* Effect.either(w.add("b"))
      assert.isTrue(Either.isLeft(failed) && failed.left === "disk full")
      assert.deepStrictEqual(w.pending(), ["a", "b"])
      broken = false
      yield* w.flush
      assert.deepStrictEqual(written, ["a", "b"])
    }))
})

describe("RunStore group commit", () => {
  it.scoped("putMany stores many records at once, replacing earlier attempts, and tally counts them", () =>
    Effect.gen(function* () {
      const store = yield* RunStore.make(mkdtempSync(join(tmpdir(), "store-many-")))
      // More rows than one INSERT statement takes.
      const first = Array.from({ length: 1203 }, (_, i) => record(`s${i}`, i % 10 === 0 ? "error" : "ok", i))
      yield* store.putMany(first)
      assert.deepStrictEqual(yield* store.tally, { ok: 1082, error: 121 })
      yield* store.putMany([record("s0", "ok", 0), record("s10", "ok", 10)])
      assert.deepStrictEqual(yield* store.tally, { ok: 1084, error: 119 })
      const finished = yield* store.finished("m:a")
      assert.strictEqual(finished.size, 1084)
      assert.isTrue(finished.has("s0"))
      assert.strictEqual((yield* store.records).length, 1203)
    }))

  it.scoped("putMany refuses a record that does not fit the schema, writing none of the group", () =>
    Effect.gen(function* () {
      const store = yield* RunStore.make(mkdtempSync(join(tmpdir(), "store-bad-")))
      const bad = new SampleRecord.SampleRecord({ ...record("s1", "ok", 1), scores: { correct: "yes" as unknown as number } }, true)
      const exit = yield* Effect.exit(store.putMany([record("s0", "ok", 0), bad]))
      assert.isTrue(Exit.isFailure(exit))
      assert.deepStrictEqual(yield* store.tally, { ok: 0, error: 0 })
    }))
})

describe("ResponseCache group commit", () => {
  it.effect("serves an answer at once, and has written it to the file when its scope closes", () =>
    Effect.gen(function* () {
      const file = join(mkdtempSync(join(tmpdir(), "cache-")), "responses.sqlite")
      yield* Effect.scoped(
        Effect.gen(function* () {
          const cache = yield* ResponseCache.make(file)
          for (let i = 0; i < 300; i++) yield* cache.put(`k${i}`, "m:a", generation(`answer ${i}`))
          const got = yield* cache.get("k299")
          assert.strictEqual(Option.getOrThrow(got).text, "answer 299")
        })
      )
      yield* Effect.scoped(
        Effect.gen(function* () {
          const reopened = yield* ResponseCache.make(file)
          for (const i of [0, 255, 256, 299]) {
            assert.strictEqual(Option.getOrThrow(yield* reopened.get(`k${i}`)).text, `answer ${i}`)
          }
          assert.isTrue(Option.isNone(yield* reopened.get("k300")))
          yield* reopened.put("fresh", "m:a", generation("not written yet"))
          const many = yield* reopened.getMany(["k0", "k300", "fresh", "k299"])
          assert.deepStrictEqual(
            [...many.entries()].map(([k, g]) => `${k}=${g.text}`).sort(),
            ["fresh=not written yet", "k0=answer 0", "k299=answer 299"]
          )
        })
      )
    }))
})
