/** Retrieval through the real bin: `extract --task longhealth-taskN --rag`, and its usage errors. */
import { assert, describe, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const BIN = fileURLToPath(new URL("../../cli/bin/clinical-evals.mjs", import.meta.url))
const run = (args: ReadonlyArray<string>, cwd: string) =>
  spawnSync(process.execPath, [BIN, "extract", ...args], { cwd, encoding: "utf8", env: { ...process.env, XDG_CACHE_HOME: join(cwd, ".cache") } })

describe("extract --rag", () => {
  it("runs LongHealth with BM25 retrieval, records the chunks and reports retrieval recall", () => {
    const cwd = mkdtempSync(join(tmpdir(), "rag-"))
    const r = run(["--task", "longhealth-task1", "--rag", "--retrieve-k", "3", "--limit", "6", "--out", "run"], cwd)
    assert.strictEqual(r.status, 0, r.stderr)
    const summary = JSON.parse(readFileSync(join(cwd, "run", "summary.json"), "utf8"))
    assert.strictEqual(summary.task, "longhealth-task1+rag")
    const model = Object.values(summary.models)[0] as { metrics: Record<string, { value: number }> }
    assert.property(model.metrics, "retrieval_recall")
    const first = JSON.parse(readFileSync(join(cwd, "run", "samples.jsonl"), "utf8").split("\n")[0]!)
    assert.isBoolean(first.details.retrievalHit)
    assert.isAtMost(first.details.retrieval.retrieved.length, 3)
    assert.isAbove(first.details.retrieval.retrieved.length, 0)
    // run.json records the evaluator's own flags with the common ones, so that the run can be made again.
    const options = JSON.parse(readFileSync(join(cwd, "run", "run.json"), "utf8")).options
    assert.include(options, { task: "longhealth-task1", rag: true, retrieveK: 3, embedModel: null, limit: 6 })
  })

  it("refuses retrieval flags without --rag, and --rag on a task with no documents (exit 2)", () => {
    const cwd = mkdtempSync(join(tmpdir(), "rag-"))
    const noRag = run(["--task", "longhealth-task1", "--retrieve-k", "3"], cwd)
    assert.strictEqual(noRag.status, 2)
    assert.include(noRag.stderr, "--retrieve-k needs --rag")
    const wrongTask = run(["--task", "mednli", "--rag"], cwd)
    assert.strictEqual(wrongTask.status, 2)
    assert.include(wrongTask.stderr, "--rag applies to the longhealth tasks only")
  })
})
