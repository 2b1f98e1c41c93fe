import * as Effect from "effect/Effect"
import type { ModelInfo } from "./LanguageModel.js"
import type { SampleRecord } from "./SampleRecord.js"
import type { Counts, ModelSummary, Summary } from "./Summary.js"
import type { AnyTask } from "./Task.js"

/**
 * The counts every evaluator reports the same way, from one model's records.
 *
 * @since 0.1.0
 */
export const counts = (records: ReadonlyArray<SampleRecord>): Counts => {
  const c = { ok: 0, error: 0, unparsed: 0, ambiguous: 0, invalid_option: 0, invalid_output: 0, truncated: 0, cached: 0 }
  for (const r of records) {
    if (r.status === "ok") c.ok++
    else c.error++
    if (r.parse_status !== null && r.parse_status !== "ok") c[r.parse_status]++
    if (r.truncated) c.truncated++
    if (r.cached) c.cached++
  }
  return c
}

/**
 * summary.json: for each model (in the given order), `n`, the task's metrics with their intervals, the
 * common counts, and the task's breakdowns by group.
 *
 * @since 0.1.0
 */
export const summarize = Effect.fn("Summarize.summarize")(function* (options: {
  readonly task: AnyTask
  readonly evaluator: string
  readonly dataset: string
  readonly models: ReadonlyArray<ModelInfo>
  readonly records: ReadonlyArray<SampleRecord>
  readonly complete: boolean
}) {
  const models: Record<string, ModelSummary> = {}
  for (const info of options.models) {
    const own = options.records.filter((r) => r.model === info.spec)
    const aggregate = yield* options.task.aggregate(own)
    models[info.spec] = {
      model: info.spec,
      digest: info.digest,
      n: own.length,
      metrics: aggregate.metrics,
      counts: counts(own),
      groups: aggregate.groups
    }
  }
  const summary: Summary = {
    evaluator: options.evaluator,
    task: options.task.name,
    dataset: options.dataset,
    complete: options.complete,
    models
  }
  return summary
})
