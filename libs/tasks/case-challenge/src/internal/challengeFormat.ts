import * as Schema from "effect/Schema"
import { AnswerLetter, CaseIdFromInput, LETTERS, Text } from "../CaseSample.js"
import type { CaseSample } from "../CaseSample.js"
import { sameText, splitCaseAndQuestion } from "./text.js"

/** The option columns of ChallengeClinicalQA / Medbullets tables, `opa` for A to `opj` for J. */
export const OPTION_COLUMNS = LETTERS.map((l) => `op${l.toLowerCase()}`)

/** Columns a table must have. */
export const REQUIRED_COLUMNS = ["question", "opa", "opb", "answer_idx"] as const

const optionalText = Schema.optionalWith(Text, { exact: true })

const optionFields = Object.fromEntries(OPTION_COLUMNS.map((c) => [c, optionalText])) as Record<string, typeof optionalText>

/**
 * One row of a ChallengeClinicalQA (JAMA Clinical Challenge, Medbullets) table, from CSV or pandas
 * column-oriented JSON: `question` (the case and its question), `opa`…`ope` (up to `opj`),
 * `answer_idx` (the letter, as both datasets write it), optional `answer` (the option's text, checked
 * against the key), `explanation`, and, when present, `id`, `source`, `category`, `date`. Other
 * columns (`link`, `diagnosis`, `field`) are ignored. Blank cells count as missing.
 */
export const ChallengeRow = Schema.Struct({
  id: Schema.optionalWith(CaseIdFromInput, { exact: true }),
  source: optionalText,
  category: optionalText,
  date: optionalText,
  question: Text,
  answer_idx: AnswerLetter,
  answer: optionalText,
  explanation: optionalText,
  ...optionFields
}).pipe(
  Schema.filter((row) => {
    const cells = row as unknown as Record<string, string | undefined>
    const present = OPTION_COLUMNS.map((c) => cells[c] !== undefined)
    const last = present.lastIndexOf(true)
    for (let k = 0; k < Math.max(last, 2); k++) {
      if (!present[k]) {
        return k < 2
          ? { path: [OPTION_COLUMNS[k]!], message: "is missing: a case needs at least options A and B" }
          : { path: [OPTION_COLUMNS[k]!], message: `is empty while ${OPTION_COLUMNS[last]} is not: options must be consecutive` }
      }
    }
    const keyed = cells[`op${row.answer_idx.toLowerCase()}`]
    if (keyed === undefined) {
      return { path: ["answer_idx"], message: `${row.answer_idx} is not one of the options (${LETTERS.slice(0, last + 1).join(", ")})` }
    }
    if (row.answer !== undefined && !sameText(row.answer, keyed)) {
      return { path: ["answer"], message: `"${row.answer}" is not the text of option ${row.answer_idx} ("${keyed}"): the key and the answer disagree` }
    }
    return undefined
  })
)

/** Cells as read, with blank text and nulls (pandas NaN) removed so that they count as missing. */
export const withoutBlanks = (cells: Readonly<Record<string, unknown>>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(cells).filter(([, v]) => v !== null && v !== undefined && !(typeof v === "string" && v.trim() === ""))
  )

/** A row as a case; `fallbackId` when the table has no `id` column. */
export const rowToSample = (row: typeof ChallengeRow.Type, fallbackId: string): typeof CaseSample.Encoded => {
  const cells = row as unknown as Record<string, string | undefined>
  const options: Record<string, string> = {}
  OPTION_COLUMNS.forEach((c, k) => {
    const text = cells[c]
    if (text !== undefined) options[LETTERS[k]!] = text
  })
  const { case: text, question } = splitCaseAndQuestion(row.question)
  return {
    id: row.id ?? fallbackId,
    source: row.source ?? "ChallengeClinicalQA",
    case: text,
    question,
    options,
    answer: row.answer_idx,
    ...(row.date === undefined ? {} : { date: row.date }),
    ...(row.category === undefined ? {} : { category: row.category }),
    ...(row.explanation === undefined ? {} : { explanation: row.explanation })
  }
}
