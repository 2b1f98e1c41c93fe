/**
 * End to end, as a user runs it: the real `clinical-evals extract` bin in a child process, with the
 * tasks' baselines (no server) and against the project's fake Ollama server on 127.0.0.1 through the
 * real `ollama` client, with scripted answers and scores computed by hand.
 */
import { CliHarness } from "@clinical-evals/cli-harness"
import { FakeOllama } from "@clinical-evals/fake-ollama"
import { MedNliTask, StructuredTask } from "@clinical-evals/task-extract"
import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { spawnSync } from "node:child_process"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const OWN_BIN = fileURLToPath(new URL("../bin/clinical-evals-extract.mjs", import.meta.url))
const { readJson, readLines } = CliHarness
const cli = (args: ReadonlyArray<string>, cwd: string, bin = CliHarness.BIN) => CliHarness.cli(args, cwd, {}, bin)
const workdir = () => CliHarness.workdir("extract-e2e-")

const loadNode = <A>(effect: Effect.Effect<A, unknown, any>) => Effect.runPromise(Effect.provide(effect, NodeFileSystem.layer) as Effect.Effect<A>)

describe("clinical-evals extract: usage", () => {
  it("--help names the tasks, --context-tokens, and the task's own --shots default", () => {
    const r = spawnSync(process.execPath, [CliHarness.BIN, "extract", "--help"], { encoding: "utf8" })
    assert.strictEqual(r.status, 0, r.stderr)
    for (const text of ["--task", "medisumqa", "structured", "mednli", "longhealth-task3", "--context-tokens", "--shots", "mednli 3", "--ollama-host"]) {
      assert.include(r.stdout, text)
    }
  })

  it.live("--context-tokens with a task that is not LongHealth is a usage error (exit 2)", () =>
    Effect.gen(function* () {
      const r = yield* cli(["extract", "--task", "mednli", "--context-tokens", "4000"], workdir())
      assert.strictEqual(r.code, 2)
      assert.include(r.stderr, "--context-tokens applies to the longhealth tasks only")
    }))

  it.live("an unknown task is refused, naming the choices", () =>
    Effect.gen(function* () {
      const r = yield* cli(["extract", "--task", "nope"], workdir())
      assert.notStrictEqual(r.code, 0)
      assert.include(r.stdout + r.stderr, "medisumqa")
    }))
})

describe("clinical-evals extract: every task runs with no server, on its bundled data and baseline", () => {
  const cases: ReadonlyArray<readonly [string, string, number, string]> = [
    ["medisumqa", "baseline:sentence", 1, "rougeL"],
    ["structured", "baseline:pattern", 0, "field_score"],
    ["mednli", "baseline:overlap", 3, "macro_f1"],
    ["longhealth-task1", "baseline:passage-overlap", 0, "accuracy"],
    ["longhealth-task2", "baseline:passage-overlap", 0, "accuracy"],
    ["longhealth-task3", "baseline:passage-overlap", 0, "accuracy"]
  ]
  for (const [task, model, shots, metric] of cases) {
    it.live(`--task ${task}: ${model}, ${shots} shots by default`, () =>
      Effect.gen(function* () {
        const cwd = workdir()
        const r = yield* cli(["extract", "--task", task, "--limit", "6", "--out", "run"], cwd)
        assert.strictEqual(r.code, 0, r.stderr)
        assert.include(r.stdout, model)
        const summary = readJson(join(cwd, "run", "summary.json"))
        assert.strictEqual(summary.evaluator, "extract")
        assert.strictEqual(summary.task, task)
        assert.strictEqual(summary.models[model].n, 6)
        assert.isNumber(summary.models[model].metrics[metric].value)
        const manifest = readJson(join(cwd, "run", "run.json"))
        assert.strictEqual(manifest.settings.shots, shots)
        const records = readLines(join(cwd, "run", "samples.jsonl"))
        const users = records[0]!.messages.filter((m: { role: string }) => m.role === "user").length
        assert.strictEqual(users, shots + 1)
      }))
  }

  it.live("--shots overrides the task's default, 0 included", () =>
    Effect.gen(function* () {
      const cwd = workdir()
      const r = yield* cli(["extract", "--task", "mednli", "--shots", "0", "--limit", "2", "--out", "run"], cwd)
      assert.strictEqual(r.code, 0, r.stderr)
      assert.strictEqual(readJson(join(cwd, "run", "run.json")).settings.shots, 0)
    }))

  it.live("the app's own bin runs the same evaluator", () =>
    Effect.gen(function* () {
      const cwd = workdir()
      const r = yield* cli(["--task", "structured", "--limit", "2", "--out", "run", "--no-cache"], cwd, OWN_BIN)
      assert.strictEqual(r.code, 0, r.stderr)
      assert.strictEqual(readJson(join(cwd, "run", "summary.json")).models["baseline:pattern"].n, 2)
    }))
})

