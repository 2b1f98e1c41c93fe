import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import type { Document, LongHealthSample } from "./LongHealthSample.js"
import { answerDocuments, documentName } from "./LongHealthSample.js"

/**
 * LongHealth's three tasks: 1, the patient's own documents; 2, the answer documents among other
 * patients' documents; 3, other patients' documents only (the question cannot be answered).
 *
 * @since 0.1.0
 */
export type Variant = 1 | 2 | 3

/**
 * How many documents of other patients are drawn as distractors in tasks 2 and 3: 10, as LongHealth's
 * and CLUE's scripts do (`sample_distractions(patient_id, data, n=10)`).
 *
 * @since 0.1.0
 */
export const DISTRACTOR_COUNT = 10

/**
 * The token estimate used for the budget, as recorded in each sample's details.
 *
 * @since 0.1.0
 */
export const TOKEN_ESTIMATE = "ceil(characters / 4)"

/**
 * Estimated tokens of a text: `ceil(characters / 4)`. Models tokenize differently and Ollama exposes
 * no tokenizer without a call, so the budget uses one model-independent rule: about four characters
 * per token is the usual figure for English text with BPE tokenizers (the same ratio the ports of
 * LongHealth use when no tokenizer is at hand). Clinical text, rich in numbers and abbreviations,
 * often needs more tokens than that: leave headroom between the budget and the model's `--num-ctx`.
 *
 * @since 0.1.0
 */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4)

/**
 * What joins two documents in the prompt (LongHealth's separator).
 *
 * @since 0.1.0
 */
export const SEPARATOR = "\n\n--------------\n\n"

/**
 * Why a document is offered: it holds the answer (`answer`, from `answer_location`), it is another of
 * the patient's documents (`patient`), or it belongs to another patient (`distractor`).
 *
 * @since 0.1.0
 */
export type Role = "answer" | "patient" | "distractor"

/**
 * A document offered to the context, with its role and estimated tokens (the text and a separator).
 *
 * @since 0.1.0
 */
export interface Candidate {
  readonly document: Document
  readonly role: Role
  readonly tokens: number
}

/**
 * The documents that went into the prompt, in the order shown, and those left out for the budget.
 *
 * @since 0.1.0
 */
export interface Plan {
  readonly variant: Variant
  readonly budgetTokens: number
  /** Estimated tokens of everything but the documents: system message, question, options, instructions. */
  readonly fixedTokens: number
  readonly included: ReadonlyArray<Candidate>
  readonly leftOut: ReadonlyArray<Candidate>
}

const candidate = (document: Document, role: Role): Candidate => ({
  document,
  role,
  tokens: estimateTokens(document.text) + estimateTokens(SEPARATOR)
})

/**
 * The distractors of a sample: {@link DISTRACTOR_COUNT} documents of other patients, drawn with a
 * generator seeded by the sample's id alone, so tasks 2 and 3 of one question see the same
 * distractors (the only difference between them is the answer documents), and every run the same.
 *
 * @since 0.1.0
 */
export const distractors = (sample: LongHealthSample): Effect.Effect<ReadonlyArray<Document>> =>
  Random.make(`longhealth:distractors:${sample.id}`)
    .shuffle(sample.otherDocuments)
    .pipe(Effect.map((shuffled) => Chunk.toReadonlyArray(shuffled).slice(0, DISTRACTOR_COUNT)))

/**
 * The documents offered for one task, most important first:
 * - task 1: the answer documents, then the patient's other documents, in the patient's order;
 * - task 2: the answer documents (all the patient's documents when `answer_location` names none),
 *   then the distractors;
 * - task 3: the distractors only.
 *
 * @since 0.1.0
 */
export const candidates = (sample: LongHealthSample, variant: Variant): Effect.Effect<ReadonlyArray<Candidate>> =>
  Effect.gen(function* () {
    const answers = answerDocuments(sample)
    if (variant === 1) {
      const rest = sample.documents.filter((d) => !answers.includes(d))
      return [...answers.map((d) => candidate(d, "answer")), ...rest.map((d) => candidate(d, "patient"))]
    }
    const others = (yield* distractors(sample)).map((d) => candidate(d, "distractor"))
    if (variant === 3) return others
    const own = answers.length > 0 ? answers.map((d) => candidate(d, "answer")) : sample.documents.map((d) => candidate(d, "patient"))
    return [...own, ...others]
  })

/**
 * Fills the budget: whole documents, most important first, until the next one does not fit; it and
 * every one after it are left out (never cut). Task 1 shows the chosen documents in the patient's
 * order; tasks 2 and 3 shuffle them with a generator seeded by the sample's id and the task, so the
 * answer documents sit at a different, reproducible place among the distractors.
 *
 * @since 0.1.0
 */
export const plan = (
  sample: LongHealthSample,
  variant: Variant,
  budgetTokens: number,
  fixedTokens: number
): Effect.Effect<Plan> =>
  Effect.gen(function* () {
    const offered = yield* candidates(sample, variant)
    let used = fixedTokens
    let stop = offered.length
    for (let i = 0; i < offered.length; i++) {
      if (used + offered[i]!.tokens > budgetTokens) {
        stop = i
        break
      }
      used += offered[i]!.tokens
    }
    const chosen = offered.slice(0, stop)
    const included =
      variant === 1
        ? [...chosen].sort((a, b) => sample.documents.indexOf(a.document) - sample.documents.indexOf(b.document))
        : Chunk.toReadonlyArray(yield* Random.make(`longhealth:order:${variant}:${sample.id}`).shuffle(chosen))
    return { variant, budgetTokens, fixedTokens, included, leftOut: offered.slice(stop) }
  })

const listed = (cs: ReadonlyArray<Candidate>) =>
  cs.map((c) => ({ document: documentName(c.document), role: c.role, tokens: c.tokens }))

/**
 * The plan as it is kept in the sample's record (`details.context`): the budget and how tokens were
 * estimated, the documents included and left out (name, role, estimated tokens), and, named apart,
 * the answer documents and (task 1) the patient's own documents that did not fit.
 *
 * @since 0.1.0
 */
export const details = (p: Plan) => {
  const answerLeftOut = p.leftOut.filter((c) => c.role === "answer").map((c) => documentName(c.document))
  const ownLeftOut = p.leftOut.filter((c) => c.role !== "distractor").map((c) => documentName(c.document))
  return {
    variant: p.variant,
    budgetTokens: p.budgetTokens,
    tokenEstimate: TOKEN_ESTIMATE,
    estimatedPromptTokens: p.fixedTokens + p.included.reduce((n, c) => n + c.tokens, 0),
    included: listed(p.included),
    leftOut: listed(p.leftOut),
    answerDocumentsLeftOut: answerLeftOut,
    ...(p.variant === 3 ? {} : { ownDocumentsLeftOut: ownLeftOut })
  }
}
