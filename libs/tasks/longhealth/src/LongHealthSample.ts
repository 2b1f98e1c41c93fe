import * as Schema from "effect/Schema"

/**
 * The five answer letters of a LongHealth question (`answer_a` … `answer_e`).
 *
 * @since 0.1.0
 */
export const LETTERS = ["A", "B", "C", "D", "E"] as const

/**
 * An answer letter of the dataset.
 *
 * @since 0.1.0
 */
export const Letter = Schema.Literal(...LETTERS)
export type Letter = typeof Letter.Type

/**
 * The option LongHealth adds in tasks 2 and 3, and its text.
 *
 * @since 0.1.0
 */
export const UNANSWERABLE_LETTER = "F"
export const UNANSWERABLE_TEXT = "Question cannot be answered with provided documents"

/**
 * Where the answer to a question is found, as LongHealth records it: by text id (`text_0`), the
 * `start` and `end` of each relevant passage as parallel lists of relative positions in that text
 * (fractions of its length, 0 to 1). A question may point into several texts, and into several places
 * of one text.
 *
 * @since 0.1.0
 */
export const AnswerSpans = Schema.Struct({
  start: Schema.Array(Schema.Number),
  end: Schema.Array(Schema.Number)
})
export type AnswerSpans = typeof AnswerSpans.Type

/**
 * `answer_location`: text id → {@link AnswerSpans}.
 *
 * @since 0.1.0
 */
export const AnswerLocation = Schema.Record({ key: Schema.String, value: AnswerSpans })
export type AnswerLocation = typeof AnswerLocation.Type

/**
 * One clinical document of one patient: the patient's key, the text id (`text_0`) and the text.
 *
 * @since 0.1.0
 */
export const Document = Schema.Struct({
  patient: Schema.String,
  id: Schema.String,
  text: Schema.String
})
export type Document = typeof Document.Type

/** A document's name across the dataset: `patient_01/text_0`. */
export const documentName = (d: Pick<Document, "patient" | "id">): string => `${d.patient}/${d.id}`

/**
 * The five options of a question, by letter.
 *
 * @since 0.1.0
 */
export const Options = Schema.Struct({ A: Schema.String, B: Schema.String, C: Schema.String, D: Schema.String, E: Schema.String })
export type Options = typeof Options.Type

/**
 * One question about one patient (id `patient_01-q3`, from the patient's key and the question's `No`):
 * the patient's facts and documents, the question, its options, the answer's letter (mapped from the
 * dataset's `correct` text) and text, and `answer_location`. `otherDocuments` are every other
 * patient's documents, in dataset order: the pool distractors are drawn from (shared, not copied,
 * between the samples of a patient).
 *
 * @since 0.1.0
 */
export const LongHealthSample = Schema.Struct({
  id: Schema.String,
  patient: Schema.String,
  name: Schema.String,
  birthday: Schema.String,
  diagnosis: Schema.String,
  questionNo: Schema.Int,
  question: Schema.String,
  options: Options,
  answer: Letter,
  correctText: Schema.String,
  answerLocation: AnswerLocation,
  documents: Schema.Array(Document),
  otherDocuments: Schema.Array(Document)
})
export type LongHealthSample = typeof LongHealthSample.Type

/**
 * The patient's documents named in `answer_location`, in the patient's order.
 *
 * @since 0.1.0
 */
export const answerDocuments = (sample: LongHealthSample): ReadonlyArray<Document> =>
  sample.documents.filter((d) => Object.hasOwn(sample.answerLocation, d.id))
