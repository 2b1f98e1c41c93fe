import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer } from "effect"
import { createHash } from "node:crypto"
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import {
  ChatMessage,
  EvalError,
  FewShot,
  Generation,
  LanguageModel,
  ModelError,
  Progress,
  ResponseCache,
  Runner,
  Score,
  type Task
} from "../src/index.js"

// A toy task: "what is X + Y?", answer parsed as the first integer in the reply.
interface Sum {
  readonly id: string
  readonly a: number
  readonly b: number
}
const data: ReadonlyArray<Sum> = Array.from({ length: 12 }, (_, i) => ({ id: `s${i}`, a: i, b: 2 * i }))
const datasetFile = join(mkdtempSync(join(tmpdir(), "sums-")), "sums.jsonl")
writeFileSync(datasetFile, data.map((d) => JSON.stringify(d)).join("\n"))

const SumTask: Task.Task<Sum> = {
  name: "sum",
  description: "adds two numbers",
  defaultDataset: datasetFile,
  defaultShotsFile: null,
  load: (path) => Effect.succeed({ path, format: "inline", samples: data, skipped: [] }),
  prompt: (s) => Effect.succeed([ChatMessage.user(`What is ${s.a} + ${s.b}?`)]),
  parse: (_s, g) =>
    Effect.succeed(
      /-?\d+/.test(g.text)
        ? new Score.ParsedAnswer({ status: "ok", answer: g.text.match(/-?\d+/)![0], explanation: "first integer" })
        : new Score.ParsedAnswer({ status: "unparsed", answer: null, explanation: "no integer" })
    ),
  score: (s, p) =>
    Effect.succeed({
      correct: new Score.Score({
        value: p.answer === String(s.a + s.b) ? 1 : 0,
        answer: p.answer,
        parseStatus: p.status,
        explanation: ""
      })
    }),
  reference: (s) => String(s.a + s.b),
  groups: (s) => ({ parity: s.a % 2 === 0 ? "even" : "odd" }),
  aggregate: (records) =>
    Effect.succeed({
      metrics: {
        accuracy: {
          value: records.filter((r) => r.scores["correct"] === 1).length / Math.max(1, records.length),
          ci95: null
        }
      },
      groups: {}
    })
}

/** A scripted model: answers right (or wrong for chosen ids), fails for chosen ids, counts its calls. */
const scripted = (options: { wrong?: ReadonlySet<string>; failing?: ReadonlySet<string>; digest?: string } = {}) => {
  const calls: Array<string> = []
  const model: LanguageModel.LanguageModelShape = {
    spec: "scripted:adder",
    provider: "scripted",
    model: "adder",
    cacheable: true,
    info: Effect.succeed({
      spec: "scripted:adder",
      provider: "scripted",
      model: "adder",
      digest: options.digest ?? "d1",
      host: null,
      details: {}
    }),
    generate: (messages) =>
      Effect.suspend(() => {
        const text = messages[messages.length - 1]!.content
        const [, a, b] = text.match(/(\d+) \+ (\d+)/)!
        const id = `s${a}`
        calls.push(id)
        if (options.failing?.has(id)) {
          return Effect.fail(new ModelError.ModelUnavailableError({ host: "h", status: 503, message: "busy" }))
        }
        const sum = Number(a) + Number(b) + (options.wrong?.has(id) ? 1 : 0)
        return Effect.succeed(
          new Generation.Generation({
            text: `The sum is ${sum}.`,
            thinking: null,
            finishReason: "stop",
            truncated: false,
            promptTokens: 10,
            completionTokens: 4,
            latencyMs: 5,
            modelDigest: "d1"
          })
        )
      })
  }
  const layer = Layer.succeed(LanguageModel.ModelResolver, {
    resolve: (spec) =>
      spec === model.spec
        ? Effect.succeed(model)
        : Effect.fail(new ModelError.ModelSpecError({ spec, message: "unknown" }))
  })
  return { calls, layer }
}

