import { ChatMessage, type SampleRecord, Score, type Task } from "@clinical-evals/core"
import { Accuracy, ConfusionMatrix } from "@clinical-evals/metrics"
import { LabelAnswer } from "@clinical-evals/parsers"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { fileURLToPath } from "node:url"
import * as Records from "./internal/records.js"
import * as Summary from "./internal/summary.js"
import { contentWords, lastUser, section } from "./internal/text.js"

/**
 * The three MedNLI labels.
 *
 * @since 0.1.0
 */
export const LABELS = ["entailment", "contradiction", "neutral"] as const
export const Label = Schema.Literal(...LABELS)
export type Label = typeof Label.Type

const Text = Schema.Trim.pipe(Schema.nonEmptyString({ message: () => "must not be empty" }))

/**
 * One MedNLI record as distributed (`mli_*_v1.jsonl`): `sentence1` (the premise), `sentence2` (the
 * hypothesis), `gold_label`, and `pairID` (else `id`, else `<file stem>-<index>`). Other fields (the
 * parses) are ignored.
 *
 * @since 0.1.0
 */
export const MedNliRecord = Schema.Struct({
  pairID: Schema.optional(Text),
  id: Schema.optional(Text),
  sentence1: Text,
  sentence2: Text,
  gold_label: Label
})

/**
 * A premise / hypothesis pair and its gold label.
 *
 * @since 0.1.0
 */
export interface MedNliSample {
  readonly id: string
  readonly premise: string
  readonly hypothesis: string
  readonly label: Label
}

const PREMISE = "Premise: "
const HYPOTHESIS = "\nHypothesis: "
const CLOSING =
  "\n\nDoes the premise entail the hypothesis, contradict it, or neither? Reply with exactly one word: entailment, contradiction or neutral."

/**
 * The system message.
 *
 * @since 0.1.0
 */
export const SYSTEM_PROMPT =
  "You are a clinician judging natural language inference between two statements from clinical notes: whether " +
  "the first (the premise) entails the second (the hypothesis), contradicts it, or neither (neutral)."

/**
 * The user message for one pair.
 *
 * @since 0.1.0
 */
export const userMessage = (s: MedNliSample): string => `${PREMISE}${s.premise}${HYPOTHESIS}${s.hypothesis}${CLOSING}`

/**
 * The chat: the system message, each example as a user / assistant turn (its label), then the pair.
 *
 * @since 0.1.0
 */
export const messages = (s: MedNliSample, shots: ReadonlyArray<MedNliSample>): ReadonlyArray<ChatMessage.ChatMessage> => [
  ChatMessage.system(SYSTEM_PROMPT),
  ...shots.flatMap((shot) => [ChatMessage.user(userMessage(shot)), ChatMessage.assistant(shot.label)]),
  ChatMessage.user(userMessage(s))
]

const NEGATION = new Set(["no", "not", "denies", "denied", "without", "negative", "never", "absent", "none"])

const negated = (text: string) => text.toLowerCase().split(/[^a-z]+/).some((w) => NEGATION.has(w))

/**
 * The `overlap` baseline, a word-overlap rule: `contradiction` when exactly one of premise and
 * hypothesis has a negation word (no, not, denies, denied, without, negative, never, absent,
 * none); else `entailment` when at least half of the hypothesis's distinct content words
 * occur in the premise; else `neutral`.
 *
 * @since 0.1.0
 */
export const overlapBaseline = (chat: ReadonlyArray<{ readonly role: string; readonly content: string }>): string => {
  const text = lastUser(chat)
  const premise = section(text, PREMISE, HYPOTHESIS)
  const hypothesis = section(text, HYPOTHESIS.trimStart(), CLOSING.trim())
  if (premise === undefined || hypothesis === undefined) return "No premise and hypothesis were found in the prompt."
  if (negated(premise) !== negated(hypothesis)) return "contradiction"
  const words = new Set(contentWords(hypothesis))
  const inPremise = new Set(contentWords(premise))
  const shared = [...words].filter((w) => inPremise.has(w)).length
  return words.size > 0 && shared / words.size >= 0.5 ? "entailment" : "neutral"
}

/**
 * The score name: 1 when the label read by CLUE's rule is the gold label, else 0.
 *
 * @since 0.1.0
 */
export const CORRECT = "correct"

const score = (s: MedNliSample, parsed: Score.ParsedAnswer): Score.Score => {
  const right = parsed.status === "ok" && parsed.answer === s.label
  return new Score.Score({
    value: right ? 1 : 0,
    answer: parsed.answer,
    parseStatus: parsed.status,
    explanation:
      parsed.status !== "ok" ? `${parsed.status}: ${parsed.explanation}; gold ${s.label}` : `${parsed.answer}, gold ${s.label}`
  })
}

