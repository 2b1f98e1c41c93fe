/**
 * Safety, end to end: secrets (an API key, sent as an Authorization header) never appear in run.json,
 * samples.jsonl, summary.json, report.md, the caches or the program's output; no telemetry; and the
 * program connects to nothing but the configured model hosts. Every outgoing connection and DNS lookup
 * of the bin is recorded by a preloaded module (fixtures/network-log.mjs).
 */
import { FakeOllama } from "@clinical-evals/fake-ollama"
import { CliHarness } from "@clinical-evals/cli-harness"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { ROOT, run } from "./BinProcess.js"
import * as SyntheticCases from "./SyntheticCases.js"

const { readJson, workdir } = CliHarness

const N = 12
const SECRET = "sk-test-4f1b0c9e7d2a4c55b8e3-never-write-me"
const NETWORK_LOG = fileURLToPath(new URL("./fixtures/network-log.mjs", import.meta.url))

/** Every file under `dir`, recursively (run folder, caches). */
const filesUnder = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })

/** The redaction check: the secret is in no file under `cwd` (bytes, SQLite included) and no output. */
const assertNoSecret = (cwd: string, outputs: ReadonlyArray<string>) => {
  const files = filesUnder(cwd)
  assert.isAbove(files.length, 0)
  for (const file of files) {
    assert.isFalse(readFileSync(file).includes(SECRET), `the secret is written in ${file}`)
    assert.isFalse(readFileSync(file).includes(Buffer.from(SECRET, "utf16le")), `the secret is written in ${file}`)
  }
  for (const text of outputs) assert.notInclude(text, SECRET)
}

/** The connections and lookups the bin made, minus tsx's own local pipe. */
const network = (log: string): Array<string> =>
  existsSync(log) ? readFileSync(log, "utf8").split("\n").filter((l) => l !== "" && !l.includes('"path"') && !l.includes("unix:")) : []

const env = (cwd: string) => ({
  OPENAI_API_KEY: SECRET,
  OLLAMA_API_KEY: SECRET,
  NETWORK_LOG: join(cwd, "network.log"),
  NODE_OPTIONS: `--import ${NETWORK_LOG}`,
  // Were a library to honour a proxy, it would go here, and be seen in the log as a connection to it.
  HTTP_PROXY: "http://127.0.0.1:1",
  HTTPS_PROXY: "http://127.0.0.1:1"
})

const server = (apiKey?: string) =>
  FakeOllama.make({
    models: [{ name: "llama3:8b" }],
    defaultReply: SyntheticCases.rightAnswer,
    ...(apiKey === undefined ? {} : { apiKey })
  })

describe("safety", () => {
  it("no telemetry: Nx analytics are off and Nx Cloud is never contacted", () => {
    const nx = JSON.parse(readFileSync(join(ROOT, "nx.json"), "utf8"))
    assert.strictEqual(nx.analytics, false)
    assert.strictEqual(nx.neverConnectToCloud, true)
  })

  it.live("an Ollama run connects only to the configured host, and writes no secret from the environment", () =>
    Effect.gen(function* () {
      const fake = yield* server()
      const cwd = workdir("safety-")
      SyntheticCases.write(join(cwd, "cases.jsonl"), N)
      const r = yield* Effect.promise(() =>
        run(["case-challenge", "--dataset", "cases.jsonl", "--model", "ollama:llama3:8b", "--ollama-host", fake.url, "--out", "run"], cwd, env(cwd))
      )
      assert.strictEqual(r.code, 0, r.stderr)
      assert.strictEqual(fake.stats().byPath["/api/chat"], N)
      const port = new URL(fake.url).port
      const seen = network(join(cwd, "network.log"))
      assert.isAbove(seen.length, 0, "the network log works")
      for (const line of seen) {
        assert.match(line, new RegExp(`^connect .*"port":"?${port}"?.*"host":"127\\.0\\.0\\.1"|^connect 127\\.0\\.0\\.1:${port}$|^lookup 127\\.0\\.0\\.1$`), line)
      }
      assertNoSecret(cwd, [r.stdout, r.stderr])
    }).pipe(Effect.scoped), 120_000)

  it.live("an OpenAI-compatible run sends the key as a Bearer header and writes it nowhere", () =>
    Effect.gen(function* () {
      const fake = yield* server(SECRET)
      const cwd = workdir("safety-")
      SyntheticCases.write(join(cwd, "cases.jsonl"), N)
      const r = yield* Effect.promise(() =>
        run(["case-challenge", "--dataset", "cases.jsonl", "--model", "openai:llama3:8b", "--base-url", fake.url, "--out", "run"], cwd, env(cwd))
      )
      assert.strictEqual(r.code, 0, r.stderr)
      // The fake answers only requests carrying the key: every sample finished, so it was sent.
      assert.isTrue(readFileSync(join(cwd, "run", "samples.jsonl"), "utf8").trim().split("\n").every((l) => JSON.parse(l).status === "ok"))
      assert.notInclude(JSON.stringify(readJson(join(cwd, "run", "run.json"))), SECRET)
      assertNoSecret(cwd, [r.stdout, r.stderr])
    }).pipe(Effect.scoped), 120_000)

  it.live("a refused key is named by its variable, never by its value", () =>
    Effect.gen(function* () {
      const fake = yield* server("another-key")
      const cwd = workdir("safety-")
      SyntheticCases.write(join(cwd, "cases.jsonl"), N)
      const r = yield* Effect.promise(() =>
        run(["case-challenge", "--dataset", "cases.jsonl", "--model", "openai:llama3:8b", "--base-url", fake.url, "--out", "run"], cwd, env(cwd))
      )
      assert.notStrictEqual(r.code, 0)
      assert.include(r.stderr, "OPENAI_API_KEY")
      assertNoSecret(cwd, [r.stdout, r.stderr])
    }).pipe(Effect.scoped), 120_000)
})