const config = (out: string, over: Partial<Runner.RunConfig> = {}): Runner.RunConfig => ({
  task: SumTask,
  evaluator: "sum",
  dataset: null,
  models: ["scripted:adder"],
  out,
  limit: null,
  concurrency: 4,
  seed: 1,
  shots: 0,
  shotsFile: null,
  temperature: 0,
  maxTokens: 16,
  numCtx: null,
  keepAlive: null,
  onBadInput: "fail",
  useCache: true,
  command: ["test"],
  options: {},
  tool: { name: "clinical-evals", version: "0.0.0-test", gitCommit: null },
  ...over
})

const outDir = () => join(mkdtempSync(join(tmpdir(), "runner-")), "run")
const env = (
  model: Layer.Layer<LanguageModel.ModelResolver>,
  cache: Layer.Layer<ResponseCache.ResponseCache, EvalError.StoreError> = ResponseCache.layerMemory
) =>
  Layer.mergeAll(model, cache, Progress.layerSilent, NodeFileSystem.layer)

describe("Runner", () => {
  it.live("evaluates every sample and writes the output contract", () =>
    Effect.gen(function* () {
      const out = outDir()
      const m = scripted({ wrong: new Set(["s3"]) })
      const result = yield* Runner.run(config(out)).pipe(Effect.provide(env(m.layer)))
      assert.strictEqual(m.calls.length, 12)
      assert.strictEqual(result.failed, 0)
      const lines = readFileSync(join(out, "samples.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l))
      assert.deepStrictEqual(lines.map((l) => l.id), data.map((d) => d.id))
      const s3 = lines.find((l) => l.id === "s3")
      assert.strictEqual(s3.scores.correct, 0)
      assert.strictEqual(s3.prediction, "10")
      assert.strictEqual(s3.reference, "9")
      for (const key of ["id", "model", "status", "parse_status", "prediction", "reference", "scores", "raw", "error", "latencyMs", "cached", "promptTokens", "completionTokens"]) {
        assert.property(s3, key)
      }
      const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"))
      assert.strictEqual(summary.models["scripted:adder"].n, 12)
      assert.closeTo(summary.models["scripted:adder"].metrics.accuracy.value, 11 / 12, 1e-12)
      assert.isTrue(summary.complete)
      const manifest = JSON.parse(readFileSync(join(out, "run.json"), "utf8"))
      assert.strictEqual(manifest.counts.ok, 12)
      assert.strictEqual(manifest.models[0].digest, "d1")
      assert.match(manifest.dataset.sha256, /^[0-9a-f]{64}$/)
      assert.isFalse(manifest.interrupted)
    }))

  it.live("run.json's dataset sha256 is the file's, read a chunk at a time (a file of several chunks)", () =>
    Effect.gen(function* () {
      // The toy task ignores the file's text, so any bytes do: 1 MB, sixteen of the stream's chunks.
      const big = join(mkdtempSync(join(tmpdir(), "sums-big-")), "sums.jsonl")
      const bytes = Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => (i * 7919) % 251))
      writeFileSync(big, bytes)
      const out = outDir()
      yield* Runner.run(config(out, { dataset: big })).pipe(Effect.provide(env(scripted({}).layer)))
      const manifest = JSON.parse(readFileSync(join(out, "run.json"), "utf8"))
      assert.strictEqual(manifest.dataset.sha256, createHash("sha256").update(bytes).digest("hex"))
    }))

  it.live("resumes: a second run computes nothing, and retries only the samples that failed", () =>
    Effect.gen(function* () {
      const out = outDir()
      const first = scripted({ failing: new Set(["s2", "s7"]) })
      const r1 = yield* Runner.run(config(out, { useCache: false })).pipe(Effect.provide(env(first.layer)))
      assert.strictEqual(r1.failed, 2)
      const failedLine = readFileSync(join(out, "samples.jsonl"), "utf8").split("\n").find((l) => l.includes('"s2"'))!
      assert.include(JSON.parse(failedLine).error, "busy")
      assert.strictEqual(JSON.parse(failedLine).status, "error")
      const second = scripted()
      const r2 = yield* Runner.run(config(out, { useCache: false })).pipe(Effect.provide(env(second.layer)))
      assert.deepStrictEqual([...second.calls].sort(), ["s2", "s7"])
      assert.strictEqual(r2.failed, 0)
      assert.strictEqual(r2.manifest.counts.resumed, 10)
      const ids = readFileSync(join(out, "samples.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l).id)
      assert.strictEqual(ids.length, 12)
      assert.strictEqual(new Set(ids).size, 12)
      const third = scripted()
      yield* Runner.run(config(out, { useCache: false })).pipe(Effect.provide(env(third.layer)))
      assert.strictEqual(third.calls.length, 0)
    }))

  it.live("serves repeated calls from the shared cache, whatever the output folder", () =>
    Effect.gen(function* () {
      const cacheFile = join(mkdtempSync(join(tmpdir(), "cache-")), "responses.sqlite")
      const first = scripted()
      yield* Runner.run(config(outDir())).pipe(Effect.provide(env(first.layer, ResponseCache.layer(cacheFile))))
      assert.strictEqual(first.calls.length, 12)
      const second = scripted()
      const r = yield* Runner.run(config(outDir())).pipe(Effect.provide(env(second.layer, ResponseCache.layer(cacheFile))))
      assert.strictEqual(second.calls.length, 0)
      assert.isTrue(r.records.every((x) => x.cached))
      assert.strictEqual(r.manifest.counts.cached, 12)
      // Other decoding options are another call: not served from the cache...
      const third = scripted()
      yield* Runner.run(config(outDir(), { temperature: 0.7 })).pipe(Effect.provide(env(third.layer, ResponseCache.layer(cacheFile))))
      assert.strictEqual(third.calls.length, 12)
      // ...but with a fixed seed a sampled call is reproducible, so the same call again is.
      const fourth = scripted()
      yield* Runner.run(config(outDir(), { temperature: 0.7 })).pipe(Effect.provide(env(fourth.layer, ResponseCache.layer(cacheFile))))
      assert.strictEqual(fourth.calls.length, 0)
      // --no-cache bypasses it.
      const fifth = scripted()
      yield* Runner.run(config(outDir(), { useCache: false })).pipe(Effect.provide(env(fifth.layer, ResponseCache.layer(cacheFile))))
      assert.strictEqual(fifth.calls.length, 12)
    }))

  it.live("refuses to resume a folder with other settings", () =>
    Effect.gen(function* () {
      const out = outDir()
      yield* Runner.run(config(out)).pipe(Effect.provide(env(scripted().layer)))
      const error = yield* Effect.flip(Runner.run(config(out, { seed: 2 })).pipe(Effect.provide(env(scripted().layer))))
      assert.strictEqual(error._tag, "UsageError")
      assert.include((error as EvalError.UsageError).message, "seed: 1 before, 2 now")
    }))

  it.live("stops at once on a model that is not there, before any sample", () =>
    Effect.gen(function* () {
      const out = outDir()
      const m = scripted()
      const error = yield* Effect.flip(
        Runner.run(config(out, { models: ["scripted:adder", "scripted:nope"] })).pipe(Effect.provide(env(m.layer)))
      )
      assert.strictEqual(error._tag, "ModelSpecError")
      assert.strictEqual(m.calls.length, 0)
    }))

  it.live("an interrupted run keeps what finished, writes its files, and resumes from there", () =>
    Effect.gen(function* () {
      const out = outDir()
      const gate = yield* Deferred.make<void>()
      const started: Array<string> = []
      const slow = scripted()
      const blocking = Layer.succeed(LanguageModel.ModelResolver, {
        resolve: (spec) =>
          Effect.gen(function* () {
            const resolver = yield* LanguageModel.ModelResolver
            const inner = yield* resolver.resolve(spec)
            return {
              ...inner,
              generate: (messages: ReadonlyArray<ChatMessage.ChatMessage>, options: Parameters<typeof inner.generate>[1]) =>
                Effect.gen(function* () {
                  started.push(messages[0]!.content)
                  if (started.length > 5) {
                    yield* Deferred.succeed(gate, undefined)
                    return yield* Effect.never
                  }
                  return yield* inner.generate(messages, options)
                })
            }
          }).pipe(Effect.provide(slow.layer))
      })
      const fiber = yield* Effect.fork(
        Runner.run(config(out, { concurrency: 1, useCache: false })).pipe(Effect.provide(env(blocking)))
      )
      yield* Deferred.await(gate)
      yield* Fiber.interrupt(fiber)
      const manifest = JSON.parse(readFileSync(join(out, "run.json"), "utf8"))
      assert.isTrue(manifest.interrupted)
      assert.strictEqual(readFileSync(join(out, "samples.jsonl"), "utf8").trim().split("\n").length, 5)
      const resumed = scripted()
      const r = yield* Runner.run(config(out, { useCache: false })).pipe(Effect.provide(env(resumed.layer)))
      assert.strictEqual(resumed.calls.length, 7)
      assert.strictEqual(r.records.length, 12)
      assert.isFalse(r.manifest.interrupted)
    }))

  it.live("per-sample generation options reach the model and enter the cache key; prompt and score details reach the record", () =>
    Effect.gen(function* () {
      const seen: Array<unknown> = []
      const m = scripted()
      const spying = Layer.succeed(LanguageModel.ModelResolver, {
        resolve: (spec) =>
          Effect.gen(function* () {
            const inner = yield* (yield* LanguageModel.ModelResolver).resolve(spec)
            return {
              ...inner,
              generate: (messages: ReadonlyArray<ChatMessage.ChatMessage>, options: Parameters<typeof inner.generate>[1]) => {
                seen.push(options.format)
                return inner.generate(messages, options)
              }
            }
          }).pipe(Effect.provide(m.layer))
      })
      const detailed: Task.Task<Sum> = {
        ...SumTask,
        prompt: (s) =>
          Effect.succeed({
            messages: [ChatMessage.user(`What is ${s.a} + ${s.b}?`)],
            details: { left_out: [`doc-${s.a}`] },
            options: { format: "json" }
          }),
        score: (s, p) =>
          SumTask.score(s, p).pipe(
            Effect.map((scores) => ({
              correct: new Score.Score({ ...scores["correct"]!, details: { checked: [p.answer] } })
            }))
          )
      }
      const cacheFile = join(mkdtempSync(join(tmpdir(), "cache-")), "responses.sqlite")
      const r = yield* Runner.run(config(outDir(), { task: detailed, limit: 2 })).pipe(
        Effect.provide(env(spying, ResponseCache.layer(cacheFile)))
      )
      assert.deepStrictEqual(seen, ["json", "json"])
      assert.deepStrictEqual(r.records[0]!.details, { left_out: ["doc-0"], correct: { checked: ["0"] } })
      // The same calls without the per-sample format are other calls: not answered from the cache.
      const plain = scripted()
      yield* Runner.run(config(outDir(), { limit: 2 })).pipe(Effect.provide(env(plain.layer, ResponseCache.layer(cacheFile))))
      assert.strictEqual(plain.calls.length, 2)
      // ...while the same per-sample options again are.
      const again = scripted()
      yield* Runner.run(config(outDir(), { task: detailed, limit: 2 })).pipe(Effect.provide(env(again.layer, ResponseCache.layer(cacheFile))))
      assert.strictEqual(again.calls.length, 0)
    }))

  it("makeConfig fills in the CLI's defaults and keeps what the caller gives", () => {
    const c = Runner.makeConfig({ task: SumTask, models: ["scripted:adder"], out: "o" }, { limit: 3, useCache: false })
    assert.deepStrictEqual(
      [c.evaluator, c.dataset, c.seed, c.temperature, c.shots, c.maxTokens, c.concurrency, c.limit, c.useCache, c.onBadInput],
      ["sum", null, 1234, 0, 0, 512, 4, 3, false, "fail"]
    )
  })

  it("few-shot choice depends only on seed and sample id, never the sample itself", () => {
    const pool = data
    const a = FewShot.select(pool, 3, 7, "s4")
    assert.deepStrictEqual(FewShot.select(pool, 3, 7, "s4"), a)
    assert.strictEqual(a.length, 3)
    assert.isFalse(a.some((s) => s.id === "s4"))
    assert.strictEqual(new Set(a.map((s) => s.id)).size, 3)
    assert.notDeepEqual(FewShot.select(pool, 3, 8, "s4").map((s) => s.id), a.map((s) => s.id))
  })
})

describe("Runner with a streaming task (Task.scan)", () => {
  const many: ReadonlyArray<Sum> = Array.from({ length: 300 }, (_, i) => ({ id: `s${i}`, a: i, b: 2 * i }))
  /** SumTask reading `many` a record at a time, counting what it handed over; a bad record where asked. */
  const streaming = (badAt: number | null = null) => {
    const seen = { handed: 0, passes: 0 }
    const task: Task.Task<Sum> = {
      ...SumTask,
      load: () => Effect.die("a streaming task is never loaded whole"),
      scan: (path, options, onSample) =>
        Effect.gen(function* () {
          seen.passes++
          const skipped: Array<Task.SkippedRecord> = []
          let position = 0
          for (const [i, s] of many.entries()) {
            if (i === badAt) {
              const error = new EvalError.DatasetError({ file: path, line: i + 1, field: "a", message: "Expected number" })
              if (options.onBadInput === "fail") return yield* error
              skipped.push({ error })
              continue
            }
            seen.handed++
            yield* onSample(s, position++, i + 1)
          }
          return { path, format: "sums-jsonl", samples: position, skipped }
        })
    }
    return { task, seen }
  }

  it.live("holds only the samples in flight: the reader never runs more than a short queue ahead of the model", () =>
    Effect.gen(function* () {
      const out = outDir()
      const { task, seen } = streaming()
      const m = scripted()
      let ahead = 0
      const watched = Layer.succeed(LanguageModel.ModelResolver, {
        resolve: (spec) =>
          Effect.map(Effect.flatMap(LanguageModel.ModelResolver, (r) => r.resolve(spec)), (model): LanguageModel.LanguageModelShape => ({
            ...model,
            generate: (messages, options) =>
              Effect.suspend(() => {
                // Samples read in the evaluation pass (after the first, checking pass) and not yet answered.
                ahead = Math.max(ahead, seen.handed - many.length - m.calls.length)
                return Effect.zipLeft(model.generate(messages, options), Effect.sleep("1 millis"))
              })
          })).pipe(Effect.provide(m.layer))
      })
      const result = yield* Runner.run(config(out, { task, concurrency: 3 })).pipe(Effect.provide(env(watched)))
      assert.strictEqual(result.manifest.counts.ok, 300)
      assert.strictEqual(result.manifest.dataset.format, "sums-jsonl")
      assert.strictEqual(seen.passes, 2)
      // A batch of 32 being prepared, a queue of 6 and 3 workers: at most 42 samples between the reader
      // and the answers, of 300.
      assert.isAtMost(ahead, 42)
      assert.isAtLeast(ahead, 1)
      const lines = readFileSync(join(out, "samples.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l))
      assert.deepStrictEqual(lines.map((l) => l.index), many.map((_, i) => i))
    }))

  it.live("--limit stops the evaluation pass early; a resumed run with everything finished reads the file once", () =>
    Effect.gen(function* () {
      const out = outDir()
      const { task, seen } = streaming()
      const m = scripted()
      const first = yield* Runner.run(config(out, { task, limit: 20 })).pipe(Effect.provide(env(m.layer)))
      assert.strictEqual(first.manifest.counts.ok, 20)
      assert.strictEqual(m.calls.length, 20)
      assert.isAtMost(seen.handed, 300 + 21)
      const again = yield* Runner.run(config(out, { task, limit: 20 })).pipe(Effect.provide(env(m.layer)))
      assert.strictEqual(again.manifest.counts.resumed, 20)
      assert.strictEqual(m.calls.length, 20)
      assert.strictEqual(seen.passes, 3)
    }))

  it.live("a bad record stops the run before anything is written; with skip it is reported and left out", () =>
    Effect.gen(function* () {
      const out = outDir()
      const { task } = streaming(7)
      const m = scripted()
      const failed = yield* Effect.flip(Runner.run(config(out, { task })).pipe(Effect.provide(env(m.layer))))
      assert.strictEqual(failed._tag, "DatasetError")
      assert.strictEqual(m.calls.length, 0)
      assert.isFalse(existsSync(out))
      const skipped = yield* Runner.run(config(out, { task, onBadInput: "skip" })).pipe(Effect.provide(env(m.layer)))
      assert.strictEqual(skipped.manifest.dataset.skipped, 1)
      assert.strictEqual(skipped.manifest.counts.ok, 299)
      assert.isFalse(skipped.records.some((r) => r.id === "s7"))
    }))
})
