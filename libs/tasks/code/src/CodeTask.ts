import type { Task } from "@clinical-evals/core"
import * as Effect from "effect/Effect"
import { fileURLToPath } from "node:url"
import * as CodeAnswer from "./CodeAnswer.js"
import * as CodeDataset from "./CodeDataset.js"
import * as CodeMetrics from "./CodeMetrics.js"
import * as CodePrompt from "./CodePrompt.js"
import type { CodeSample } from "./CodeSample.js"
import * as CodeScore from "./CodeScore.js"
import * as DictionaryCoder from "./DictionaryCoder.js"

/**
 * The bundled synthetic discharge summaries with their ICD-10-CM codes, used when no dataset is given.
 *
 * @since 0.1.0
 */
export const defaultDataset = fileURLToPath(new URL("../data/notes.jsonl", import.meta.url))

/**
 * The bundled synthetic pool of few-shot examples, disjoint from {@link defaultDataset}.
 *
 * @since 0.1.0
 */
export const defaultShotsFile = fileURLToPath(new URL("../data/shots.jsonl", import.meta.url))

/**
 * The model used when `--model` is not given: the dictionary coder, which needs no server.
 *
 * @since 0.1.0
 */
export const DEFAULT_MODEL = "baseline:dictionary"

/**
 * ICD-10-CM clinical coding of discharge summaries, as CLUE's MeDiSumCode: the model lists the codes
 * of the diagnoses; exact and approximate (3-character category) precision, recall and F1 averaged per
 * note, and the share of predicted codes that exist in ICD-10-CM FY2026 (a hallucination measure).
 *
 * @since 0.1.0
 */
export const CodeTask: Task.Task<CodeSample> = {
  name: "code",
  description:
    "ICD-10-CM coding of discharge summaries (CLUE MeDiSumCode): exact and category-level precision, recall and F1 " +
    "per note, and the valid-code ratio.",
  defaultDataset,
  defaultShotsFile,
  load: (path, options) => CodeDataset.load(path, options),
  scan: (path, options, onSample) => CodeDataset.scan(path, options, onSample),
  prompt: (sample, context) => Effect.succeed(CodePrompt.messages(sample, context.shots)),
  parse: (_sample, generation) => Effect.sync(() => CodeAnswer.read(generation.text, { truncated: generation.truncated })),
  score: (sample, parsed) => Effect.sync(() => CodeScore.scores(sample, parsed)),
  reference: (sample) => sample.codes,
  groups: () => ({}),
  aggregate: (records) => Effect.sync(() => CodeMetrics.aggregate(records)),
  baselines: { dictionary: DictionaryCoder.baseline },
  defaultModel: DEFAULT_MODEL
}
