/**
 * Interruptions, end to end: Ctrl-C cancels the calls in flight and leaves a consistent store; SIGKILL
 * at random moments, ten times over, then a final run gives the same results as a run never
 * interrupted, with no duplicates and an intact database.
 */
import { RunStore } from "@clinical-evals/core"
import { FakeOllama } from "@clinical-evals/fake-ollama"
import { CliHarness } from "@clinical-evals/cli-harness"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { join } from "node:path"
import { run, start } from "./BinProcess.js"
import * as SyntheticCases from "./SyntheticCases.js"

const { readJson, readLines, waitUntil, workdir } = CliHarness

const N = 120

const chatCalls = (fake: FakeOllama.FakeOllamaServer) => fake.stats().byPath["/api/chat"] ?? 0

const server = (latencyMs: number) =>
  FakeOllama.make({ models: [{ name: "llama3:8b" }], defaultReply: SyntheticCases.rightAnswer, latencyMs })

const args = (host: string, out: string, concurrency = 4) => [
  "case-challenge", "--dataset", "cases.jsonl", "--model", "ollama:llama3:8b", "--ollama-host", host, "--out", out,
  "--concurrency", String(concurrency)
]

/** The fields that differ between two runs of the same work: how long calls took, and whether from the cache. */
const withoutTiming = (line: Record<string, any>) => {
  const { latencyMs: _latency, cached: _cached, ...rest } = line
  return rest
}

const integrity = (dir: string) => RunStore.make(dir).pipe(Effect.flatMap((s) => s.integrityCheck), Effect.scoped)

/** mulberry32: the kill moments are random but the same on every run of the test. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

describe("interruptions", () => {
  it.live("Ctrl-C cancels the calls in flight, keeps the store consistent and says how to resume", () =>
    Effect.gen(function* () {
      const fake = yield* server(400)
      const cwd = workdir()
      SyntheticCases.write(join(cwd, "cases.jsonl"), N)
      const running = start(args(fake.url, "run"), cwd)
      yield* Effect.promise(() => waitUntil(() => chatCalls(fake) >= 10 && fake.stats().inFlight === 4))
      running.child.kill("SIGINT")
      const r = yield* Effect.promise(() => running.done)
      assert.strictEqual(r.code, 130, r.stderr)
      assert.include(r.stderr, "to resume, run:")
      // The calls in flight were cancelled: the server saw their connections closed early.
      yield* Effect.promise(() => waitUntil(() => fake.stats().inFlight === 0))
      assert.isAtLeast(fake.stats().clientAborts, 1)
      // The store and the exported files agree, and the database is intact.
      const lines = readLines(join(cwd, "run", "samples.jsonl"))
      assert.isAbove(lines.length, 0)
      assert.isBelow(lines.length, N)
      assert.strictEqual(new Set(lines.map((l) => l.id)).size, lines.length)
      assert.isTrue(lines.every((l) => l.status === "ok"), "a cancelled call is not stored as a result")
      const manifest = readJson(join(cwd, "run", "run.json"))
      assert.isTrue(manifest.interrupted)
      assert.strictEqual(manifest.counts.ok, lines.length)
      assert.strictEqual(yield* integrity(join(cwd, "run")), "ok")
      // And the same command finishes the run.
      const again = yield* Effect.promise(() => run(args(fake.url, "run"), cwd))
      assert.strictEqual(again.code, 0, again.stderr)
      assert.strictEqual(readLines(join(cwd, "run", "samples.jsonl")).length, N)
    }).pipe(Effect.scoped), 180_000)

  it.live("SIGKILL at random moments, ten times over, then a final run: the same results as an uninterrupted run", () =>
    Effect.gen(function* () {
      const fake = yield* server(25)
      const reference = workdir()
      SyntheticCases.write(join(reference, "cases.jsonl"), N)
      const uninterrupted = yield* Effect.promise(() => run(args(fake.url, "run"), reference))
      assert.strictEqual(uninterrupted.code, 0, uninterrupted.stderr)

      const cwd = workdir()
      SyntheticCases.write(join(cwd, "cases.jsonl"), N)
      const random = prng(8)
      let kills = 0
      for (let k = 0; k < 10; k++) {
        const before = chatCalls(fake)
        const running = start(args(fake.url, "run"), cwd)
        // Kill after a random number of calls of this process (1 to 12), or right at start-up (0).
        const after = Math.floor(random() * 13)
        const exited = yield* Effect.promise(() =>
          Promise.race([
            waitUntil(() => chatCalls(fake) - before >= after).then(() => false),
            running.done.then(() => true)
          ])
        )
        if (!exited) {
          running.child.kill("SIGKILL")
          kills++
        }
        yield* Effect.promise(() => running.done)
        assert.strictEqual(yield* integrity(join(cwd, "run")), "ok", `after kill ${k + 1}`)
      }
      assert.isAtLeast(kills, 8)
      const final = yield* Effect.promise(() => run(args(fake.url, "run"), cwd))
      assert.strictEqual(final.code, 0, final.stderr)

      const expected = readLines(join(reference, "run", "samples.jsonl")).map(withoutTiming)
      const got = readLines(join(cwd, "run", "samples.jsonl")).map(withoutTiming)
      assert.strictEqual(got.length, N)
      assert.strictEqual(new Set(got.map((l) => l.id)).size, N)
      assert.deepStrictEqual(got, expected)
      const summary = (dir: string) => readJson(join(dir, "run", "summary.json")).models["ollama:llama3:8b"]
      assert.deepStrictEqual(summary(cwd).metrics, summary(reference).metrics)
      assert.strictEqual(yield* integrity(join(cwd, "run")), "ok")
    }).pipe(Effect.scoped), 600_000)
})