describe("clinical-evals extract --task structured, through Ollama", () => {
  it.live("sends the schema as Ollama's format and scores the scripted answers as computed by hand", () =>
    Effect.gen(function* () {
      const ds = yield* Effect.promise(() => loadNode(StructuredTask.StructuredTask.load(StructuredTask.StructuredTask.defaultDataset, { onBadInput: "fail" })))
      const [meds, vitals, allergies, mixed] = ds.samples
      assert.deepStrictEqual([meds!.category, vitals!.category, allergies!.category, mixed!.category], ["medications", "vital_signs", "allergies_diagnoses", "mixed"])
      const wrongVitals = { ...(vitals!.answer as Record<string, number>), heart_rate: 100 }
      assert.notStrictEqual((vitals!.answer as Record<string, number>).heart_rate, 100)
      const replies = [
        JSON.stringify(meds!.answer), // all right; 6 values, all in the note
        "```json\n" + JSON.stringify(wrongVitals) + "\n```", // 5 of 6 scalars right; 100 is nowhere in the note
        "I cannot extract that.", // not JSON: invalid_output
        JSON.stringify({ ...(mixed!.answer as object), sex: "unknown" }) // outside the schema's enum: invalid_output
      ]
      const fake = yield* FakeOllama.make({
        models: [{ name: "llama3:8b" }],
        rules: ds.samples.slice(0, 4).map((s, i) => ({ match: s.note.slice(0, 80), reply: replies[i]! })),
        defaultReply: () => "no rule matched"
      })
      const cwd = workdir()
      const r = yield* cli(["extract", "--task", "structured", "--model", "ollama:llama3:8b", "--ollama-host", fake.url, "--limit", "4", "--out", "run"], cwd)
      assert.strictEqual(r.code, 0, r.stderr)

      const chats = fake.requests().filter((q) => q.path === "/api/chat")
      assert.strictEqual(chats.length, 4)
      for (const s of ds.samples.slice(0, 4)) {
        const request = chats.find((q) => q.prompt.includes(s.note.slice(0, 80)))!
        assert.deepStrictEqual(request.body.format, s.schema)
      }

      const m = readJson(join(cwd, "run", "summary.json")).models["ollama:llama3:8b"]
      assert.strictEqual(m.n, 4)
      assert.strictEqual(m.counts.invalid_output, 2)
      assert.closeTo(m.metrics.invalid_output_rate.value, 2 / 4, 1e-12)
      // field_score: 1, 5/6, 0, 0
      assert.closeTo(m.metrics.field_score.value, (1 + 5 / 6) / 4, 1e-12)
      // field_exact over samples with scalar fields (vitals 5/6, mixed 0)
      assert.closeTo(m.metrics.field_exact.value, 5 / 6 / 2, 1e-12)
      // list_f1 over samples with list fields (medications 1, allergies 0, mixed 0)
      assert.closeTo(m.metrics.list_f1.value, 1 / 3, 1e-12)
      // 12 values checked in the two valid answers, 1 (the heart rate of 100) found nowhere
      assert.closeTo(m.metrics.hallucinated_value_rate.value, 1 / 12, 1e-12)

      const records = readLines(join(cwd, "run", "samples.jsonl"))
      const second = records.find((x) => x.id === vitals!.id)!
      assert.deepStrictEqual(second.details.hallucinated_value_rate, { hallucinated: ["100"], checked: 6 })
      const fourth = records.find((x) => x.id === mixed!.id)!
      assert.strictEqual(fourth.parse_status, "invalid_output")
      assert.include(fourth.explanation, "sex")
    }).pipe(Effect.scoped))
})

