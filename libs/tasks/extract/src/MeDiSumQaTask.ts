import { ChatMessage, type SampleRecord, Score, type Task } from "@clinical-evals/core"
import { Rouge, TokenF1 } from "@clinical-evals/metrics"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { fileURLToPath } from "node:url"
import * as Records from "./internal/records.js"
import * as Summary from "./internal/summary.js"
import { contentWords, lastUser, section } from "./internal/text.js"

const Text = Schema.Trim.pipe(Schema.nonEmptyString({ message: () => "must not be empty" }))
const Id = Schema.Union(Schema.String, Schema.Int).pipe(
  Schema.transform(Schema.String, { strict: true, decode: (v) => String(v).trim(), encode: (s) => s })
)

/**
 * One MeDiSumQA record as distributed (JSONL or CSV): `discharge_summary`, `Question`, `Answer`, with an
 * optional `id` (else `<file stem>-<index>`) and `category` (a label to break results down by).
 *
 * @since 0.1.0
 */
export const MeDiSumQaRecord = Schema.Struct({
  id: Schema.optional(Id),
  discharge_summary: Text,
  Question: Text,
  Answer: Text,
  category: Schema.optional(Schema.String)
})

/**
 * A question about a discharge summary, with its reference free-text answer.
 *
 * @since 0.1.0
 */
export interface MeDiSumQaSample {
  readonly id: string
  readonly summary: string
  readonly question: string
  readonly answer: string
  readonly category?: string
}

/** The markers of the prompt, which the baseline reads back. */
const SUMMARY = "Discharge summary:\n"
const QUESTION = "\n\nQuestion: "
const CLOSING = "\n\nAnswer the question in one or two sentences, using only the discharge summary."

/**
 * The system message.
 *
 * @since 0.1.0
 */
export const SYSTEM_PROMPT =
  "You are a clinician answering questions about a patient's hospital discharge summary. Answer briefly and " +
  "only from what the summary says."

/**
 * The user message for one sample: the summary, the question, the instruction.
 *
 * @since 0.1.0
 */
export const userMessage = (s: MeDiSumQaSample): string => `${SUMMARY}${s.summary}${QUESTION}${s.question}${CLOSING}`

/**
 * The chat: the system message, each example as a user / assistant turn (its reference answer), the sample.
 *
 * @since 0.1.0
 */
export const messages = (s: MeDiSumQaSample, shots: ReadonlyArray<MeDiSumQaSample>): ReadonlyArray<ChatMessage.ChatMessage> => [
  ChatMessage.system(SYSTEM_PROMPT),
  ...shots.flatMap((shot) => [ChatMessage.user(userMessage(shot)), ChatMessage.assistant(shot.answer)]),
  ChatMessage.user(userMessage(s))
]

/** The sentences of a text: split after `.`, `!` or `?` followed by space, and at line breaks. */
const sentences = (text: string): Array<string> =>
  text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s !== "")

/**
 * The `sentence` baseline: the summary's sentence sharing the most distinct content words with the
 * question (ties: the earliest sentence).
 *
 * @since 0.1.0
 */
export const sentenceBaseline = (chat: ReadonlyArray<{ readonly role: string; readonly content: string }>): string => {
  const text = lastUser(chat)
  const summary = section(text, SUMMARY, QUESTION)
  const question = section(text, QUESTION.trimStart(), CLOSING.trim())
  if (summary === undefined || question === undefined) return "No discharge summary was found in the prompt."
  const asked = new Set(contentWords(question))
  let best = ""
  let bestOverlap = -1
  for (const sentence of sentences(summary)) {
    const overlap = new Set(contentWords(sentence).filter((w) => asked.has(w))).size
    if (overlap > bestOverlap) {
      best = sentence
      bestOverlap = overlap
    }
  }
  return best
}

/**
 * The score names: ROUGE-1, -2, -L and -Lsum F-measures (rouge_score 0.1.2 with its Porter stemmer)
 * and SQuAD token F1, each of the answer against the reference.
 *
 * @since 0.1.0
 */
export const SCORES = ["rouge1", "rouge2", "rougeL", "rougeLsum", "token_f1"] as const

/** Reads the answer: the reply without a leading `Answer:` label; an empty reply is unparsed. */
const parse = (text: string): Score.ParsedAnswer => {
  const answer = text.trim().replace(/^(?:\*\*)?(?:final\s+)?answer\s*:(?:\*\*)?\s*/i, "").trim()
  return answer === ""
    ? new Score.ParsedAnswer({ status: "unparsed", answer: null, explanation: "the reply is empty" })
    : new Score.ParsedAnswer({ status: "ok", answer, explanation: "the reply as the answer" })
}

