/**
 * Cold start, end to end: Ollama loads a model on its first call, which may take minutes. The first
 * call gets `--first-call-timeout` (default 600 s), the others `--timeout`.
 */
import { FakeOllama } from "@clinical-evals/fake-ollama"
import { CliHarness } from "@clinical-evals/cli-harness"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { join } from "node:path"
import { run } from "./BinProcess.js"
import * as SyntheticCases from "./SyntheticCases.js"

const { readLines, workdir } = CliHarness

const N = 20

/** A server whose first chat answer takes 2.5 s (the model loading), and the others none. */
const loadingServer = () => {
  let calls = 0
  return FakeOllama.make({
    models: [{ name: "llama3:8b" }],
    defaultReply: SyntheticCases.rightAnswer,
    latencyMs: (request) => (request.path === "/api/chat" && ++calls === 1 ? 2500 : 0)
  })
}

const args = (host: string, extra: ReadonlyArray<string>) => [
  "case-challenge", "--dataset", "cases.jsonl", "--model", "ollama:llama3:8b", "--ollama-host", host, "--out", "run",
  "--timeout", "1", "--retries", "0", "--concurrency", "1", ...extra
]

describe("cold start: the first call may take long while the model loads", () => {
  it.live("with the default first-call timeout, a slow first call is waited for: nothing cancelled, nothing failed", () =>
    Effect.gen(function* () {
      const fake = yield* loadingServer()
      const cwd = workdir()
      SyntheticCases.write(join(cwd, "cases.jsonl"), N)
      const r = yield* Effect.promise(() => run(args(fake.url, []), cwd))
      assert.strictEqual(r.code, 0, r.stderr)
      assert.strictEqual(fake.stats().clientAborts, 0)
      assert.strictEqual(fake.stats().byPath["/api/chat"], N)
      assert.isTrue(readLines(join(cwd, "run", "samples.jsonl")).every((l) => l.status === "ok"))
    }).pipe(Effect.scoped), 120_000)

  it.live("with --first-call-timeout as short as --timeout, the same first call is cancelled and fails", () =>
    Effect.gen(function* () {
      const fake = yield* loadingServer()
      const cwd = workdir()
      SyntheticCases.write(join(cwd, "cases.jsonl"), N)
      const r = yield* Effect.promise(() => run(args(fake.url, ["--first-call-timeout", "1"]), cwd))
      assert.strictEqual(r.code, 1, r.stderr)
      assert.strictEqual(fake.stats().clientAborts, 1)
      const lines = readLines(join(cwd, "run", "samples.jsonl"))
      assert.strictEqual(lines[0]!.errorType, "ModelTimeoutError")
      assert.strictEqual(lines.filter((l) => l.status === "ok").length, N - 1)
    }).pipe(Effect.scoped), 120_000)

  it.live("--first-call-timeout must be positive, and is recorded in run.json", () =>
    Effect.gen(function* () {
      const cwd = workdir()
      const bad = yield* Effect.promise(() => run(["case-challenge", "--first-call-timeout", "0"], cwd))
      assert.strictEqual(bad.code, 2)
      assert.include(bad.stderr, "--first-call-timeout")
      const ok = yield* Effect.promise(() => run(["case-challenge", "--limit", "2", "--out", "run", "--first-call-timeout", "900"], cwd))
      assert.strictEqual(ok.code, 0, ok.stderr)
      const manifest = JSON.parse(yield* Effect.promise(() => import("node:fs/promises").then((fs) => fs.readFile(join(cwd, "run", "run.json"), "utf8"))))
      assert.strictEqual(manifest.options.firstCallTimeoutSeconds, 900)
    }), 120_000)
})
