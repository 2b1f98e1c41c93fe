/**
 * Bad input, end to end: every file of the corpus in bad-inputs/ (and bad flags, unknown providers, an
 * unreachable host) through the real bin. Each exits 2 with one clear line naming the file, the line and
 * the field where they apply, and leaves no run folder behind.
 */
import { CliHarness } from "@clinical-evals/cli-harness"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { existsSync } from "node:fs"
import { createServer } from "node:net"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { run } from "./BinProcess.js"

const { workdir } = CliHarness

const CORPUS = fileURLToPath(new URL("./bad-inputs/", import.meta.url))

interface Case {
  readonly name: string
  /** Arguments after `case-challenge`; `@file` is replaced by the corpus file's path. */
  readonly args: ReadonlyArray<string>
  /** What the error must say (the file, line and field, as `name:line: field "x"` where they apply). */
  readonly says: ReadonlyArray<string>
}

const dataset = (file: string, ...says: ReadonlyArray<string>): Case => ({ name: file, args: ["--dataset", `@${file}`], says })

/** A port on 127.0.0.1 where nothing listens. */
const closedPort = await new Promise<number>((resolve) => {
  const s = createServer()
  s.listen(0, "127.0.0.1", () => {
    const port = (s.address() as { port: number }).port
    s.close(() => resolve(port))
  })
})

const cases: ReadonlyArray<Case> = [
  dataset("broken-json.jsonl", "broken-json.jsonl:2:", "not valid JSON"),
  dataset("trailing-comma.jsonl", "trailing-comma.jsonl:2:", "not valid JSON"),
  dataset("html-page.jsonl", "html-page.jsonl:1:", "not valid JSON"),
  dataset("very-long-line.jsonl", "very-long-line.jsonl:2:", "not valid JSON"),
  dataset("missing-answer.jsonl", 'missing-answer.jsonl:3: field "answer"', "missing"),
  dataset("missing-options.jsonl", 'missing-options.jsonl:1: field "options"', "missing"),
  dataset("missing-case.jsonl", 'missing-case.jsonl:2: field "case"', "missing"),
  dataset("missing-question.jsonl", 'missing-question.jsonl:2: field "question"', "missing"),
  dataset("options-array.jsonl", 'options-array.jsonl:2: field "options"'),
  dataset("option-text-number.jsonl", 'option-text-number.jsonl:1: field "options.A"'),
  dataset("empty-options.jsonl", 'empty-options.jsonl:1: field "options"', "found 0"),
  dataset("answer-number.jsonl", 'answer-number.jsonl:2: field "answer"', "letter"),
  dataset("answer-not-an-option.jsonl", 'answer-not-an-option.jsonl:3: field "answer"', "E is not one of the options"),
  dataset("answer-lowercase-word.jsonl", 'answer-lowercase-word.jsonl:2: field "answer"', '"aortic"'),
  dataset("duplicate-id.jsonl", 'duplicate-id.jsonl:3: field "id"', "line 1"),
  dataset("record-is-array.jsonl", "record-is-array.jsonl:2:", "expected a JSON object with the record's fields, found a list"),
  dataset("bom-broken.jsonl", 'bom-broken.jsonl:2: field "answer"'),
  dataset("crlf-broken.jsonl", 'crlf-broken.jsonl:3: field "options"'),
  dataset("medqa-missing-answer-idx.jsonl", 'medqa-missing-answer-idx.jsonl:1: field "answer_idx"', "missing"),
  dataset("empty.jsonl", "empty.jsonl", "empty"),
  dataset("blank-lines-only.jsonl", "blank-lines-only.jsonl", "no records"),
  dataset("binary.jsonl", "binary.jsonl", "binary"),
  dataset("fake.xlsx", "fake.xlsx", "CSV"),
  dataset("notes.txt", "notes.txt", ".jsonl, .csv or .json"),
  dataset("json-not-object.json", "json-not-object.json:1:", "pandas"),
  dataset("pandas-wrong-shape.json", "pandas-wrong-shape.json:1:", '"answer_idx"'),
  dataset("csv-missing-column.csv", "csv-missing-column.csv:1:", '"answer_idx"'),
  dataset("csv-bad-answer-idx.csv", 'csv-bad-answer-idx.csv:3: field "answer_idx"', '"Q"'),
  dataset("csv-unterminated-quote.csv", "csv-unterminated-quote.csv:2:", "never closed"),
  { name: "a dataset that does not exist", args: ["--dataset", "@no-such-file.jsonl"], says: ["no-such-file.jsonl", "not found"] },
  { name: "a folder as dataset", args: ["--dataset", "@"], says: ["bad-inputs"] },
  { name: "a bad shots file", args: ["--shots", "2", "--shots-file", "@empty.jsonl"], says: ["empty.jsonl", "empty"] },
  { name: "an unknown model provider", args: ["--model", "gpt:4"], says: ['unknown provider "gpt"'] },
  { name: "a provider with no model", args: ["--model", "ollama:"], says: ['"ollama:" names no model'] },
  { name: "an unknown baseline", args: ["--model", "baseline:nope"], says: ['unknown baseline "nope"'] },
  {
    name: "an unreachable host",
    args: ["--model", "ollama:llama3:8b", "--ollama-host", `http://127.0.0.1:${closedPort}`, "--retries", "0"],
    says: [`cannot reach Ollama at http://127.0.0.1:${closedPort}`]
  },
  { name: "a host that is not a URL", args: ["--model", "ollama:llama3:8b", "--ollama-host", "not::a::url"], says: ["not a usable Ollama host URL"] },
  { name: "--concurrency 0", args: ["--concurrency", "0"], says: ["--concurrency must be at least 1"] },
  { name: "--concurrency abc", args: ["--concurrency", "abc"], says: ["'abc' is not a integer"] },
  { name: "--limit 0", args: ["--limit", "0"], says: ["--limit must be at least 1"] },
  { name: "--timeout -1", args: ["--timeout", "-1"], says: ["--timeout must be a positive number"] },
  { name: "--first-call-timeout 0", args: ["--first-call-timeout", "0"], says: ["--first-call-timeout must be a positive number"] },
  { name: "--retries -1", args: ["--retries", "-1"], says: ["--retries cannot be negative"] },
  { name: "--temperature -1", args: ["--temperature", "-1"], says: ["--temperature cannot be negative"] },
  { name: "--max-tokens 0", args: ["--max-tokens", "0"], says: ["--max-tokens must be at least 1"] },
  { name: "--shots -1", args: ["--shots", "-1"], says: ["--shots cannot be negative"] },
  { name: "an unknown flag", args: ["--frobnicate"], says: ["unknown argument: '--frobnicate'"] },
  { name: "--on-bad-input maybe", args: ["--on-bad-input", "maybe"], says: ["fail, skip"] }
]

