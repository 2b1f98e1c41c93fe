/**
 * End to end, as a user runs it: `clinical-evals run --task-file …` through the real bins in a child
 * process, on the shipped example task files, against the fake Ollama server through the real client.
 */
import { CliHarness } from "@clinical-evals/cli-harness"
import { FakeOllama } from "@clinical-evals/fake-ollama"
import { assert, describe, it } from "@effect/vitest"
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const ROOT = fileURLToPath(new URL("../../../", import.meta.url))
const CLI = CliHarness.BIN
const RUN = join(ROOT, "apps/run/bin/clinical-evals-run.mjs")
const EXAMPLES = join(ROOT, "examples/declarative")

/** Runs a bin in a child process, without blocking this one (the fake server in this process must answer). */
const cli = (bin: string, args: ReadonlyArray<string>, cwd: string) => CliHarness.start(args, cwd, {}, bin).done
const workdir = () => CliHarness.workdir("run-e2e-")
const { readJson, readLines } = CliHarness

describe("clinical-evals run --task-file", () => {
  it("evaluates the example label task against an Ollama model with the common flags, writing the output contract", async () => {
    const server = await FakeOllama.start({
      models: [{ name: "llama3:8b" }],
      rules: [
        { match: "chest pain", reply: "Crushing chest pain is an emergency.\nAnswer: emergency" },
        { match: "sore throat", reply: "Answer: routine" },
        { match: "face drooped", reply: "Answer: urgent" }
      ],
      defaultReply: () => "I cannot tell."
    })
    try {
      const cwd = workdir()
      const args = ["run", "--task-file", join(EXAMPLES, "triage.yaml"), "--model", "ollama:llama3:8b", "--ollama-host", server.url]
      const r = await cli(CLI, [...args, "--limit", "4", "--concurrency", "2", "--out", "out"], cwd)
      assert.strictEqual(r.code, 0, r.stderr)
      assert.match(r.stdout, /ollama:llama3:8b\s+4\s+0\.500/)
      const summary = readJson(join(cwd, "out", "summary.json"))
      assert.strictEqual(summary.evaluator, "run")
      assert.strictEqual(summary.task, "triage")
      const m = summary.models["ollama:llama3:8b"]
      assert.strictEqual(m.metrics.accuracy.value, 0.5)
      assert.strictEqual(m.counts.unparsed, 1)
      assert.deepStrictEqual(Object.keys(m.groups.age_band).sort(), ["adult", "older adult"])
      const samples = readLines(join(cwd, "out", "samples.jsonl"))
      assert.deepStrictEqual(samples.map((s) => s.id), ["syn-triage-01", "syn-triage-02", "syn-triage-03", "syn-triage-04"])
      assert.strictEqual(samples[0]!.prediction, "emergency")
      assert.strictEqual(samples[2]!.scores.correct, 0)
      assert.include(samples[0]!.messages[1].content, "Choose one of: emergency, urgent, routine.")
      const manifest = readJson(join(cwd, "out", "run.json"))
      assert.deepStrictEqual(manifest.command.slice(0, 3), ["run", "--task-file", join(EXAMPLES, "triage.yaml")])
      assert.include(readFileSync(join(cwd, "out", "report.md"), "utf8"), "accuracy")
      // Every call went to the fake server, with the run's options.
      const chats = server.requests().filter((q) => q.path === "/api/chat")
      assert.strictEqual(chats.length, 4)
    } finally {
      await server.close()
    }
  })

  it("runs the CSV multiple-choice example with its default baseline, few-shot examples and the standalone bin", async () => {
    const cwd = workdir()
    const r = await cli(RUN, ["--task-file", join(EXAMPLES, "first-line.yaml"), "--shots", "1", "--shots-file", join(EXAMPLES, "data/first-line.csv"), "--limit", "3", "--out", "out", "--no-cache"], cwd)
    assert.strictEqual(r.code, 0, r.stderr)
    assert.match(r.stdout, /baseline:overlap\s+3\s+/)
    const samples = readLines(join(cwd, "out", "samples.jsonl"))
    assert.strictEqual(samples[0]!.messages.length, 3)
    assert.match(samples[0]!.messages[1].content, /^Answer: [A-D]$/)
  })

  it("--dataset replaces the task file's dataset; a bad record stops with file, line and field (exit 2), or is skipped", async () => {
    const cwd = workdir()
    mkdirSync(join(cwd, "data"))
    copyFileSync(join(EXAMPLES, "triage.yaml"), join(cwd, "triage.yaml"))
    const other = join(cwd, "other.jsonl")
    writeFileSync(
      other,
      [
        { id: "syn-x1", age_band: "adult", presentation: "Sudden severe headache, worst ever.", urgency: "emergency" },
        { id: "syn-x2", age_band: "adult", presentation: "Mild back ache for a week.", urgency: "soon" }
      ]
        .map((x) => JSON.stringify(x))
        .join("\n")
    )
    const bad = await cli(CLI, ["run", "--task-file", "triage.yaml", "--dataset", other, "--out", "bad", "--no-cache"], cwd)
    assert.strictEqual(bad.code, 2)
    assert.include(bad.stderr, `${other}:2: field "urgency": "soon" is not one of the labels emergency, urgent, routine`)
    const skip = await cli(CLI, ["run", "--task-file", "triage.yaml", "--dataset", other, "--on-bad-input", "skip", "--out", "skip", "--no-cache"], cwd)
    assert.strictEqual(skip.code, 0, skip.stderr)
    assert.strictEqual(readLines(join(cwd, "skip", "samples.jsonl")).length, 1)
  })

  it("a mistake in the task file stops before any run with the task file, line and field (exit 2)", async () => {
    const cwd = workdir()
    copyFileSync(join(EXAMPLES, "data/triage.jsonl"), join(cwd, "triage.jsonl"))
    writeFileSync(
      join(cwd, "task.yaml"),
      "name: t\ndataset: triage.jsonl\nprompt: |\n  {{presentation}} at {{clinic}}\nparser: { kind: label, labels: [a, b] }\nreference: urgency\nmetrics: [accuracy]\n"
    )
    const r = await cli(CLI, ["run", "--task-file", "task.yaml", "--out", "out"], cwd)
    assert.strictEqual(r.code, 2)
    assert.include(r.stderr, `task.yaml:3: field "prompt": unknown field "clinic"`)
    const missing = await cli(CLI, ["run", "--task-file", "nope.yaml"], cwd)
    assert.strictEqual(missing.code, 2)
  })

  it("prints its help with --task-file and every common flag", async () => {
    const r = await cli(CLI, ["run", "--help"], workdir())
    assert.strictEqual(r.code, 0)
    for (const flag of ["--task-file", "--model", "--dataset", "--shots", "--on-bad-input", "--no-cache"]) assert.include(r.stdout, flag)
  })
})