/**
 * The task's metrics over the answered records:
 * - `accuracy` (the mean of `correct`: CLUE's score), Wilson 95% interval;
 * - `f1_entailment`, `f1_contradiction`, `f1_neutral` and their mean `macro_f1`, from the confusion
 *   matrix of read labels against gold (an unread answer predicts no class), without interval;
 * - `unparsed_rate`, `ambiguous_rate` (Wilson);
 * and accuracy by `gold_label` (each class's recall).
 *
 * @since 0.1.0
 */
export const aggregate = (records: ReadonlyArray<SampleRecord.SampleRecord>): Task.TaskSummary => {
  const answered = records.filter((r) => r.status === "ok")
  const accuracyOf = (rs: ReadonlyArray<SampleRecord.SampleRecord>) => {
    const a = Accuracy.accuracy(rs.map((r) => r.scores[CORRECT] === 1))
    return { value: a.value, ci95: a.ci95 }
  }
  const NONE = "(none)"
  const predicted = answered.map((r) => (r.parse_status === "ok" && r.prediction !== null ? r.prediction : NONE))
  const gold = answered.map((r) => String(r.reference))
  const perClass = ConfusionMatrix.perClass(ConfusionMatrix.make(predicted, gold, [...LABELS, NONE])).filter((c) => c.label !== NONE)
  const f1 = Object.fromEntries(perClass.map((c) => [`f1_${c.label}`, { value: c.f1, ci95: null }]))
  const macro = perClass.reduce((sum, c) => sum + c.f1, 0) / perClass.length
  return {
    metrics: {
      accuracy: accuracyOf(answered),
      macro_f1: { value: answered.length === 0 ? 0 : macro, ci95: null },
      ...f1,
      unparsed_rate: Summary.rate(answered, "unparsed"),
      ambiguous_rate: Summary.rate(answered, "ambiguous")
    },
    groups: {
      gold_label: Object.fromEntries(
        Summary.byGroup(answered, "gold_label").map(([label, rs]) => [label, { n: rs.length, metrics: { accuracy: accuracyOf(rs) } }])
      )
    }
  }
}

/** How the files are read: the formats, the record schema and the step to a sample. */
const format: Records.RecordFormat<typeof MedNliRecord.Type, typeof MedNliRecord.Encoded, MedNliSample> = {
  jsonl: "mednli-jsonl",
  schema: MedNliRecord,
  toSample: (row, fallbackId): Either.Either<MedNliSample, Records.RecordProblem> =>
    Either.right({ id: row.pairID ?? row.id ?? fallbackId, premise: row.sentence1, hypothesis: row.sentence2, label: row.gold_label })
}

/**
 * Reads MedNLI JSON Lines (`mednli-jsonl`).
 *
 * @since 0.1.0
 */
export const load: Task.Task<MedNliSample>["load"] = Records.load(format)

/**
 * Streams MedNLI JSON Lines a record at a time, with the same samples, skipped records and errors
 * as {@link load}; `chunkSize` sets the bytes read at a time.
 *
 * @since 0.2.0
 */
export const scan: Records.Scan<MedNliSample> = Records.scan(format)

/**
 * The default number of few-shot examples (as CLUE).
 *
 * @since 0.1.0
 */
export const DEFAULT_SHOTS = 3

/**
 * MedNLI: natural language inference on clinical sentences, scored as CLUE does (the label counts when
 * it appears exactly once in the upper-cased reply), with accuracy and per-class F1. 3-shot by default
 * (from a separate pool). Its baseline, `baseline:overlap`, is a negation and word-overlap rule.
 *
 * @since 0.1.0
 */
export const MedNliTask: Task.Task<MedNliSample> = {
  name: "mednli",
  description: "MedNLI: entailment, contradiction or neutral between clinical sentences; accuracy and per-class F1.",
  defaultDataset: fileURLToPath(new URL("../data/mednli.jsonl", import.meta.url)),
  defaultShotsFile: fileURLToPath(new URL("../data/mednli-shots.jsonl", import.meta.url)),
  defaultShots: DEFAULT_SHOTS,
  load,
  scan,
  prompt: (s, context) => Effect.succeed(messages(s, context.shots)),
  parse: (_, generation) => Effect.sync(() => LabelAnswer.clue(generation.text, LABELS, { truncated: generation.truncated })),
  score: (s, parsed) => Effect.sync(() => ({ [CORRECT]: score(s, parsed) })),
  reference: (s) => s.label,
  groups: (s) => ({ gold_label: s.label }),
  aggregate: (records) => Effect.sync(() => aggregate(records)),
  baselines: {
    overlap: {
      description: "contradiction on a negation mismatch, entailment when half the hypothesis's words are in the premise, else neutral",
      reply: overlapBaseline
    }
  },
  defaultModel: "baseline:overlap"
}