describe("clinical-evals extract --task mednli, through Ollama", () => {
  it.live("3-shot prompts; CLUE's scoring, accuracy and per-class F1 as computed by hand", () =>
    Effect.gen(function* () {
      const ds = yield* Effect.promise(() => loadNode(MedNliTask.MedNliTask.load(MedNliTask.MedNliTask.defaultDataset, { onBadInput: "fail" })))
      assert.strictEqual(ds.samples.length, 27)
      // The bundled pairs come as 9 premises, each with an entailed, a contradicted and a neutral hypothesis.
      assert.deepStrictEqual(ds.samples.slice(0, 3).map((s) => s.label), ["entailment", "contradiction", "neutral"])
      const reply = (i: number, label: string): string => {
        const block = Math.floor(i / 9)
        if (block === 0) return ["entailment", "The answer is CONTRADICTION.", "**Neutral**"][i % 3]!
        if (block === 1) return { entailment: "neutral", contradiction: "contradiction", neutral: "entailment" }[label]!
        return { entailment: "Entailment", contradiction: "entailment or contradiction?", neutral: "neutral, neutral" }[label]!
      }
      const fake = yield* FakeOllama.make({
        models: [{ name: "meditron:7b" }],
        rules: ds.samples.map((s, i) => ({ match: `Hypothesis: ${s.hypothesis}\n`, reply: reply(i, s.label) })),
        defaultReply: () => "no rule matched"
      })
      const cwd = workdir()
      const r = yield* cli(["extract", "--task", "mednli", "--model", "ollama:meditron:7b", "--ollama-host", fake.url, "--out", "run"], cwd)
      assert.strictEqual(r.code, 0, r.stderr)
      const chats = fake.requests().filter((q) => q.path === "/api/chat")
      assert.strictEqual(chats.length, 27)
      // system, 3 examples as user / assistant turns, the pair
      for (const c of chats) assert.strictEqual(c.messages.length, 8)

      const m = readJson(join(cwd, "run", "summary.json")).models["ollama:meditron:7b"]
      // right: 9 in block 1, 3 (contradiction) in block 2, 3 (entailment) in block 3
      assert.closeTo(m.metrics.accuracy.value, 15 / 27, 1e-12)
      // entailment: tp 6, fp 3 (neutral called entailment), fn 3 → 12/18
      assert.closeTo(m.metrics.f1_entailment.value, 2 / 3, 1e-12)
      // contradiction: tp 6, fp 0, fn 3 (ambiguous) → 12/15
      assert.closeTo(m.metrics.f1_contradiction.value, 12 / 15, 1e-12)
      // neutral: tp 3, fp 3, fn 6 → 6/15
      assert.closeTo(m.metrics.f1_neutral.value, 6 / 15, 1e-12)
      assert.closeTo(m.metrics.macro_f1.value, (2 / 3 + 12 / 15 + 6 / 15) / 3, 1e-12)
      assert.strictEqual(m.counts.ambiguous, 3)
      assert.strictEqual(m.counts.unparsed, 3)
      assert.closeTo(m.groups.gold_label.neutral.metrics.accuracy.value, 3 / 9, 1e-12)
    }).pipe(Effect.scoped))
})
