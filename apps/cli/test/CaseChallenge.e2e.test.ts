/**
 * End to end, as a user runs it: the real `clinical-evals` bin in a child process, against the
 * project's fake Ollama server on 127.0.0.1 through the real `ollama` client.
 */
import { NodeFileSystem } from "@effect/platform-node"
import { CliHarness } from "@clinical-evals/cli-harness"
import { FakeOllama } from "@clinical-evals/fake-ollama"
import { CaseChallengeTask } from "@clinical-evals/task-case-challenge"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"

const { cli, readJson, readLines, start } = CliHarness
const workdir = () => CliHarness.workdir("e2e-")
const waitUntil = (check: () => boolean) => Effect.promise(() => CliHarness.waitUntil(check))

const samples = (await Effect.runPromise(
  CaseChallengeTask.CaseChallengeTask.load(CaseChallengeTask.CaseChallengeTask.defaultDataset, { onBadInput: "fail" }).pipe(
    Effect.provide(NodeFileSystem.layer)
  )
)).samples as ReadonlyArray<{ id: string; case: string; options: Record<string, string>; answer: string }>

/**
 * A scripted model: for each case (matched by a slice of its text), a reply in one of several styles;
 * every third is wrong, one in ten names a letter that is not an option, one in ten gives no answer.
 */
const script = samples.map((s, i) => {
  const letters = Object.keys(s.options)
  const wrong = letters.find((l) => l !== s.answer)!
  const kind = i % 10 === 7 ? "invalid" : i % 10 === 9 ? "unparsed" : i % 3 === 0 ? "wrong" : "right"
  const letter = kind === "right" ? s.answer : wrong
  const styles = [
    `Reasoning about the case.\nAnswer: ${letter}`,
    `The correct answer is ${letter}: ${s.options[letter]}`,
    `**${letter}**`,
    `answer: ${letter.toLowerCase()}`
  ]
  const reply = kind === "invalid" ? "Answer: Z" : kind === "unparsed" ? "I cannot decide on this case." : styles[i % styles.length]!
  return { match: s.case.slice(0, 120), reply, kind }
})
const expected = {
  correct: script.filter((s) => s.kind === "right").length,
  invalid: script.filter((s) => s.kind === "invalid").length,
  unparsed: script.filter((s) => s.kind === "unparsed").length
}

const server = (options: { latencyMs?: number } = {}) =>
  FakeOllama.make({
    models: [{ name: "llama3:8b", digest: "a".repeat(64) }],
    rules: script.map((s) => ({ model: "llama3:8b", match: s.match, reply: s.reply })),
    defaultReply: () => "no rule matched",
    ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs })
  })

const chatCalls = (fake: FakeOllama.FakeOllamaServer) => fake.stats().byPath["/api/chat"] ?? 0

