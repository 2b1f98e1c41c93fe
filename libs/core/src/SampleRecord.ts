import * as Schema from "effect/Schema"
import { ChatMessage } from "./ChatMessage.js"
import { ParseStatus } from "./Score.js"

/**
 * One line of samples.jsonl: one sample evaluated by one model. The fields named in the output contract
 * (`id`, `model`, `status`, `parse_status`, `prediction`, `reference`, `scores`, `raw`, `error`,
 * `latencyMs`, `cached`, token counts) are the runner's and the same for every task; a task adds only
 * its own score names and its `groups`.
 *
 * @since 0.1.0
 */
export class SampleRecord extends Schema.Class<SampleRecord>("SampleRecord")({
  id: Schema.String,
  /** Position of the sample in the dataset, so that files list samples in dataset order. */
  index: Schema.Int,
  model: Schema.String,
  modelDigest: Schema.NullOr(Schema.String),
  status: Schema.Literal("ok", "error"),
  parse_status: Schema.NullOr(ParseStatus),
  prediction: Schema.NullOr(Schema.String),
  reference: Schema.Unknown,
  scores: Schema.Record({ key: Schema.String, value: Schema.Number }),
  explanation: Schema.NullOr(Schema.String),
  raw: Schema.NullOr(Schema.String),
  thinking: Schema.NullOr(Schema.String),
  finishReason: Schema.NullOr(Schema.String),
  truncated: Schema.Boolean,
  error: Schema.NullOr(Schema.String),
  errorType: Schema.NullOr(Schema.String),
  latencyMs: Schema.NullOr(Schema.Number),
  cached: Schema.Boolean,
  promptTokens: Schema.NullOr(Schema.Int),
  completionTokens: Schema.NullOr(Schema.Int),
  /**
   * The server that answered (`ollama:` and `openai:` models; with several hosts, the one this sample went
   * to). Absent for baselines and failed calls; for a cached answer, the server of the original call.
   */
  host: Schema.optional(Schema.String),
  groups: Schema.Record({ key: Schema.String, value: Schema.String }),
  messages: Schema.Array(ChatMessage),
  /**
   * Task-specific facts about this sample, by name: what the prompt left out, the scorers' details
   * (e.g. `unsupported`: the summary's items found nowhere in the source).
   */
  details: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.Unknown }), { default: () => ({}) })
}) {}

/** Decodes and encodes one samples.jsonl line. */
export const SampleRecordJson = Schema.parseJson(SampleRecord)
