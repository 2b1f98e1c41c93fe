import * as Schema from "effect/Schema"

/**
 * A metric's value with its 95% interval (null where an interval makes no sense, e.g. a count).
 *
 * @since 0.1.0
 */
export const MetricValue = Schema.Struct({
  value: Schema.Number,
  ci95: Schema.NullOr(Schema.Tuple(Schema.Number, Schema.Number))
})
export type MetricValue = typeof MetricValue.Type

const MetricMap = Schema.Record({ key: Schema.String, value: MetricValue })

/** One group of a breakdown (e.g. source = NEJM): its size and its metrics. */
export const GroupSummary = Schema.Struct({ n: Schema.Int, metrics: MetricMap })

/**
 * Counts every evaluator reports the same way: samples finished or failed, and answers by parse status.
 */
export const Counts = Schema.Struct({
  ok: Schema.Int,
  error: Schema.Int,
  unparsed: Schema.Int,
  ambiguous: Schema.Int,
  invalid_option: Schema.Int,
  invalid_output: Schema.Int,
  truncated: Schema.Int,
  cached: Schema.Int
})
export type Counts = typeof Counts.Type

/** One model's summary: `n` samples, every metric as `{ value, ci95 }`, counts, and breakdowns by group. */
export const ModelSummary = Schema.Struct({
  model: Schema.String,
  digest: Schema.NullOr(Schema.String),
  n: Schema.Int,
  metrics: MetricMap,
  counts: Counts,
  groups: Schema.Record({ key: Schema.String, value: Schema.Record({ key: Schema.String, value: GroupSummary }) })
})
export type ModelSummary = typeof ModelSummary.Type

/**
 * summary.json: the evaluator, the task, and one summary per model keyed by the model's spec.
 *
 * @since 0.1.0
 */
export const Summary = Schema.Struct({
  evaluator: Schema.String,
  task: Schema.String,
  dataset: Schema.String,
  complete: Schema.Boolean,
  models: Schema.Record({ key: Schema.String, value: ModelSummary })
})
export type Summary = typeof Summary.Type
