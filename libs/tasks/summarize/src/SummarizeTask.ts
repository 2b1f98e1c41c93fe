import { type Embedder, EvalError, type Task } from "@clinical-evals/core"
import * as Effect from "effect/Effect"
import { fileURLToPath } from "node:url"
import * as LeadBaseline from "./LeadBaseline.js"
import * as SummaryAnswer from "./SummaryAnswer.js"
import * as SummaryDataset from "./SummaryDataset.js"
import * as SummaryMetrics from "./SummaryMetrics.js"
import * as SummaryPrompt from "./SummaryPrompt.js"
import type { DatasetKind, SummarySample } from "./SummarySample.js"
import * as SummaryScore from "./SummaryScore.js"

const data = (name: string) => fileURLToPath(new URL(`../data/${name}`, import.meta.url))

/**
 * The bundled synthetic datasets, by kind (at least 25 samples each), and their separate few-shot pools.
 *
 * @since 0.1.0
 */
export const BUNDLED: Record<DatasetKind, { readonly dataset: string; readonly shots: string }> = {
  meqsum: { dataset: data("meqsum.jsonl"), shots: data("meqsum-shots.jsonl") },
  "problem-summary": { dataset: data("problem-summary.csv"), shots: data("problem-summary-shots.csv") },
  jsonl: { dataset: data("notes.jsonl"), shots: data("notes-shots.jsonl") }
}

/**
 * How to build the task: the prompt style and bundled data (`--task`), ROUGE stemming (`--stem`), and
 * an embedder for `embedding_cosine` (`--embed-model`).
 *
 * @since 0.1.0
 */
export interface Options {
  readonly style: DatasetKind
  readonly stem?: boolean
  readonly embedder?: Embedder.EmbedderShape | undefined
}

const KIND_NAMES: Record<DatasetKind, string> = {
  meqsum: "a MeQSum file",
  "problem-summary": "a Problem Summary file",
  jsonl: "a file in the project's own format"
}

/**
 * A summarization task, after CLUE's MeQSum and Problem Summary evaluations: k-shot prompts with
 * examples from a separate pool, ROUGE-1/2/L/Lsum per sample, corpus BLEU and chrF, the share of
 * unsupported items (`unsupported_rate`), optionally `embedding_cosine`, and the `lead` baseline.
 * Named `summarize-<style>`.
 *
 * A MeQSum file cannot be evaluated with the Problem Summary prompt, nor the reverse (the load fails
 * and says which style to choose); the project's own format goes with any style, and the `jsonl`
 * style takes any file.
 *
 * @since 0.1.0
 */
export const make = (options: Options): Task.Task<SummarySample> => {
  const name = `summarize-${options.style}`
  const style = SummaryPrompt.STYLES[options.style]
  const scoreOptions: SummaryScore.ScoreOptions = { task: name, stem: options.stem ?? false, embedder: options.embedder }
  const accepts = (kind: DatasetKind) => kind === "jsonl" || options.style === "jsonl" || kind === options.style
  const wrongKind = (file: string, kind: DatasetKind) =>
    new EvalError.DatasetError({
      file,
      line: null,
      field: null,
      message: `this is ${KIND_NAMES[kind]}, but the prompts are for ${options.style}: choose --task ${kind}`
    })
  return {
    name,
    description: `Summarization (${options.style} prompts): ROUGE, BLEU, chrF, unsupported items${options.embedder ? ", embedding cosine" : ""}.`,
    defaultDataset: BUNDLED[options.style].dataset,
    defaultShotsFile: BUNDLED[options.style].shots,
    load: (path, loadOptions) =>
      SummaryDataset.load(path, loadOptions).pipe(
        Effect.flatMap((dataset) => (accepts(dataset.kind) ? Effect.succeed(dataset) : Effect.fail(wrongKind(path, dataset.kind))))
      ),
    scan: (path, loadOptions, onSample) =>
      SummaryDataset.scan(path, loadOptions, onSample, accepts).pipe(
        Effect.flatMap((result) => (accepts(result.kind) ? Effect.succeed(result) : Effect.fail(wrongKind(path, result.kind))))
      ),
    prompt: (sample, context) => Effect.succeed(SummaryPrompt.messages(sample, context.shots, style)),
    parse: (_, generation) => Effect.sync(() => SummaryAnswer.read(generation.text, generation.truncated)),
    score: (sample, parsed) => SummaryScore.scores(sample, parsed, scoreOptions),
    reference: (sample) => sample.reference,
    groups: () => ({}),
    aggregate: (records) => Effect.sync(() => SummaryMetrics.aggregate(records)),
    baselines: {
      lead: {
        description:
          "the first sentences of the source, up to the median length of the prompt's example summaries " +
          "(without examples: 12 words for MeQSum, 20 for Problem Summary, 40 otherwise)",
        reply: (messages) => LeadBaseline.reply(messages, options.style)
      }
    },
    defaultModel: "baseline:lead"
  }
}