const score = (s: MeDiSumQaSample, parsed: Score.ParsedAnswer): Record<string, Score.Score> => {
  const answer = parsed.status === "ok" ? parsed.answer ?? "" : ""
  const rouge = Rouge.score(answer, s.answer, { stem: true })
  const f1 = TokenF1.score(answer, s.answer).f1
  const make = (value: number, what: string) =>
    new Score.Score({
      value: parsed.status === "ok" ? value : 0,
      answer: parsed.answer,
      parseStatus: parsed.status,
      explanation: parsed.status === "ok" ? `${what} ${value.toFixed(3)} against the reference` : `${parsed.status}: ${parsed.explanation}`
    })
  return {
    rouge1: make(rouge.rouge1.fmeasure, "ROUGE-1 F"),
    rouge2: make(rouge.rouge2.fmeasure, "ROUGE-2 F"),
    rougeL: make(rouge.rougeL.fmeasure, "ROUGE-L F"),
    rougeLsum: make(rouge.rougeLsum.fmeasure, "ROUGE-Lsum F"),
    token_f1: make(f1, "token F1")
  }
}

/**
 * The task's metrics over the answered records: the mean of each score with its bootstrap 95%
 * interval, and `unparsed_rate` (Wilson); the means also by `category`.
 *
 * @since 0.1.0
 */
export const aggregate = (records: ReadonlyArray<SampleRecord.SampleRecord>): Task.TaskSummary => {
  const answered = records.filter((r) => r.status === "ok")
  const means = (rs: ReadonlyArray<SampleRecord.SampleRecord>) => Summary.defined(Object.fromEntries(SCORES.map((name) => [name, Summary.mean(rs, name)])))
  const categories = Summary.byGroup(answered, "category")
  return {
    metrics: { ...means(answered), unparsed_rate: Summary.rate(answered, "unparsed") },
    groups: categories.length === 0 ? {} : { category: Object.fromEntries(categories.map(([c, rs]) => [c, { n: rs.length, metrics: means(rs) }])) }
  }
}

/** How the files are read: the formats, the record schema and the step to a sample. */
const format: Records.RecordFormat<typeof MeDiSumQaRecord.Type, typeof MeDiSumQaRecord.Encoded, MeDiSumQaSample> = {
  jsonl: "medisumqa-jsonl",
  csv: "medisumqa-csv",
  requiredColumns: ["discharge_summary", "Question", "Answer"],
  schema: MeDiSumQaRecord,
  toSample: (row, fallbackId): Either.Either<MeDiSumQaSample, Records.RecordProblem> =>
    row.id !== undefined && row.id === ""
      ? Either.left({ field: "id", message: "must not be empty" })
      : Either.right({
          id: row.id ?? fallbackId,
          summary: row.discharge_summary,
          question: row.Question,
          answer: row.Answer,
          ...(row.category === undefined || row.category === "" ? {} : { category: row.category })
        })
}

/**
 * Reads MeDiSumQA JSONL or CSV (`medisumqa-jsonl`, `medisumqa-csv`).
 *
 * @since 0.1.0
 */
export const load: Task.Task<MeDiSumQaSample>["load"] = Records.load(format)

/**
 * Streams MeDiSumQA JSONL a record at a time (CSV is read whole, then handed over), with the same
 * samples, skipped records and errors as {@link load}; `chunkSize` sets the bytes read at a time.
 *
 * @since 0.2.0
 */
export const scan: Records.Scan<MeDiSumQaSample> = Records.scan(format)

/**
 * The default number of few-shot examples (as CLUE).
 *
 * @since 0.1.0
 */
export const DEFAULT_SHOTS = 1

/**
 * MeDiSumQA: free-text questions about discharge summaries, answered from the summary, scored with
 * ROUGE and token F1 against the reference answer. 1-shot by default (from a separate pool). Its
 * baseline, `baseline:sentence`, answers with the summary sentence that best overlaps the question.
 *
 * @since 0.1.0
 */
export const MeDiSumQaTask: Task.Task<MeDiSumQaSample> = {
  name: "medisumqa",
  description: "MeDiSumQA: questions about discharge summaries, free-text answers scored with ROUGE and token F1.",
  defaultDataset: fileURLToPath(new URL("../data/medisumqa.jsonl", import.meta.url)),
  defaultShotsFile: fileURLToPath(new URL("../data/medisumqa-shots.jsonl", import.meta.url)),
  defaultShots: DEFAULT_SHOTS,
  load,
  scan,
  prompt: (s, context) => Effect.succeed(messages(s, context.shots)),
  parse: (_, generation) => Effect.sync(() => parse(generation.text)),
  score: (s, parsed) => Effect.sync(() => score(s, parsed)),
  reference: (s) => s.answer,
  groups: (s) => (s.category === undefined ? {} : { category: s.category }),
  aggregate: (records) => Effect.sync(() => aggregate(records)),
  baselines: {
    sentence: {
      description: "answers with the discharge summary's sentence sharing the most content words with the question",
      reply: sentenceBaseline
    }
  },
  defaultModel: "baseline:sentence"
}

