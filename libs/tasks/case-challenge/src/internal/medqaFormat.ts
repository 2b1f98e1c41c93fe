import * as Schema from "effect/Schema"
import { AnswerLetter, CaseIdFromInput, OptionsFromObject, Text } from "../CaseSample.js"
import type { CaseSample } from "../CaseSample.js"
import { sameText, splitCaseAndQuestion } from "./text.js"

/**
 * A line of MedQA-style JSONL (jind11/MedQA, GBaker/MedQA-USMLE-4-options): `question` (the case and
 * its question), `options` as `{"A": "…"}`, `answer_idx` as the letter, optional `answer` (the
 * option's text, checked against the key), `meta_info` (e.g. `step1`, kept as the category) and `id`.
 */
export const MedQaRecord = Schema.Struct({
  id: Schema.optionalWith(CaseIdFromInput, { exact: true }),
  question: Text,
  options: OptionsFromObject,
  answer_idx: AnswerLetter,
  answer: Schema.optionalWith(Schema.NullOr(Schema.String), { exact: true }),
  meta_info: Schema.optionalWith(Schema.NullOr(Schema.String), { exact: true })
}).pipe(
  Schema.filter((r) => {
    const keyed = r.options[r.answer_idx]
    if (keyed === undefined) {
      return { path: ["answer_idx"], message: `${r.answer_idx} is not one of the options (${Object.keys(r.options).join(", ")})` }
    }
    if (typeof r.answer === "string" && r.answer.trim() !== "" && !sameText(r.answer, keyed)) {
      return { path: ["answer"], message: `"${r.answer}" is not the text of option ${r.answer_idx} ("${keyed}"): the key and the answer disagree` }
    }
    return undefined
  })
)

/** A MedQA record as a case; `fallbackId` when the record has no id. */
export const medqaToSample = (r: typeof MedQaRecord.Type, fallbackId: string): typeof CaseSample.Encoded => {
  const { case: text, question } = splitCaseAndQuestion(r.question)
  const category = typeof r.meta_info === "string" && r.meta_info.trim() !== "" ? r.meta_info.trim() : undefined
  return {
    id: r.id ?? fallbackId,
    source: "MedQA",
    case: text,
    question,
    options: r.options,
    answer: r.answer_idx,
    ...(category === undefined ? {} : { category })
  }
}
