import { ChatMessage, DatasetReader, type SampleRecord, Score, type Task } from "@clinical-evals/core"
import { Proportion } from "@clinical-evals/metrics"
import { JsonAnswer } from "@clinical-evals/parsers"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { fileURLToPath } from "node:url"
import * as FieldSchema from "./FieldSchema.js"
import * as FieldScore from "./FieldScore.js"
import * as PatternMatcher from "./internal/patternMatcher.js"
import * as Records from "./internal/records.js"
import * as Summary from "./internal/summary.js"
import { lastUser, section } from "./internal/text.js"

const Text = Schema.Trim.pipe(Schema.nonEmptyString({ message: () => "must not be empty" }))

/**
 * One record of the project's structured-extraction format (JSON Lines): `id`, `note` (the clinical
 * text), `schema` (a JSON schema in the subset of {@link FieldSchema.decode}, an object at the top),
 * `answer` (the gold JSON, valid against the schema), optional `category`.
 *
 * @since 0.1.0
 */
export const StructuredRecord = Schema.Struct({
  id: Text,
  note: Text,
  schema: Schema.Unknown,
  answer: Schema.Unknown,
  category: Schema.optional(Schema.String)
})

/**
 * A note, the fields wanted (the schema as written and decoded) and the gold answer.
 *
 * @since 0.1.0
 */
export interface StructuredSample {
  readonly id: string
  readonly note: string
  readonly schema: Record<string, unknown>
  readonly field: FieldSchema.Field
  readonly answer: unknown
  readonly category?: string
}

const NOTE = "Clinical note:\n"
const SCHEMA = "\n\nJSON schema of the fields to extract:\n"
const CLOSING = "\n\nReply with the JSON object only."

/**
 * The system message.
 *
 * @since 0.1.0
 */
export const SYSTEM_PROMPT =
  "You extract structured data from clinical notes. Reply with one JSON object matching the given JSON schema. " +
  "Use only what the note states, copying values as written; use null for a value the note does not give and an " +
  "empty list when it lists nothing."

/**
 * The user message for one sample: the note, the schema (pretty-printed), the instruction.
 *
 * @since 0.1.0
 */
export const userMessage = (s: StructuredSample): string =>
  `${NOTE}${s.note}${SCHEMA}${JSON.stringify(s.schema, null, 2)}${CLOSING}`

/**
 * The prompt: the system message, each example as a user / assistant turn (its gold JSON), the
 * sample; and the generation option `format` set to the sample's schema, so that Ollama constrains
 * the reply to it.
 *
 * @since 0.1.0
 */
export const prompt = (s: StructuredSample, shots: ReadonlyArray<StructuredSample>): Task.Prompt => ({
  messages: [
    ChatMessage.system(SYSTEM_PROMPT),
    ...shots.flatMap((shot) => [ChatMessage.user(userMessage(shot)), ChatMessage.assistant(JSON.stringify(shot.answer))]),
    ChatMessage.user(userMessage(s))
  ],
  options: { format: s.schema }
})

/**
 * The `pattern` baseline: reads the note and the schema back from the prompt and fills each field by
 * patterns (see the docs: labelled values such as `Allergies: …`, `HR 88`, `BP 128/76`, `54-year-old`).
 *
 * @since 0.1.0
 */
export const patternBaseline = (chat: ReadonlyArray<{ readonly role: string; readonly content: string }>): string => {
  const text = lastUser(chat)
  const note = section(text, NOTE, SCHEMA)
  const schemaText = section(text, SCHEMA.trimStart(), CLOSING.trim())
  const field = schemaText === undefined ? undefined : Either.getOrUndefined(Either.try(() => JSON.parse(schemaText)).pipe(Either.flatMap((s) => FieldSchema.decode(s))))
  if (note === undefined || field === undefined) return "No note and schema were found in the prompt."
  return JSON.stringify(PatternMatcher.extract(field, note))
}

/**
 * Reads the reply: JSON (bare, fenced or the first balanced object), then validated against the
 * sample's schema with Effect Schema. Not JSON, or JSON that does not fit the schema, is
 * `invalid_output` with the reason; the answer is the validated JSON.
 *
 * @since 0.1.0
 */
