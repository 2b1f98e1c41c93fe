import { DatasetReader, EvalError, type Task } from "@clinical-evals/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type { AnswerLocation, Document, Letter, LongHealthSample, Options } from "./LongHealthSample.js"
import { LETTERS } from "./LongHealthSample.js"

/** Text that must not be blank; surrounding white space is removed. */
const Text = Schema.Trim.pipe(Schema.nonEmptyString({ message: () => "must not be empty" }))

/** A question number as the file writes it: a whole number, or one written as text (`"3"`). */
const QuestionNo = Schema.Union(
  Schema.Int,
  Schema.String.pipe(
    Schema.pattern(/^\s*\d+\s*$/, { message: () => "expected a whole number" }),
    Schema.transform(Schema.Int, { strict: true, decode: (s) => Number(s.trim()), encode: (n) => String(n) })
  )
)

/** Positions as the file writes them: a list of numbers, or one number alone. */
const Positions = Schema.Union(
  Schema.Array(Schema.Number),
  Schema.Number.pipe(Schema.transform(Schema.Array(Schema.Number), { strict: true, decode: (n) => [n], encode: (a) => a[0] ?? 0 }))
)

/** One text's spans: `start` and `end` must pair up, each start at or before its end. */
const RawSpans = Schema.Struct({ start: Positions, end: Positions }).pipe(
  Schema.filter((s) => {
    if (s.start.length !== s.end.length) {
      return { path: ["end"], message: `expected as many ends as starts (${s.start.length}), found ${s.end.length}` }
    }
    const bad = s.start.findIndex((start, i) => start > s.end[i]!)
    return bad < 0 ? undefined : { path: ["start"], message: `start ${s.start[bad]} is after its end ${s.end[bad]}` }
  })
)

/**
 * One question as LongHealth writes it. `correct` is the answer's text (not its letter).
 *
 * @since 0.1.0
 */
export const RawQuestion = Schema.Struct({
  No: QuestionNo,
  question: Text,
  answer_a: Text,
  answer_b: Text,
  answer_c: Text,
  answer_d: Text,
  answer_e: Text,
  correct: Text,
  answer_location: Schema.Record({ key: Schema.String, value: RawSpans })
})
export type RawQuestion = typeof RawQuestion.Type

/**
 * One patient as LongHealth writes it; the questions are decoded one by one, so that a bad question
 * is reported (or skipped) alone.
 *
 * @since 0.1.0
 */
export const RawPatient = Schema.Struct({
  name: Text,
  birthday: Schema.Trim,
  diagnosis: Text,
  texts: Schema.Record({ key: Schema.String, value: Text }).pipe(
    Schema.filter((t) => (Object.keys(t).length === 0 ? "a patient needs at least one text" : undefined))
  ),
  questions: Schema.Array(Schema.Unknown)
})
export type RawPatient = typeof RawPatient.Type

/** Squeezed, lower-cased text, for matching `correct` against the options. */
const squeeze = (s: string): string => s.replace(/\s+/g, " ").trim().toLowerCase()

/**
 * The letter of the option whose text is `correct`: the option equal to it (white space and case
 * aside), else, as LongHealth's own scorer does, the one option containing it. Undefined when no
 * option (or more than one) matches.
 *
 * @since 0.1.0
 */
export const letterOf = (options: Options, correct: string): Letter | undefined => {
  const want = squeeze(correct)
  const equal = LETTERS.filter((l) => squeeze(options[l]) === want)
  if (equal.length === 1) return equal[0]
  if (equal.length > 1) return undefined
  const containing = LETTERS.filter((l) => squeeze(options[l]).includes(want))
  return containing.length === 1 ? containing[0] : undefined
}

/** The 1-based line of a top-level key in the file's text, or null when it cannot be found. */
const keyLine = (text: string, key: string): number | null => {
  const quoted = JSON.stringify(key)
  let at = text.indexOf(quoted)
  while (at >= 0) {
    const after = text.slice(at + quoted.length).trimStart()
    if (after.startsWith(":")) return DatasetReader.lineAt(text, at)
    at = text.indexOf(quoted, at + 1)
  }
  return null
}

/** Parses the whole file, or says on which line the JSON breaks. */
const parseDocument = (file: string, text: string): Either.Either<unknown, EvalError.DatasetError> => {
  try {
    return Either.right(JSON.parse(text))
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e)
    return Either.left(
      new EvalError.DatasetError({ file, line: DatasetReader.parseErrorLine(text, e), field: null, message: `not valid JSON: ${detail}` })
    )
  }
}

