import * as Schema from "effect/Schema"
import { AnswerLetter, CaseIdFromInput, OptionsFromObject, Text } from "../CaseSample.js"

const optionalText = Schema.optionalWith(Text, { exact: true })

/**
 * A line of the project's own JSONL: `id`, `source`, `case`, `question`, `options` as
 * `{"A": "…", "B": "…"}`, `answer` as the letter, and optional `date`, `category`, `explanation`.
 */
export const OwnRecord = Schema.Struct({
  id: CaseIdFromInput,
  source: Text,
  case: Text,
  question: Text,
  options: OptionsFromObject,
  answer: AnswerLetter,
  date: optionalText,
  category: optionalText,
  explanation: optionalText
}).pipe(
  Schema.filter((r) =>
    r.options[r.answer] === undefined
      ? { path: ["answer"], message: `${r.answer} is not one of the options (${Object.keys(r.options).join(", ")})` }
      : undefined
  )
)