export const parse = (s: StructuredSample, text: string, truncated: boolean): Score.ParsedAnswer => {
  const found = JsonAnswer.read(text)
  const cut = truncated ? " (the reply was cut off at the token limit)" : ""
  if (found._tag === "Invalid") return new Score.ParsedAnswer({ status: "invalid_output", answer: null, explanation: found.explanation + cut })
  const valid = FieldSchema.validate(s.field, found.value)
  if (Either.isLeft(valid)) {
    const where = valid.left.path === "" ? "" : ` at ${valid.left.path}`
    return new Score.ParsedAnswer({
      status: "invalid_output",
      answer: null,
      explanation: `the JSON does not fit the schema${where}: ${valid.left.message}${cut}`
    })
  }
  return new Score.ParsedAnswer({ status: "ok", answer: JSON.stringify(valid.right), explanation: `JSON read (${found.source}) and valid against the schema` })
}

/**
 * The score names.
 *
 * @since 0.1.0
 */
export const SCORES = {
  fieldExact: "field_exact",
  fieldNormalized: "field_normalized",
  listPrecision: "list_precision",
  listRecall: "list_recall",
  listF1: "list_f1",
  fieldScore: "field_score",
  hallucinated: "hallucinated_value_rate"
} as const

/**
 * Scores one answer (see {@link FieldScore.score}): `field_exact` and `field_normalized` (scalar
 * fields), `list_precision`, `list_recall`, `list_f1` (list fields), `field_score` (every field), each
 * 0 for an invalid answer; and for a valid one `hallucinated_value_rate`, the fraction of its values
 * found nowhere in the note, those values listed in the score's details.
 *
 * @since 0.1.0
 */
export const score = (s: StructuredSample, parsed: Score.ParsedAnswer): Record<string, Score.Score> => {
  const valid = parsed.status === "ok" && parsed.answer !== null
  const predicted: unknown = valid ? JSON.parse(parsed.answer!) : null
  const fields = FieldScore.score(s.field, s.answer, predicted)
  const make = (value: number | undefined, what: string, details?: Record<string, unknown>) =>
    value === undefined
      ? []
      : [
          new Score.Score({
            value: valid ? value : 0,
            answer: parsed.answer,
            parseStatus: parsed.status,
            explanation: valid ? `${what}: ${value.toFixed(3)}` : `${parsed.status}: ${parsed.explanation}`,
            ...(details === undefined ? {} : { details })
          })
        ]
  const out: Record<string, Score.Score> = {}
  const put = (name: string, scores: ReadonlyArray<Score.Score>) => {
    if (scores[0] !== undefined) out[name] = scores[0]
  }
  put(SCORES.fieldExact, make(fields.scalarExact, "scalar fields matching exactly"))
  put(SCORES.fieldNormalized, make(fields.scalarNormalized, "scalar fields matching after normalization"))
  put(SCORES.listPrecision, make(fields.listPrecision, "list items predicted that are in gold"))
  put(SCORES.listRecall, make(fields.listRecall, "gold list items predicted"))
  put(SCORES.listF1, make(fields.listF1, "list item F1"))
  put(SCORES.fieldScore, make(fields.fieldScore, "mean field score", { scalars: fields.scalars, lists: fields.lists }))
  if (valid) {
    const unsupported = FieldScore.unsupportedValues(s.field, predicted, s.note)
    const rate = unsupported.checked === 0 ? 0 : unsupported.hallucinated.length / unsupported.checked
    put(
      SCORES.hallucinated,
      make(rate, `${unsupported.hallucinated.length} of ${unsupported.checked} values found nowhere in the note`, {
        hallucinated: unsupported.hallucinated,
        checked: unsupported.checked
      })
    )
  }
  return out
}

/**
 * The task's metrics over the answered records: the mean of each field score with its bootstrap 95%
 * interval; `invalid_output_rate` (Wilson); `hallucinated_value_rate`, all values found nowhere in
 * the note over all values checked in valid answers (pooled, Wilson); the means also by `category`.
 *
 * @since 0.1.0
 */