const prefixed = (error: EvalError.DatasetError, prefix: string): EvalError.DatasetError =>
  new EvalError.DatasetError({
    file: error.file,
    line: error.line,
    field: error.field === null ? prefix : `${prefix}.${error.field}`.replace(/\.\[/g, "["),
    message: error.message
  })

/** Text ids in their natural order: `text_2` before `text_10`. */
const byTextNumber = (a: string, b: string): number => a.localeCompare(b, "en", { numeric: true })

interface Patient {
  readonly key: string
  readonly line: number | null
  readonly raw: RawPatient
  readonly documents: ReadonlyArray<Document>
}

/** Builds the samples of one patient's questions, one Either per question. */
const questionsOf = (
  file: string,
  patient: Patient,
  otherDocuments: ReadonlyArray<Document>
): ReadonlyArray<Either.Either<DatasetReader.Located<LongHealthSample>, EvalError.DatasetError>> =>
  patient.raw.questions.map((json, i) => {
    const field = `${patient.key}.questions[${i}]`
    const fail = (path: string | null, message: string) =>
      Either.left(new EvalError.DatasetError({ file, line: patient.line, field: path === null ? field : `${field}.${path}`, message }))
    const decoded = DatasetReader.decodeAt(RawQuestion)(file, patient.line, json)
    if (Either.isLeft(decoded)) return Either.left(prefixed(decoded.left, field))
    const q = decoded.right
    const options: Options = { A: q.answer_a, B: q.answer_b, C: q.answer_c, D: q.answer_d, E: q.answer_e }
    const answer = letterOf(options, q.correct)
    if (answer === undefined) {
      return fail(
        "correct",
        `${patient.key}, question No ${q.No}: correct ${JSON.stringify(q.correct)} matches none of answer_a … answer_e ` +
          `(or more than one): ${LETTERS.map((l) => `${l} ${JSON.stringify(options[l])}`).join(", ")}`
      )
    }
    const unknownText = Object.keys(q.answer_location).find((id) => !Object.hasOwn(patient.raw.texts, id))
    if (unknownText !== undefined) {
      return fail(
        `answer_location.${unknownText}`,
        `${patient.key}, question No ${q.No}: no text "${unknownText}" in this patient's texts (${Object.keys(patient.raw.texts).sort(byTextNumber).join(", ")})`
      )
    }
    const answerLocation: AnswerLocation = q.answer_location
    return Either.right({
      line: patient.line ?? 1,
      value: {
        id: `${patient.key}-q${q.No}`,
        patient: patient.key,
        name: patient.raw.name,
        birthday: patient.raw.birthday,
        diagnosis: patient.raw.diagnosis,
        questionNo: q.No,
        question: q.question,
        options,
        answer,
        correctText: options[answer],
        answerLocation,
        documents: patient.documents,
        otherDocuments
      }
    })
  })

/**
 * Reads a LongHealth file (`benchmark_v5.json`): one JSON object keyed by patient (`patient_01`, …),
 * each with `name`, `birthday`, `diagnosis`, `texts` (`text_0`, `text_1`, …) and `questions`
 * (`No`, `question`, `answer_a` … `answer_e`, `correct` as the answer's text, `answer_location`).
 * Gives one sample per (patient, question), id `patient_01-q3`. Top-level entries that are plain
 * strings (a canary string) are ignored. A bad record is a DatasetError naming the file, the line of
 * the patient's key, and the field (`patient_03.questions[2].correct`); with `skip`, a bad patient or
 * question is set aside and reported.
 *
 * @since 0.1.0
 */
export const load = Effect.fn("LongHealthDataset.load")(function* (file: string, options: Task.LoadOptions) {
  const text = yield* DatasetReader.readText(file)
  const json = parseDocument(file, text)
  if (Either.isLeft(json)) return yield* json.left
  const root = json.right
  if (typeof root !== "object" || root === null || Array.isArray(root)) {
    return yield* new EvalError.DatasetError({
      file,
      line: 1,
      field: null,
      message: "expected one JSON object keyed by patient (\"patient_01\": {…}), as LongHealth's benchmark_v5.json"
    })
  }
  const entries = Object.entries(root as Record<string, unknown>).filter(([, v]) => typeof v !== "string")
  const decode = DatasetReader.decodeAt(RawPatient)
  const patients = yield* DatasetReader.collect(
    entries.map(([key, value]) => {
      const line = keyLine(text, key)
      return decode(file, line, value).pipe(
        Either.mapLeft((e) => prefixed(e, key)),
        Either.map((raw) => ({
          line: line ?? 1,
          value: {
            key,
            line,
            raw,
            documents: Object.keys(raw.texts)
              .sort(byTextNumber)
              .map((id) => ({ patient: key, id, text: raw.texts[id]! }))
          } satisfies Patient
        }))
      )
    }),
    options.onBadInput
  )
  if (patients.records.length === 0 && patients.skipped.length === 0) {
    return yield* new EvalError.DatasetError({ file, line: 1, field: null, message: "the file holds no patients" })
  }
  const all = patients.records.map((r) => r.value)
  const questions = yield* DatasetReader.collect(
    all.flatMap((p) =>
      questionsOf(
        file,
        p,
        all.filter((o) => o.key !== p.key).flatMap((o) => o.documents)
      )
    ),
    options.onBadInput
  )
  yield* requireUniqueIds(file, questions.records)
  return {
    path: file,
    format: "longhealth-json",
    samples: questions.records.map((r) => r.value),
    skipped: [...patients.skipped, ...questions.skipped]
  } satisfies Task.Dataset<LongHealthSample>
})

/** Two questions of one patient with the same `No` would share an id: refused, naming both. */
const requireUniqueIds = (
  file: string,
  records: ReadonlyArray<DatasetReader.Located<LongHealthSample>>
): Effect.Effect<void, EvalError.DatasetError> => {
  const seen = new Set<string>()
  for (const r of records) {
    if (seen.has(r.value.id)) {
      return Effect.fail(
        new EvalError.DatasetError({
          file,
          line: r.line,
          field: `${r.value.patient}.questions`,
          message: `two questions of ${r.value.patient} have No ${r.value.questionNo}: the id "${r.value.id}" would not be unique`
        })
      )
    }
    seen.add(r.value.id)
  }
  return Effect.void
}

