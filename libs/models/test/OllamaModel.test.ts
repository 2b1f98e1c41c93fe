import { ChatMessage, Generation, type GenerationOptions, type ModelError } from "@clinical-evals/core"
import { FakeOllama } from "@clinical-evals/fake-ollama"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Schedule, Schema } from "effect"
import type { ChatResponse } from "ollama"
import { OllamaModel } from "../src/index.js"

const DIGEST = "c".repeat(64)
const models: FakeOllama.Config["models"] = [{ name: "llama3:8b", digest: DIGEST }, { name: "qwen3:4b" }]
const rules: FakeOllama.Config["rules"] = [
  { match: "capital of France", reply: "Paris is the capital of France." },
  { match: "separate thinking", reply: "Answer: B", thinking: "Fever and cough point to pneumonia." },
  { match: "inline thinking", reply: "<think>\nThe rash is target-shaped.\n</think>\n\nAnswer: C" },
  { match: "long case", reply: "The differential diagnosis includes", doneReason: "length" }
]
const options: GenerationOptions.GenerationOptions = { temperature: 0, maxTokens: 256 }
const ask = (content: string) => [ChatMessage.system("You are a clinician."), ChatMessage.user(content)]

const serve = (extra: Partial<FakeOllama.Config> = {}) => FakeOllama.make({ models, rules, ...extra })
const modelAt = (server: FakeOllama.FakeOllamaServer, tag = "llama3:8b") => OllamaModel.make({ tag, host: server.url })

const waitFor = (condition: () => boolean) =>
  Effect.suspend(() => (condition() ? Effect.void : Effect.fail("not yet"))).pipe(
    Effect.retry({ times: 3000, schedule: Schedule.spaced("10 millis") }),
    Effect.orDie
  )

const finalOf = (extra: Record<string, unknown>) =>
  ({ model: "m", created_at: "2026-01-01T00:00:00Z", message: { role: "assistant", content: "" }, done: true, ...extra }) as unknown as ChatResponse

/** Runs one call against a server scripted with `sequence` on /api/chat, and returns the error. */
const failureOf = (sequence: FakeOllama.FaultScript["sequence"]) =>
  Effect.gen(function* () {
    const server = yield* serve({ faults: [{ paths: ["/api/chat"], sequence }] })
    const model = yield* modelAt(server)
    const error: ModelError.ModelError = yield* Effect.flip(model.generate(ask("capital of France"), options))
    return { error, server }
  })

