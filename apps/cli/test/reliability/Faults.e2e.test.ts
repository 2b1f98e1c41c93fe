/**
 * Faults, end to end: 500 samples through the real bin while the fake Ollama server fails 20% of calls
 * at random (HTTP 500 and 503, dropped connections, stalls past the timeout, an error line mid-stream,
 * malformed JSON). Nothing is lost, nothing is duplicated, retried calls give the right answers, failed
 * samples carry their error, and running the same command again retries only those.
 */
import { FakeOllama } from "@clinical-evals/fake-ollama"
import { CliHarness } from "@clinical-evals/cli-harness"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { join } from "node:path"
import { run } from "./BinProcess.js"
import * as SyntheticCases from "./SyntheticCases.js"

const { readJson, readLines, workdir } = CliHarness

const N = 500

describe("faults: 20% of calls fail at random", () => {
  it.live(
    "a 500-sample run completes; every sample once; failures carry their error; the next run retries only those",
    () =>
      Effect.gen(function* () {
        const fake = yield* FakeOllama.make({
          models: [{ name: "llama3:8b" }],
          defaultReply: SyntheticCases.rightAnswer,
          randomFaults: {
            seed: 20261125,
            rate: 0.2,
            kinds: ["http500", "http503", "drop", "dropMidStream", "stall", "errorMidStream", "malformedJson"]
          }
        })
        const cwd = workdir()
        SyntheticCases.write(join(cwd, "cases.jsonl"), N)
        // One retry only, so that some samples (about 4%) still fail and the next run has work to do.
        const args = [
          "case-challenge", "--dataset", "cases.jsonl", "--model", "ollama:llama3:8b", "--ollama-host", fake.url,
          "--out", "run", "--concurrency", "8", "--timeout", "1", "--first-call-timeout", "1", "--retries", "1"
        ]
        const samplesFile = join(cwd, "run", "samples.jsonl")
        let failedBefore = new Set<string>()
        let seenRequests = 0
        for (let attempt = 0; attempt < 8; attempt++) {
          const r = yield* Effect.promise(() => run(args, cwd))
          const lines = readLines(samplesFile)
          // Every sample exactly once, in dataset order.
          assert.deepStrictEqual(lines.map((l) => l.id), Array.from({ length: N }, (_, i) => SyntheticCases.idOf(i)))
          // Retried or not, every finished answer is the scripted (right) one.
          for (const l of lines.filter((x) => x.status === "ok")) {
            assert.strictEqual(l.prediction, SyntheticCases.answerOf(Number(l.id.slice(8))), l.id)
            assert.strictEqual(l.scores.correct, 1)
          }
          const failed = lines.filter((l) => l.status === "error")
          for (const l of failed) {
            assert.isString(l.error)
            assert.include(["ModelUnavailableError", "ModelTimeoutError", "ModelResponseError"], l.errorType)
            assert.isNull(l.prediction)
          }
          // This run asked only for what had not finished before.
          const asked = fake.requests().slice(seenRequests).filter((q) => q.path === "/api/chat")
          seenRequests = fake.requests().length
          const askedIds = new Set(asked.map((q) => SyntheticCases.idOf(SyntheticCases.caseOf(q.prompt)!)))
          if (attempt > 0) {
            for (const id of askedIds) assert.isTrue(failedBefore.has(id), `${id} was finished and asked again`)
            for (const id of failedBefore) assert.isTrue(askedIds.has(id), `${id} had failed and was not retried`)
          } else {
            assert.strictEqual(askedIds.size, N)
          }
          const summary = readJson(join(cwd, "run", "summary.json")).models["ollama:llama3:8b"]
          assert.strictEqual(summary.n, N)
          assert.strictEqual(summary.counts.error, failed.length)
          if (failed.length === 0) {
            assert.strictEqual(r.code, 0, r.stderr)
            assert.isAbove(attempt, 0, "with one retry at a 20% fault rate, some samples should fail the first time")
            assert.strictEqual(summary.metrics.accuracy.value, 1)
            const stats = fake.stats()
            for (const kind of ["http500", "http503", "stall", "malformedJson"] as const) {
              assert.isAbove(stats.faults[kind] ?? 0, 0, `${kind} was injected`)
            }
            return
          }
          assert.strictEqual(r.code, 1, r.stderr)
          assert.include(r.stderr, "Run the same command again to retry only those")
          failedBefore = new Set(failed.map((l) => l.id))
        }
        assert.fail("the run never completed in 8 attempts")
      }).pipe(Effect.scoped),
    300_000
  )
})
