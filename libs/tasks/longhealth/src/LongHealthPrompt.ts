import { ChatMessage, type Task } from "@clinical-evals/core"
import * as Effect from "effect/Effect"
import * as LongHealthContext from "./LongHealthContext.js"
import type { Document, LongHealthSample } from "./LongHealthSample.js"
import { LETTERS, UNANSWERABLE_LETTER, UNANSWERABLE_TEXT } from "./LongHealthSample.js"

/**
 * The system message: an assistant reading hospital documents for clinicians, answering one
 * multiple-choice question from them (LongHealth's role, in the project's words).
 *
 * @since 0.1.0
 */
export const SYSTEM_PROMPT =
  "You are a careful, detail-oriented assistant trained to help physicians read clinical documents " +
  "such as discharge letters, radiology, pathology and laboratory reports. You will receive one or more " +
  "documents and a multiple-choice question about them. Base every answer only on what the documents " +
  "say, be brief and precise, and take the exact wording of the question into account."

/** The lines that open and close the documents (LongHealth's markers; the baseline finds them too). */
export const BEGIN_DOCUMENTS = "--------------BEGIN DOCUMENTS--------------"
export const END_DOCUMENTS = "--------------END DOCUMENTS--------------"

/**
 * The options of a question in one task, by letter: A to E, and in tasks 2 and 3 also
 * F, "Question cannot be answered with provided documents" (LongHealth offers F in both).
 *
 * @since 0.1.0
 */
export const optionsFor = (sample: LongHealthSample, variant: LongHealthContext.Variant): Readonly<Record<string, string>> => {
  const options: Record<string, string> = {}
  for (const letter of LETTERS) options[letter] = sample.options[letter]
  if (variant !== 1) options[UNANSWERABLE_LETTER] = UNANSWERABLE_TEXT
  return options
}

/**
 * The closing instruction, asking for CLUE's and LongHealth's answer sentence
 * `The correct answer is X: <option text>.`
 *
 * @since 0.1.0
 */
export const instruction = (letters: ReadonlyArray<string>): string =>
  [
    "Answer in this format:",
    `1. Start with the words "The correct answer is".`,
    `2. Then give the letter of the correct option (${letters.join(", ")}).`,
    "3. Then a colon and the exact text of that option.",
    "4. Keep the answer to one short sentence.",
    "",
    "For example, if option B, 'Community-acquired pneumonia', is correct, answer:",
    "'The correct answer is B: Community-acquired pneumonia.'"
  ].join("\n")

/**
 * The user message: the documents between LongHealth's markers, joined by its separator, then the
 * question, the options as `A: text` lines, and the instruction.
 *
 * @since 0.1.0
 */
export const userMessage = (
  sample: LongHealthSample,
  variant: LongHealthContext.Variant,
  documents: ReadonlyArray<Document>
): string => {
  const options = optionsFor(sample, variant)
  const letters = Object.keys(options)
  return [
    BEGIN_DOCUMENTS,
    "",
    documents.map((d) => d.text.trim()).join(LongHealthContext.SEPARATOR),
    "",
    END_DOCUMENTS,
    "",
    sample.question,
    letters.map((l) => `${l}: ${options[l]}`).join("\n"),
    "",
    instruction(letters)
  ].join("\n")
}

/**
 * The expected letter in one task: the dataset's answer in tasks 1 and 2, F in task 3.
 *
 * @since 0.1.0
 */
export const expectedLetter = (sample: LongHealthSample, variant: LongHealthContext.Variant): string =>
  variant === 3 ? UNANSWERABLE_LETTER : sample.answer

/**
 * The prompt for one sample in one task, built to `budgetTokens` (estimated): the system message and
 * the user message with as many whole documents as fit ({@link LongHealthContext.plan}). The details
 * kept in the sample's record: `context` (what was included and left out, with estimated tokens),
 * the dataset's `answer` (letter and text) and its `answerLocation`.
 *
 * @since 0.1.0
 */
export const prompt = (
  sample: LongHealthSample,
  variant: LongHealthContext.Variant,
  budgetTokens: number
): Effect.Effect<Task.Prompt> =>
  Effect.gen(function* () {
    const fixed = LongHealthContext.estimateTokens(SYSTEM_PROMPT) + LongHealthContext.estimateTokens(userMessage(sample, variant, []))
    const plan = yield* LongHealthContext.plan(sample, variant, budgetTokens, fixed)
    return {
      messages: [
        ChatMessage.system(SYSTEM_PROMPT),
        ChatMessage.user(userMessage(sample, variant, plan.included.map((c) => c.document)))
      ],
      details: {
        context: LongHealthContext.details(plan),
        answer: { letter: sample.answer, text: sample.correctText },
        answerLocation: sample.answerLocation
      }
    }
  })
