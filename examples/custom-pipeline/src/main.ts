/**
 * Runs the example: `npx tsx --conditions=@clinical-evals/source examples/custom-pipeline/src/main.ts [model-a model-b]`.
 * Without arguments it compares the two built-in baselines, so it needs no server.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { run } from "./CustomPipeline.js"

const [a = "baseline:overlap", b = "baseline:first"] = process.argv.slice(2)
const program = Effect.gen(function* () {
  const result = yield* run({ models: [a, b], out: join(mkdtempSync(join(tmpdir(), "custom-pipeline-")), "run") })
  for (const [model, acc] of Object.entries(result.accuracy)) {
    yield* Console.log(`${model}: accuracy ${acc.value.toFixed(3)} [${acc.ci95[0].toFixed(3)}, ${acc.ci95[1].toFixed(3)}]`)
  }
  const m = result.mcnemar
  yield* Console.log(`McNemar: only ${a} right ${m.onlyA}, only ${b} right ${m.onlyB}, exact p = ${m.pValue.toFixed(4)}`)
  yield* Console.log(`Run folder: ${result.out}`)
})

NodeRuntime.runMain(program)