describe("OllamaModel", () => {
  it.scopedLive("answers through the chat API with digest, token counts, durations and latency", () =>
    Effect.gen(function* () {
      const server = yield* serve()
      const model = yield* modelAt(server)
      const g = yield* model.generate(ask("What is the capital of France?"), options)
      assert.strictEqual(g.text, "Paris is the capital of France.")
      assert.isNull(g.thinking)
      assert.strictEqual(g.finishReason, "stop")
      assert.isFalse(g.truncated)
      assert.strictEqual(g.modelDigest, DIGEST)
      assert.strictEqual(g.promptTokens, 10)
      assert.strictEqual(g.completionTokens, 6)
      assert.strictEqual(g.durations?.evalMs, 6)
      assert.strictEqual(g.durations?.loadMs, 1)
      assert.strictEqual(g.durations?.promptEvalMs, 2)
      assert.isAbove(g.durations?.totalMs ?? 0, 8)
      assert.isAtLeast(g.latencyMs, 0)
      const info = yield* model.info
      assert.deepInclude(info, { spec: "ollama:llama3:8b", provider: "ollama", model: "llama3:8b", digest: DIGEST, host: server.url })
      assert.strictEqual(model.cacheable, true)
    }))

  it.scopedLive("streams the answer, and passes temperature, seed, num_predict, num_ctx, keep_alive and format through", () =>
    Effect.gen(function* () {
      const server = yield* serve()
      const model = yield* modelAt(server)
      yield* model.generate(ask("capital of France"), {
        temperature: 0.7,
        seed: 42,
        maxTokens: 64,
        numCtx: 8192,
        keepAlive: "10m",
        format: { type: "object", properties: { answer: { type: "string" } } }
      })
      const chat = server.requests().filter((r) => r.path === "/api/chat")
      assert.strictEqual(chat.length, 1)
      const body = chat[0]!.body
      assert.strictEqual(chat[0]!.stream, true)
      assert.deepStrictEqual(body["options"], { temperature: 0.7, num_predict: 64, seed: 42, num_ctx: 8192 })
      assert.strictEqual(body["keep_alive"], "10m")
      assert.deepStrictEqual(body["format"], { type: "object", properties: { answer: { type: "string" } } })
      assert.deepStrictEqual(body["messages"], [
        { role: "system", content: "You are a clinician." },
        { role: "user", content: "capital of France" }
      ])
    }))

  it.scopedLive("keeps a separate thinking field and <think> blocks apart from the answer", () =>
    Effect.gen(function* () {
      const server = yield* serve()
      const model = yield* modelAt(server, "qwen3:4b")
      const separate = yield* model.generate(ask("separate thinking"), options)
      assert.strictEqual(separate.text, "Answer: B")
      assert.strictEqual(separate.thinking, "Fever and cough point to pneumonia.")
      const inline = yield* model.generate(ask("inline thinking"), options)
      assert.strictEqual(inline.text, "Answer: C")
      assert.strictEqual(inline.thinking, "The rash is target-shaped.")
      assert.strictEqual(inline.modelDigest, FakeOllama.defaultDigest("qwen3:4b"))
    }))

  it.scopedLive("flags an answer cut off at the token limit (done_reason length)", () =>
    Effect.gen(function* () {
      const server = yield* serve()
      const model = yield* modelAt(server)
      const g = yield* model.generate(ask("a long case"), options)
      assert.strictEqual(g.finishReason, "length")
      assert.isTrue(g.truncated)
      assert.strictEqual(g.text, "The differential diagnosis includes")
    }))

  it.scopedLive("maps 500, 503 and 429 to ModelUnavailableError with the status", () =>
    Effect.gen(function* () {
      for (const [kind, status] of [["http500", 500], ["http503", 503], ["http429", 429]] as const) {
        const { error } = yield* failureOf([kind])
        assert.strictEqual(error._tag, "ModelUnavailableError")
        assert.strictEqual((error as ModelError.ModelUnavailableError).status, status)
      }
    }))

  it.scopedLive("maps another 4xx to ModelRequestError", () =>
    Effect.gen(function* () {
      const { error } = yield* failureOf(["http400"])
      assert.strictEqual(error._tag, "ModelRequestError")
      assert.strictEqual((error as ModelError.ModelRequestError).status, 400)
    }))

  it.scopedLive("maps a 404 from chat to ModelNotFoundError telling to run ollama pull", () =>
    Effect.gen(function* () {
      const { error, server } = yield* failureOf(["notFound"])
      assert.strictEqual(error._tag, "ModelNotFoundError")
      assert.include(error.message, "run `ollama pull llama3:8b`")
      assert.include(error.message, server.url)
    }))

  it.scopedLive("a model that is not pulled: info and generate fail with ModelNotFoundError, no chat sent", () =>
    Effect.gen(function* () {
      const server = yield* serve()
      const model = yield* OllamaModel.make({ tag: "llama3:70b", host: server.url })
      const info = yield* Effect.flip(model.info)
      assert.strictEqual(info._tag, "ModelNotFoundError")
      assert.include(info.message, "`ollama pull llama3:70b`")
      assert.include(info.message, server.url)
      const gen = yield* Effect.flip(model.generate(ask("hi"), options))
      assert.strictEqual(gen._tag, "ModelNotFoundError")
      assert.strictEqual(server.stats().byPath["/api/chat"], undefined)
      assert.isAtLeast(server.stats().byPath["/api/show"] ?? 0, 1)
    }))

  it.scopedLive("maps a dropped connection, before or during the answer, to ModelUnavailableError without status", () =>
    Effect.gen(function* () {
      for (const kind of ["drop", "dropMidStream"] as const) {
        const { error } = yield* failureOf([kind])
        assert.strictEqual(error._tag, "ModelUnavailableError", kind)
        assert.isNull((error as ModelError.ModelUnavailableError).status)
      }
    }))

  it.scopedLive("maps an error line mid-stream and malformed JSON to ModelResponseError", () =>
    Effect.gen(function* () {
      const mid = yield* failureOf(["errorMidStream"])
      assert.strictEqual(mid.error._tag, "ModelResponseError")
      assert.include(mid.error.message, "fake-ollama injected an error")
      const malformed = yield* failureOf(["malformedJson"])
      assert.strictEqual(malformed.error._tag, "ModelResponseError")
      assert.include(malformed.error.message, "ended before its final message")
    }))

  it.live("maps connection refused to ModelUnavailableError naming the host", () =>
    Effect.gen(function* () {
      const server = yield* Effect.promise(() => FakeOllama.start({ models }))
      const host = server.url
      yield* Effect.promise(() => server.close())
      const model = yield* OllamaModel.make({ tag: "llama3:8b", host })
      const error = yield* Effect.flip(model.generate(ask("hi"), options))
      assert.strictEqual(error._tag, "ModelUnavailableError")
      assert.isNull((error as ModelError.ModelUnavailableError).status)
      assert.include(error.message, "ECONNREFUSED")
      assert.include(error.message, host)
    }))

  it.live("a host the client cannot parse fails each call with a ModelError, not a defect", () =>
    Effect.gen(function* () {
      const model = yield* OllamaModel.make({ tag: "llama3:8b", host: "http://[not-a-host" })
      const info = yield* Effect.flip(model.info)
      assert.strictEqual(info._tag, "ModelUnavailableError")
      assert.include(info.message, "http://[not-a-host")
      const gen = yield* Effect.flip(model.generate(ask("hi"), options))
      assert.strictEqual(gen._tag, "ModelUnavailableError")
    }))

  it.scopedLive("finds the digest through /api/show when /api/tags fails, and remembers it", () =>
    Effect.gen(function* () {
      const server = yield* serve({ faults: [{ paths: ["/api/tags"], sequence: ["http500"] }] })
      const model = yield* modelAt(server)
      const info = yield* model.info
      assert.strictEqual(info.digest, DIGEST)
      yield* model.generate(ask("hi"), options)
      yield* model.generate(ask("hi"), options)
      assert.strictEqual(server.stats().byPath["/api/tags"], 1)
      assert.strictEqual(server.stats().byPath["/api/show"], 1)
      assert.strictEqual(server.stats().byPath["/api/chat"], 2)
    }))

  it.scopedLive("matches the tag the way Ollama does: `llama3` is `llama3:latest`", () =>
    Effect.gen(function* () {
      const server = yield* FakeOllama.make({ models: [{ name: "llama3:latest", digest: DIGEST }] })
      const model = yield* OllamaModel.make({ tag: "Llama3", host: server.url })
      assert.strictEqual((yield* model.info).digest, DIGEST)
      assert.strictEqual(server.stats().byPath["/api/show"], undefined)
    }))

  describe("interrupting a call (a timeout) aborts its request, and only its request", () => {
    it.scopedLive("while it waits for the answer's headers: the server sees the socket close; the next call works", () =>
      Effect.gen(function* () {
        const server = yield* serve({ faults: [{ paths: ["/api/chat"], sequence: ["stall"] }] })
        const model = yield* modelAt(server)
        yield* model.info
        const stalled = yield* Effect.fork(model.generate(ask("capital of France"), options))
        yield* waitFor(() => server.stats().inFlight === 1)
        yield* Fiber.interrupt(stalled)
        yield* waitFor(() => server.stats().clientAborts === 1)
        assert.strictEqual(server.stats().inFlight, 0)
        const g = yield* model.generate(ask("capital of France"), options)
        assert.strictEqual(g.text, "Paris is the capital of France.")
        assert.strictEqual(server.stats().byPath["/api/chat"], 2)
        assert.strictEqual(server.stats().clientAborts, 1)
      }))

    it.scopedLive("while the answer streams in: the connection is closed before the answer ends", () =>
      Effect.gen(function* () {
        const server = yield* serve({ rules: [{ reply: "one two three four five six seven eight nine ten" }], chunkDelayMs: 100 })
        const model = yield* modelAt(server)
        yield* model.info
        const slow = yield* Effect.fork(model.generate(ask("anything"), options))
        yield* waitFor(() => server.stats().inFlight === 1)
        yield* Effect.sleep("250 millis")
        yield* Fiber.interrupt(slow)
        yield* waitFor(() => server.stats().clientAborts === 1)
        assert.strictEqual(server.stats().inFlight, 0)
      }))

    it.scopedLive("two calls at once, one interrupted: the other, still streaming, completes with its own answer", () =>
      Effect.gen(function* () {
        const server = yield* serve({ faults: [{ paths: ["/api/chat"], match: "stall here", sequence: ["stall"] }], chunkDelayMs: 60 })
        const model = yield* modelAt(server)
        yield* model.info
        const stalled = yield* Effect.fork(model.generate(ask("stall here"), options))
        const other = yield* Effect.fork(model.generate(ask("capital of France"), options))
        yield* waitFor(() => server.stats().inFlight === 2)
        yield* Fiber.interrupt(stalled)
        yield* waitFor(() => server.stats().clientAborts === 1)
        assert.strictEqual(server.stats().inFlight, 1)
        const g = yield* Fiber.join(other)
        assert.strictEqual(g.text, "Paris is the capital of France.")
        assert.strictEqual(server.stats().clientAborts, 1)
        assert.strictEqual(server.stats().inFlight, 0)
      }))
  })

  describe("toGeneration", () => {
    const decodeAgain = (g: Generation.Generation) => Schema.decodeUnknownSync(Generation.Generation)(Schema.encodeSync(Generation.Generation)(g))

    it("builds a Generation its schema accepts, with every field as a validated one would have", () => {
      const full = OllamaModel.toGeneration(
        {
          content: "<think>Target-shaped rash.</think>\nAnswer: C",
          thinking: " Erythema migrans. ",
          final: finalOf({ done_reason: "length", prompt_eval_count: 12, eval_count: 7, total_duration: 9e6, eval_duration: 6e6 })
        },
        12.5,
        "d".repeat(64)
      )
      assert.deepStrictEqual(decodeAgain(full), full)
      assert.strictEqual(full.text, "Answer: C")
      assert.strictEqual(full.thinking, "Erythema migrans.\nTarget-shaped rash.")
      assert.isTrue(full.truncated)
      assert.deepStrictEqual(full.durations, { totalMs: 9, evalMs: 6 })
      assert.strictEqual(full.promptTokens, 12)
      const bare = OllamaModel.toGeneration({ content: "Answer: A", thinking: "", final: finalOf({}) }, 3, null)
      assert.deepStrictEqual(decodeAgain(bare), bare)
      assert.isFalse("durations" in bare)
      assert.isNull(bare.thinking)
      assert.isNull(bare.promptTokens)
      assert.strictEqual(bare.finishReason, "stop")
    })

    it("reads what the server sent defensively: a done_reason or counts of the wrong type never reach the Generation", () => {
      const odd = OllamaModel.toGeneration(
        { content: "Answer: B", thinking: "", final: finalOf({ done_reason: 5, prompt_eval_count: "12", eval_count: 1.5, load_duration: "1" }) },
        1,
        null
      )
      assert.deepStrictEqual(decodeAgain(odd), odd)
      assert.strictEqual(odd.finishReason, "stop")
      assert.isNull(odd.promptTokens)
      assert.isNull(odd.completionTokens)
      assert.isFalse("durations" in odd)
    })
  })
})