describe.concurrent("bad input: exit 2, a clear message, nothing left behind", () => {
  it("the corpus has at least 30 malformed inputs", () => {
    assert.isAtLeast(cases.length, 30)
  })

  for (const c of cases) {
    it.live(c.name, () =>
      Effect.gen(function* () {
        const cwd = workdir("bad-input-")
        const args = c.args.map((a) => (a.startsWith("@") ? join(CORPUS, a.slice(1)) : a))
        const r = yield* Effect.promise(() => run(["case-challenge", ...args, "--out", "run"], cwd))
        assert.strictEqual(r.code, 2, `${r.stdout}\n${r.stderr}`)
        for (const s of c.says) assert.include(r.stderr, s)
        // One short, readable message: no stack trace, no dump of the input.
        assert.notInclude(r.stderr, "    at ")
        assert.isBelow(r.stderr.length, 1500, r.stderr)
        assert.strictEqual(r.stdout.trim(), "")
        assert.isFalse(existsSync(join(cwd, "run")), "no run folder is left behind")
        assert.isFalse(existsSync(join(cwd, "runs")), "no default run folder either")
      }), 120_000)
  }
})

describe("inputs that look odd but are valid", () => {
  for (const file of ["valid-bom.jsonl", "valid-crlf.jsonl"]) {
    it.live(`${file} is read like any other file`, () =>
      Effect.gen(function* () {
        const cwd = workdir("odd-input-")
        const r = yield* Effect.promise(() => run(["case-challenge", "--dataset", join(CORPUS, file), "--out", "run"], cwd))
        assert.strictEqual(r.code, 0, r.stderr)
        assert.include(r.stdout, "baseline:overlap  3")
      }), 120_000)
  }
})
