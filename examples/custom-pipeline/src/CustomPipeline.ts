/**
 * A custom pipeline in code: the bundled case-challenge dataset, a prompt of our own, two models and a
 * paired metric, composed from the libraries without the CLI. See docs/custom-pipeline.md.
 */
import { ChatMessage, Progress, ResponseCache, Runner, type Task } from "@clinical-evals/core"
import { Accuracy, McNemar } from "@clinical-evals/metrics"
import { ModelResolver } from "@clinical-evals/models"
import { CaseChallengeTask, type CaseSample } from "@clinical-evals/task-case-challenge"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/** 1. A custom prompt: terse, no system message, options as `(A) …`, answer on the last line. */
export const tersePrompt = (sample: CaseSample.CaseSample): ReadonlyArray<ChatMessage.ChatMessage> => [
  ChatMessage.user(
    [
      sample.case,
      sample.question,
      ...Object.entries(sample.options).map(([letter, text]) => `(${letter}) ${text}`),
      "Reply with the letter only, as `Answer: X`."
    ].join("\n")
  )
]

/** 2. The task: the case-challenge task (its loader, parser, scorer, aggregate) with our prompt. */
export const task: Task.Task<CaseSample.CaseSample> = {
  ...CaseChallengeTask.CaseChallengeTask,
  name: "case-challenge-terse",
  prompt: (sample) => Effect.succeed(tersePrompt(sample))
}

/** What the pipeline reports: each model's accuracy with its interval, and the paired McNemar test. */
export interface PipelineResult {
  readonly accuracy: Record<string, { readonly value: number; readonly ci95: readonly [number, number] }>
  readonly mcnemar: McNemar.Result
  readonly out: string
}

/**
 * 3. Runs two models over the first `limit` cases with the runner (resumable run folder, response
 * cache, bounded concurrency), then 4. compares them on the same cases with the exact McNemar test.
 */
export const run = (options: {
  readonly models: readonly [string, string]
  readonly out: string
  readonly limit?: number
  readonly ollamaHost?: string
}): Effect.Effect<PipelineResult, Runner.RunFailure> =>
  Effect.gen(function* () {
    const result = yield* Runner.run(
      // Only what differs from the CLI's defaults: the task, the two models, where to write, and the size.
      Runner.makeConfig(
        { task, models: [...options.models], out: options.out },
        {
          evaluator: "custom-pipeline",
          limit: options.limit ?? 20,
          maxTokens: 64,
          useCache: false,
          command: ["custom-pipeline"],
          tool: { name: "custom-pipeline-example", version: "0.0.0", gitCommit: null }
        }
      )
    )
    const [a, b] = options.models
    const correct = (model: string) =>
      result.records
        .filter((r) => r.model === model)
        .sort((x, y) => x.index - y.index)
        .map((r) => r.scores["correct"] === 1)
    const accuracy = Object.fromEntries(
      options.models.map((m) => {
        const acc = Accuracy.accuracy(correct(m))
        return [m, { value: acc.value, ci95: acc.ci95 }]
      })
    )
    return { accuracy, mcnemar: McNemar.test(correct(a), correct(b)), out: options.out } satisfies PipelineResult
  }).pipe(
    Effect.provide(
      Layer.mergeAll(
        ModelResolver.layer({
          ...(options.ollamaHost === undefined ? {} : { ollamaHost: options.ollamaHost }),
          timeoutSeconds: 30,
          retries: 1
        }),
        ResponseCache.layerDisabled,
        Progress.layerSilent,
        NodeFileSystem.layer
      )
    )
  )
