import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { EvalError, ModelError } from "@clinical-evals/core"
import { Effect } from "effect"
import { spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { EvaluatorCommand, Main, RunFolderChoice } from "../src/index.js"

describe("EvaluatorCommand.commandLine", () => {
  it("keeps the evaluator and what follows it, whichever bin ran it", () => {
    assert.deepStrictEqual(
      EvaluatorCommand.commandLine("case-challenge", ["node", "/x/clinical-evals.mjs", "case-challenge", "--limit", "5"]),
      ["case-challenge", "--limit", "5"]
    )
    assert.deepStrictEqual(
      EvaluatorCommand.commandLine("case-challenge", ["node", "/x/clinical-evals-case-challenge.mjs", "--limit", "5"]),
      ["case-challenge", "--limit", "5"]
    )
  })
})

describe("Main.describeFailure", () => {
  it("gives exit 2 and file:line:field for bad input, exit 2 for models that are not there", () => {
    const bad = Main.describeFailure(new EvalError.DatasetError({ file: "d.jsonl", line: 3, field: "answer", message: "not an option" }))
    assert.deepStrictEqual(bad, { message: 'd.jsonl:3: field "answer": not an option', code: 2 })
    const missing = Main.describeFailure(
      new ModelError.ModelNotFoundError({ spec: "ollama:x", host: "h", message: "run `ollama pull x`" })
    )
    assert.strictEqual(missing.code, 2)
    assert.include(missing.message, "ollama pull x")
    assert.strictEqual(Main.describeFailure(new EvalError.UsageError({ message: "no" })).code, 2)
    assert.strictEqual(Main.describeFailure(new Error("boom")).code, 1)
  })
})

describe("Main.heapGrowingFlag", () => {
  it("holds the heap's growth to HEAP_GROWING_PERCENT unless node was given its own", () => {
    assert.strictEqual(Main.heapGrowingFlag([]), `--heap-growing-percent=${Main.HEAP_GROWING_PERCENT}`)
    assert.strictEqual(Main.heapGrowingFlag(["--enable-source-maps", "--import", "tsx"]), "--heap-growing-percent=100")
    assert.isNull(Main.heapGrowingFlag(["--heap-growing-percent=0"]))
    assert.isNull(Main.heapGrowingFlag(["--heap_growing_percent=50"]))
    assert.isNull(Main.heapGrowingFlag(["--heap-growing-percent", "50"]))
    assert.strictEqual(Main.heapGrowingFlag(["--heap-growing-percentage=5"]), "--heap-growing-percent=100")
  })

  it("names a flag this node's V8 knows (setFlagsFromString ignores one it does not)", () => {
    const flag = Main.heapGrowingFlag([])!
    const known = spawnSync(process.execPath, [flag, "-e", ""], { encoding: "utf8" })
    assert.strictEqual(known.status, 0, known.stderr)
    const unknown = spawnSync(process.execPath, ["--heap-growing-percent-not-a-flag=1", "-e", ""], { encoding: "utf8" })
    assert.notStrictEqual(unknown.status, 0)
  })
})

describe("RunFolderChoice.choose", () => {
  it.effect("resumes the newest unfinished run of the same command, else makes a new folder", () =>
    Effect.gen(function* () {
      const cwd = process.cwd()
      const root = mkdtempSync(join(tmpdir(), "choose-"))
      process.chdir(root)
      try {
        const write = (name: string, manifest: object) => {
          mkdirSync(join("runs", name), { recursive: true })
          writeFileSync(join("runs", name, "run.json"), JSON.stringify(manifest))
        }
        const command = ["case-challenge", "--limit", "5"]
        write("case-challenge-20260101-000000", { command, endedAt: null, interrupted: false })
        write("case-challenge-20260102-000000", { command, endedAt: "2026-01-02T00:00:00Z", interrupted: false })
        write("case-challenge-20260103-000000", { command: ["case-challenge"], endedAt: null, interrupted: true })
        const resumed = yield* RunFolderChoice.choose("case-challenge", command)
        assert.deepStrictEqual(resumed, { dir: join("runs", "case-challenge-20260101-000000"), resumed: true })
        const fresh = yield* RunFolderChoice.choose("case-challenge", ["case-challenge", "--limit", "6"])
        assert.isFalse(fresh.resumed)
        assert.match(fresh.dir, /^runs\/case-challenge-\d{8}-\d{6}$/)
      } finally {
        process.chdir(cwd)
      }
    }).pipe(Effect.provide(NodeFileSystem.layer)))
})