export const aggregate = (records: ReadonlyArray<SampleRecord.SampleRecord>): Task.TaskSummary => {
  const answered = records.filter((r) => r.status === "ok")
  const means = (rs: ReadonlyArray<SampleRecord.SampleRecord>) =>
    Summary.defined({
      [SCORES.fieldScore]: Summary.mean(rs, SCORES.fieldScore),
      [SCORES.fieldExact]: Summary.mean(rs, SCORES.fieldExact),
      [SCORES.fieldNormalized]: Summary.mean(rs, SCORES.fieldNormalized),
      [SCORES.listPrecision]: Summary.mean(rs, SCORES.listPrecision),
      [SCORES.listRecall]: Summary.mean(rs, SCORES.listRecall),
      [SCORES.listF1]: Summary.mean(rs, SCORES.listF1)
    })
  let hallucinated = 0
  let checked = 0
  for (const r of answered) {
    const d = r.details[SCORES.hallucinated] as { hallucinated?: ReadonlyArray<string>; checked?: number } | undefined
    hallucinated += d?.hallucinated?.length ?? 0
    checked += d?.checked ?? 0
  }
  const categories = Summary.byGroup(answered, "category")
  return {
    metrics: {
      ...means(answered),
      invalid_output_rate: Summary.rate(answered, "invalid_output"),
      [SCORES.hallucinated]: { value: checked === 0 ? 0 : hallucinated / checked, ci95: Proportion.wilson(hallucinated, checked) }
    },
    groups: categories.length === 0 ? {} : { category: Object.fromEntries(categories.map(([c, rs]) => [c, { n: rs.length, metrics: means(rs) }])) }
  }
}

const { isJsonObject: isObject } = DatasetReader

/** How the files are read: the formats, the record schema and the step to a sample. */
const format: Records.RecordFormat<typeof StructuredRecord.Type, typeof StructuredRecord.Encoded, StructuredSample> = {
  jsonl: "structured-jsonl",
  schema: StructuredRecord,
  toSample: (row): Either.Either<StructuredSample, Records.RecordProblem> => {
    const field = FieldSchema.decode(row.schema)
    if (Either.isLeft(field)) return Either.left({ field: field.left.path === "" ? "schema" : `schema.${field.left.path}`, message: field.left.message })
    if (field.right.kind !== "object" || !isObject(row.schema)) return Either.left({ field: "schema", message: 'the schema must describe an object ("type": "object")' })
    const answer = FieldSchema.validate(field.right, row.answer)
    if (Either.isLeft(answer)) {
      return Either.left({ field: answer.left.path === "" ? "answer" : `answer.${answer.left.path}`, message: `the gold answer does not fit the schema: ${answer.left.message}` })
    }
    return Either.right({
      id: row.id,
      note: row.note,
      schema: row.schema,
      field: field.right,
      answer: answer.right,
      ...(row.category === undefined || row.category === "" ? {} : { category: row.category })
    })
  }
}

/**
 * Reads the project's structured-extraction JSON Lines (`structured-jsonl`): each schema must be in
 * the supported subset with an object at the top, and each answer valid against its schema; a
 * problem names the line and the field inside `schema` or `answer`.
 *
 * @since 0.1.0
 */
export const load: Task.Task<StructuredSample>["load"] = Records.load(format)

/**
 * Streams structured-extraction JSON Lines a record at a time, with the same samples, skipped
 * records and errors as {@link load}; `chunkSize` sets the bytes read at a time.
 *
 * @since 0.2.0
 */
export const scan: Records.Scan<StructuredSample> = Records.scan(format)

/**
 * The default number of few-shot examples.
 *
 * @since 0.1.0
 */
export const DEFAULT_SHOTS = 0

/**
 * Structured extraction, in the project's own format: a note and a JSON schema of the fields wanted;
 * the model answers JSON (Ollama's `format` set to the schema), validated with Effect Schema and scored
 * field by field, invalid JSON and values found nowhere in the note counted. Its baseline,
 * `baseline:pattern`, fills fields by patterns.
 *
 * @since 0.1.0
 */
export const StructuredTask: Task.Task<StructuredSample> = {
  name: "structured",
  description: "Structured extraction: JSON fields from clinical notes, scored field by field; invalid JSON and unsupported values counted.",
  defaultDataset: fileURLToPath(new URL("../data/structured.jsonl", import.meta.url)),
  defaultShotsFile: fileURLToPath(new URL("../data/structured-shots.jsonl", import.meta.url)),
  defaultShots: DEFAULT_SHOTS,
  load,
  scan,
  prompt: (s, context) => Effect.succeed(prompt(s, context.shots)),
  parse: (s, generation) => Effect.sync(() => parse(s, generation.text, generation.truncated)),
  score: (s, parsed) => Effect.sync(() => score(s, parsed)),
  reference: (s) => s.answer,
  groups: (s) => (s.category === undefined ? {} : { category: s.category }),
  aggregate: (records) => Effect.sync(() => aggregate(records)),
  baselines: {
    pattern: {
      description: "fills each schema field by patterns in the note (labelled values, vital-sign abbreviations, BP, age)",
      reply: patternBaseline
    }
  },
  defaultModel: "baseline:pattern"
}