describe("clinical-evals case-challenge, end to end", () => {
  it.live("--help lists the common flags", () =>
    Effect.gen(function* () {
      const r = yield* cli(["case-challenge", "--help"], workdir())
      assert.strictEqual(r.code, 0)
      for (const flag of ["--model", "--dataset", "--out", "--limit", "--concurrency", "--seed", "--shots", "--temperature", "--max-tokens", "--ollama-host", "--timeout"]) {
        assert.include(r.stdout, flag)
      }
    }))

  it.live("runs on the embedded defaults with no server: bundled cases, baseline model", () =>
    Effect.gen(function* () {
      const cwd = workdir()
      const r = yield* cli(["case-challenge"], cwd)
      assert.strictEqual(r.code, 0, r.stderr)
      const summary = readJson(join(cwd, "runs", readdirOne(join(cwd, "runs")), "summary.json"))
      assert.strictEqual(summary.models["baseline:overlap"].n, samples.length)
      assert.include(r.stdout, "baseline:overlap")
      for (const f of ["run.json", "samples.jsonl", "summary.json", "report.md", "results.sqlite"]) {
        assert.isTrue(existsSync(join(cwd, "runs", readdirOne(join(cwd, "runs")), f)), f)
      }
    }))

  it.live("evaluates every sample through Ollama and its accuracy matches the scripted answers", () =>
    Effect.gen(function* () {
      const fake = yield* server()
      const cwd = workdir()
      const r = yield* cli(["case-challenge", "--model", "ollama:llama3:8b", "--ollama-host", fake.url, "--out", "run"], cwd)
      assert.strictEqual(r.code, 0, r.stderr)
      assert.strictEqual(chatCalls(fake), samples.length)
      const summary = readJson(join(cwd, "run", "summary.json"))
      const m = summary.models["ollama:llama3:8b"]
      assert.strictEqual(m.n, samples.length)
      assert.closeTo(m.metrics.accuracy.value, expected.correct / samples.length, 1e-12)
      assert.strictEqual(m.counts.invalid_option, expected.invalid)
      assert.strictEqual(m.counts.unparsed, expected.unparsed)
      const manifest = readJson(join(cwd, "run", "run.json"))
      assert.strictEqual(manifest.models[0].digest, "a".repeat(64))
      assert.strictEqual(manifest.models[0].host, fake.url)
      const lines = readLines(join(cwd, "run", "samples.jsonl"))
      assert.strictEqual(lines.length, samples.length)
      assert.isTrue(lines.every((l) => l.status === "ok" && l.modelDigest === "a".repeat(64)))
    }).pipe(Effect.scoped))

  it.live("a run killed with SIGKILL resumes with the same command, recomputing only the calls in flight and the last 20 ms", () =>
    Effect.gen(function* () {
      const fake = yield* server({ latencyMs: 60 })
      const cwd = workdir()
      const args = ["case-challenge", "--model", "ollama:llama3:8b", "--ollama-host", fake.url, "--concurrency", "2"]
      const first = start(args, cwd)
      yield* waitUntil(() => chatCalls(fake) >= 12)
      first.child.kill("SIGKILL")
      const killed = yield* Effect.promise(() => first.done)
      assert.strictEqual(killed.signal, "SIGKILL")
      const callsBefore = chatCalls(fake)
      const again = yield* cli(args, cwd)
      assert.strictEqual(again.code, 0, again.stderr)
      assert.include(again.stderr, "Resuming the unfinished run")
      // Every prompt was sent at most twice, and only those of the calls in flight at the kill (at most 2)
      // and of the results finished in the last 20 ms before it, not yet written (at 60 ms a call and 2 in
      // flight, at most 2) twice.
      const perPrompt = new Map<string, number>()
      for (const req of fake.requests().filter((q) => q.path === "/api/chat")) {
        perPrompt.set(req.prompt, (perPrompt.get(req.prompt) ?? 0) + 1)
      }
      const repeated = [...perPrompt.values()].filter((n) => n > 1).length
      assert.isAtMost(repeated, 4)
      assert.strictEqual(perPrompt.size, samples.length)
      assert.isAtMost(chatCalls(fake), samples.length + 4)
      assert.isAbove(callsBefore, 0)
      const dir = join(cwd, "runs", readdirOne(join(cwd, "runs")))
      const manifest = readJson(join(dir, "run.json"))
      assert.isAbove(manifest.counts.resumed, 0)
      assert.isFalse(manifest.interrupted)
      const lines = readLines(join(dir, "samples.jsonl"))
      assert.strictEqual(new Set(lines.map((l) => l.id)).size, samples.length)
      assert.strictEqual(lines.length, samples.length)
      const summary = readJson(join(dir, "summary.json"))
      assert.closeTo(summary.models["ollama:llama3:8b"].metrics.accuracy.value, expected.correct / samples.length, 1e-12)
    }).pipe(Effect.scoped))

  it.live("Ctrl-C stops cleanly: exit 130, files written, and a line saying how to resume", () =>
    Effect.gen(function* () {
      const fake = yield* server({ latencyMs: 80 })
      const cwd = workdir()
      const run = start(["case-challenge", "--model", "ollama:llama3:8b", "--ollama-host", fake.url, "--out", "run", "--concurrency", "2"], cwd)
      yield* waitUntil(() => chatCalls(fake) >= 6)
      run.child.kill("SIGINT")
      const r = yield* Effect.promise(() => run.done)
      assert.strictEqual(r.code, 130, r.stderr)
      assert.include(r.stderr, "to resume, run:")
      assert.include(r.stderr, "--out run")
      const manifest = readJson(join(cwd, "run", "run.json"))
      assert.isTrue(manifest.interrupted)
      assert.isAbove(readLines(join(cwd, "run", "samples.jsonl")).length, 0)
    }).pipe(Effect.scoped))

  it.live("a model that is not pulled: exit 2 and the `ollama pull` line, before any sample", () =>
    Effect.gen(function* () {
      const fake = yield* server()
      const r = yield* cli(["case-challenge", "--model", "ollama:meditron:7b", "--ollama-host", fake.url], workdir())
      assert.strictEqual(r.code, 2)
      assert.include(r.stderr, "ollama pull meditron:7b")
      assert.strictEqual(chatCalls(fake), 0)
    }).pipe(Effect.scoped))

  it.live("bad usage and bad input exit 2 with a clear message", () =>
    Effect.gen(function* () {
      const cwd = workdir()
      const unreachable = yield* cli(["case-challenge", "--model", "ollama:llama3:8b", "--ollama-host", "http://127.0.0.1:9", "--retries", "0"], cwd)
      assert.strictEqual(unreachable.code, 2, unreachable.stderr)
      assert.include(unreachable.stderr, "127.0.0.1:9")
      const provider = yield* cli(["case-challenge", "--model", "gpt:4"], cwd)
      assert.strictEqual(provider.code, 2)
      assert.include(provider.stderr, "gpt:4")
      const flag = yield* cli(["case-challenge", "--concurrency", "0"], cwd)
      assert.strictEqual(flag.code, 2)
      assert.include(flag.stderr, "--concurrency")
      const good = readFileSync(CaseChallengeTask.CaseChallengeTask.defaultDataset, "utf8").split("\n")[0]!
      const bad = JSON.stringify({ ...JSON.parse(good), id: "syn-bad", answer: "Q" })
      writeFileSync(join(cwd, "bad.jsonl"), `${good}\n${bad}\n`)
      const input = yield* cli(["case-challenge", "--dataset", "bad.jsonl"], cwd)
      assert.strictEqual(input.code, 2)
      assert.include(input.stderr, 'bad.jsonl:2: field "answer"')
      assert.isFalse(existsSync(join(cwd, "runs")), "nothing misleading left behind")
    }))
})

function readdirOne(dir: string): string {
  const entries = readdirSync(dir)
  assert.strictEqual(entries.length, 1, `expected one run folder in ${dir}, found ${entries.join(", ")}`)
  return entries[0]!
}
