/**
 * The built command (`npm run build -w @clinical-evals/cli`: one JavaScript file and its sample data)
 * does what the command run from its TypeScript sources does: the same help, the same results on the
 * bundled data, the same calls through the real `ollama` client to the fake server.
 */
import { CliHarness } from "@clinical-evals/cli-harness"
import { FakeOllama } from "@clinical-evals/fake-ollama"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll } from "vitest"

const APP = fileURLToPath(new URL("..", import.meta.url))
// Inside the checkout (tmp/ is ignored by git), so that the bundle finds better-sqlite3 in node_modules.
mkdirSync(join(APP, "tmp"), { recursive: true })
const OUT = mkdtempSync(join(APP, "tmp", "build-"))
const BUILT = join(OUT, "clinical-evals.mjs")

beforeAll(() => {
  execFileSync(process.execPath, [join(APP, "scripts/build.mjs"), OUT], { stdio: "pipe" })
})
afterAll(() => rmSync(OUT, { recursive: true, force: true }))

/** A record without what differs from one run to the next (the time a call took). */
const stable = ({ latencyMs: _latencyMs, ...rest }: Record<string, unknown>) => rest

describe("the built command", () => {
  it("is one file with the sample data next to it", () => {
    assert.isTrue(existsSync(BUILT))
    assert.isTrue(existsSync(join(OUT, "data/libs/tasks/case-challenge/data/cases.jsonl")))
    assert.isTrue(existsSync(join(OUT, "data/libs/parsers/data/icd10cm-order-2026.txt.gz")))
    assert.isTrue(existsSync(join(OUT, "data/data/models.json")))
  })

  it.live("prints the same help as the command run from its sources", () =>
    Effect.gen(function* () {
      const dir = CliHarness.workdir("built-help-")
      for (const args of [["--help"], ["case-challenge", "--help"], ["compare", "--help"]]) {
        const built = yield* CliHarness.cli(args, dir, {}, BUILT)
        const source = yield* CliHarness.cli(args, dir)
        assert.strictEqual(built.code, 0, built.stderr)
        assert.strictEqual(built.stdout, source.stdout, args.join(" "))
      }
    }))

  it.live("gives the same results on the bundled sample data as the command run from its sources", () =>
    Effect.gen(function* () {
      const dir = CliHarness.workdir("built-run-")
      const built = yield* CliHarness.cli(["case-challenge", "--model", "baseline:first", "--out", "built"], dir, {}, BUILT)
      const source = yield* CliHarness.cli(["case-challenge", "--model", "baseline:first", "--out", "source"], dir)
      assert.strictEqual(built.code, 0, built.stderr)
      assert.strictEqual(source.code, 0, source.stderr)
      const [a, b] = [CliHarness.readLines(join(dir, "built/samples.jsonl")), CliHarness.readLines(join(dir, "source/samples.jsonl"))]
      assert.strictEqual(a.length, 60)
      assert.deepStrictEqual(a.map(stable), b.map(stable))
      const [ma, mb] = [CliHarness.readJson(join(dir, "built/run.json")), CliHarness.readJson(join(dir, "source/run.json"))]
      assert.strictEqual(ma.dataset.sha256, mb.dataset.sha256)
      const [sa, sb] = [CliHarness.readJson(join(dir, "built/summary.json")), CliHarness.readJson(join(dir, "source/summary.json"))]
      assert.deepStrictEqual(sa.models, sb.models)
    }))

  it.live("runs every evaluator on its default data and model", () =>
    Effect.gen(function* () {
      const dir = CliHarness.workdir("built-defaults-")
      for (const evaluator of ["case-challenge", "summarize", "code", "extract"]) {
        const r = yield* CliHarness.cli([evaluator, "--out", evaluator], dir, {}, BUILT)
        assert.strictEqual(r.code, 0, `${evaluator}: ${r.stderr}`)
        const summary = CliHarness.readJson(join(dir, evaluator, "summary.json"))
        const n = Object.values(summary.models as Record<string, { n: number }>)[0]!.n
        assert.isAbove(n, 0, evaluator)
      }
    }))

  it.scopedLive("calls a model server through the real ollama client", () =>
    Effect.gen(function* () {
      const server = yield* FakeOllama.make({ models: [{ name: "llama3:8b" }], defaultReply: () => "The findings fit.\nAnswer: B" })
      const dir = CliHarness.workdir("built-ollama-")
      const r = yield* Effect.promise(() =>
        CliHarness.start(["case-challenge", "--model", "ollama:llama3:8b", "--limit", "5", "--out", "run"], dir, { OLLAMA_HOST: server.url }, BUILT).done
      )
      assert.strictEqual(r.code, 0, r.stderr)
      const lines = CliHarness.readLines(join(dir, "run/samples.jsonl"))
      assert.deepStrictEqual(lines.map((l) => [l["status"], l["prediction"]]), Array.from({ length: 5 }, () => ["ok", "B"]))
      assert.strictEqual(server.stats().byPath["/api/chat"], 5)
    }))
})
