/**
 * One harness run, as the CLI makes it but without the CLI: `Runner.run` with the case-challenge task,
 * the real model resolver, a response cache (a file, or none) and no progress output.
 */
import { Progress, ResponseCache, Runner } from "@clinical-evals/core"
import { ModelResolver } from "@clinical-evals/models"
import { CaseChallengeTask } from "@clinical-evals/task-case-challenge"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

export interface HarnessOptions {
  readonly dataset: string
  readonly out: string
  readonly model: string
  readonly host: string
  readonly concurrency: number
  /** The response cache file, or null for none. */
  readonly cache: string | null
}

/** Runs the harness; resolves with the run's result. */
export const run = (o: HarnessOptions): Promise<Runner.RunResult> => {
  const config: Runner.RunConfig = {
    task: CaseChallengeTask.CaseChallengeTask,
    evaluator: "case-challenge",
    dataset: o.dataset,
    models: [o.model],
    out: o.out,
    limit: null,
    concurrency: o.concurrency,
    seed: 1234,
    shots: 0,
    shotsFile: null,
    temperature: 0,
    maxTokens: 512,
    numCtx: null,
    keepAlive: null,
    onBadInput: "fail",
    useCache: o.cache !== null,
    command: ["case-challenge", "--bench"],
    options: {},
    tool: { name: "bench", version: "0", gitCommit: null }
  }
  const layers = Layer.mergeAll(
    ModelResolver.layer({ ollamaHost: o.host, timeoutSeconds: 60, retries: 0 }),
    o.cache === null ? ResponseCache.layerDisabled : ResponseCache.layer(o.cache),
    Progress.layerSilent
  )
  return Effect.runPromise(Runner.run(config).pipe(Effect.provide(layers), Effect.provide(NodeContext.layer)))
}
