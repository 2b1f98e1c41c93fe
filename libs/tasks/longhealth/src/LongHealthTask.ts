import type { Task } from "@clinical-evals/core"
import * as Effect from "effect/Effect"
import { fileURLToPath } from "node:url"
import * as LongHealthAnswer from "./LongHealthAnswer.js"
import * as LongHealthBaseline from "./LongHealthBaseline.js"
import type { Variant } from "./LongHealthContext.js"
import * as LongHealthDataset from "./LongHealthDataset.js"
import * as LongHealthMetrics from "./LongHealthMetrics.js"
import * as LongHealthPrompt from "./LongHealthPrompt.js"
import * as LongHealthRetrieval from "./LongHealthRetrieval.js"
import type { LongHealthSample } from "./LongHealthSample.js"
import * as LongHealthScore from "./LongHealthScore.js"

/**
 * The default token budget of a prompt (estimated, see `LongHealthContext.estimateTokens`): 8,000.
 *
 * @since 0.1.0
 */
export const DEFAULT_CONTEXT_TOKENS = 8000

/**
 * The bundled synthetic LongHealth-format file (fictional patients written for this project), used
 * when no dataset is given.
 *
 * @since 0.1.0
 */
export const defaultDataset = fileURLToPath(new URL("../data/longhealth-synthetic.json", import.meta.url))

/**
 * What each task is, for `description`.
 *
 * @since 0.1.0
 */
export const descriptions: Record<Variant, string> = {
  1: "LongHealth task 1: questions about one patient, answered from that patient's own documents.",
  2: "LongHealth task 2: the patient's answer documents shuffled among 10 documents of other patients (options A–F).",
  3: "LongHealth task 3: only other patients' documents, so the answer is F (cannot be answered); any other answer is a hallucination."
}

/**
 * What {@link make} takes: the task (1, 2 or 3), the prompt's token budget, and optionally retrieval.
 *
 * @since 0.1.0
 */
export interface Options {
  readonly variant: 1 | 2 | 3
  readonly contextTokens: number
  /** Retrieve the `k` best chunks of the offered documents in place of the whole documents. */
  readonly retrieval?: LongHealthRetrieval.Retrieval
}

/**
 * A LongHealth task (`longhealth-task1`, `-task2`, `-task3`), its prompts built to `contextTokens`
 * (estimated tokens of the whole prompt, whole documents only, what is left out recorded in the
 * sample's details). Baselines `baseline:passage-overlap` (the default model) and `baseline:first`.
 *
 * With `retrieval`, the task is named `longhealth-task<n>+rag`: each sample's offered documents are
 * chunked and searched, the top `k` chunks take the place of the documents, and each record keeps the
 * retrieved chunks and `retrievalHit`; the aggregate adds `retrieval_recall` (see
 * `LongHealthRetrieval.prompt` and `LongHealthMetrics.aggregate`).
 *
 * @since 0.1.0
 */
export const make = (options: Options): Task.Task<LongHealthSample> => {
  const { variant, contextTokens, retrieval } = options
  const name = retrieval === undefined ? `longhealth-task${variant}` : `longhealth-task${variant}+rag`
  return {
    name,
    description:
      retrieval === undefined
        ? descriptions[variant]
        : `${descriptions[variant]} With retrieval: the ${retrieval.k} best chunks (${retrieval.retriever.name}) in place of the documents.`,
    defaultDataset,
    defaultShotsFile: null,
    load: (path, loadOptions) => LongHealthDataset.load(path, loadOptions),
    prompt: (sample) =>
      retrieval === undefined
        ? LongHealthPrompt.prompt(sample, variant, contextTokens)
        : LongHealthRetrieval.prompt(name, sample, variant, contextTokens, retrieval),
    parse: (sample, generation) =>
      Effect.sync(() =>
        LongHealthAnswer.parse(generation.text, LongHealthPrompt.optionsFor(sample, variant), { truncated: generation.truncated })
      ),
    score: (sample, parsed) => Effect.succeed(LongHealthScore.scores(sample, variant, parsed)),
    reference: (sample) => LongHealthPrompt.expectedLetter(sample, variant),
    groups: (sample) => ({ patient: sample.patient }),
    aggregate: (records) => Effect.succeed(LongHealthMetrics.aggregate(records, variant, { retrieval: retrieval !== undefined })),
    baselines: LongHealthBaseline.baselines,
    defaultModel: "baseline:passage-overlap"
  }
}
