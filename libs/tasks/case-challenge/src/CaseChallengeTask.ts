import type { Task } from "@clinical-evals/core"
import * as Effect from "effect/Effect"
import { fileURLToPath } from "node:url"
import { ChoiceAnswer as AnswerExtractor } from "@clinical-evals/parsers"
import * as CaseDataset from "./CaseDataset.js"
import * as CaseMetrics from "./CaseMetrics.js"
import * as CasePrompt from "./CasePrompt.js"
import type { CaseSample } from "./CaseSample.js"
import * as CaseScore from "./CaseScore.js"

/**
 * The bundled synthetic cases (30 NEJM-style, 30 JAMA-style), used when no dataset is given.
 *
 * @since 0.1.0
 */
export const defaultDataset = fileURLToPath(new URL("../data/cases.jsonl", import.meta.url))

/**
 * The bundled synthetic pool of few-shot examples, disjoint from {@link defaultDataset}.
 *
 * @since 0.1.0
 */
export const defaultShotsFile = fileURLToPath(new URL("../data/shots.jsonl", import.meta.url))

/**
 * Clinical case challenges as multiple choice, text only, in the style of the NEJM image/case
 * challenges ("What is the diagnosis?", 5 options) and the JAMA Clinical Challenge ("What would you do
 * next?", 4 options). Also reads ChallengeClinicalQA / Medbullets tables and MedQA JSONL.
 *
 * @since 0.1.0
 */
export const CaseChallengeTask: Task.Task<CaseSample> = {
  name: "case-challenge",
  description: "Clinical case challenges (NEJM- and JAMA-style) as multiple choice: accuracy by source and category.",
  defaultDataset,
  defaultShotsFile,
  load: (path, options) => CaseDataset.load(path, options),
  scan: (path, options, onSample) => CaseDataset.scan(path, options, onSample),
  prompt: (sample, context) => Effect.succeed(CasePrompt.messages(sample, context.shots)),
  parse: (sample, generation) =>
    Effect.sync(() => AnswerExtractor.extract(generation.text, sample.options, { truncated: generation.truncated })),
  score: (sample, parsed) => Effect.succeed({ [CaseScore.CORRECT]: CaseScore.correct(sample, parsed) }),
  reference: (sample) => sample.answer,
  groups: (sample) => (sample.category === undefined ? { source: sample.source } : { source: sample.source, category: sample.category }),
  aggregate: (records) => Effect.succeed(CaseMetrics.aggregate(records))
}
