import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"

/**
 * The letters options may carry: `A` to `J`, so 2 to 10 options.
 *
 * @since 0.1.0
 */
export const LETTERS = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"] as const

/**
 * An option letter.
 *
 * @since 0.1.0
 */
export const Letter = Schema.Literal(...LETTERS)
export type Letter = typeof Letter.Type

/**
 * A case's id, unique within its dataset.
 *
 * @since 0.1.0
 */
export const CaseId = Schema.Trim.pipe(Schema.nonEmptyString({ message: () => "must not be empty" }), Schema.brand("CaseId"))
export type CaseId = typeof CaseId.Type

/** `text` trimmed, or "must not be empty" when nothing is left (about `actual`, the value as written). */
const nonBlank = (text: string, ast: SchemaAST.AST, actual: unknown) => {
  const trimmed = text.trim()
  return trimmed === "" ? ParseResult.fail(new ParseResult.Type(ast, actual, "must not be empty")) : ParseResult.succeed(trimmed)
}

/**
 * An id as datasets write it: text, or a whole number (pandas indexes), decoded to a {@link CaseId}
 * (trimmed, not empty). One transformation: it is decoded for every record of a dataset.
 */
export const CaseIdFromInput = Schema.transformOrFail(Schema.Union(Schema.String, Schema.Int), Schema.typeSchema(CaseId), {
  strict: true,
  decode: (input, _, ast) => ParseResult.map(nonBlank(String(input), ast, input), (id) => CaseId.make(id, true)),
  encode: (id) => ParseResult.succeed(id)
})

/**
 * Text that must not be blank; surrounding white space is removed (`"  x "` is `"x"`, `"   "` fails
 * with "must not be empty"). This is `Schema.Trim` then `Schema.nonEmptyString` in one transformation
 * whose type side is a plain string: every text field of every record is decoded with it, and the two
 * refinements on the type side made it about 1.6 times as costly (0.43 against 0.27 µs a field, measured).
 */
export const Text = Schema.transformOrFail(Schema.String, Schema.String, {
  strict: true,
  decode: (input, _, ast) => nonBlank(input, ast, input),
  encode: (text) => ParseResult.succeed(text)
})

/**
 * The options of a case: letter → text, in letter order. Stored as a plain object whose keys are the
 * consecutive letters from `A` (2 to 10 of them).
 *
 * @since 0.1.0
 */
export const Options = Schema.Record({ key: Schema.String, value: Schema.String }).pipe(
  Schema.filter((options) => checkLetters(Object.keys(options)))
)
export type Options = typeof Options.Type

/** Why a set of option letters is not `A`, `B`, … in a row (2 to 10), or undefined when it is. */
export const checkLetters = (keys: ReadonlyArray<string>): string | undefined => {
  if (keys.length < 2 || keys.length > LETTERS.length) {
    return `expected 2 to ${LETTERS.length} options, found ${keys.length}`
  }
  // n keys, each one of the first n letters and none twice, are exactly those letters (no sorting).
  const n = keys.length
  let seen = 0
  for (const k of keys) {
    const at = LETTERS.indexOf(k as Letter)
    if (at < 0 || at >= n || (seen & (1 << at)) !== 0) {
      return `options must be lettered ${LETTERS.slice(0, n).join(", ")}; found ${keys.join(", ")}`
    }
    seen |= 1 << at
  }
  return undefined
}

/**
 * Options as a dataset writes them (`{"A": "…", "B": "…"}`, keys in any order, texts trimmed), decoded
 * to {@link Options} in letter order.
 *
 * @since 0.1.0
 */
export const OptionsFromObject = Schema.transformOrFail(Schema.Record({ key: Schema.String, value: Text }), Options, {
  strict: true,
  decode: (input, _, ast) => {
    const keys = Object.keys(input)
    const problem = checkLetters(keys)
    if (problem !== undefined) return ParseResult.fail(new ParseResult.Type(ast, input, problem))
    // The keys are the first n letters (checked above): copied in letter order.
    const sorted: Record<string, string> = {}
    for (const key of LETTERS.slice(0, keys.length)) sorted[key] = input[key]!
    return ParseResult.succeed(sorted)
  },
  encode: (options) => ParseResult.succeed(options)
})

const NUMERIC = /^\s*-?\d+(\.\d+)?\s*$/
const isLetter = Schema.is(Letter)

/**
 * An answer key as datasets write it: one letter, any case, surrounding space ignored. A number is
 * refused with an explanation: ChallengeClinicalQA (JAMA and Medbullets) and MedQA all write
 * `answer_idx` as a letter, and a bare number would be ambiguous between 0- and 1-based counting.
 *
 * @since 0.1.0
 */
export const AnswerLetter = Schema.transformOrFail(Schema.Union(Schema.String, Schema.Number), Letter, {
  strict: true,
  decode: (input, _, ast) => {
    const text = String(input)
    if (typeof input === "number" || NUMERIC.test(text)) {
      return ParseResult.fail(
        new ParseResult.Type(
          ast,
          input,
          `expected an option letter, got the number ${text.trim()}: numeric answer indexes are not accepted because they are ambiguous (0- or 1-based); write the letter`
        )
      )
    }
    const letter = text.trim().toUpperCase()
    return isLetter(letter)
      ? ParseResult.succeed(letter)
      : ParseResult.fail(new ParseResult.Type(ast, input, `expected an option letter A to J, got ${JSON.stringify(text)}`))
  },
  encode: (letter) => ParseResult.succeed(letter)
})

/**
 * One clinical case challenge: the case, the question, the lettered options and the answer's letter.
 * `source` names where it comes from (`NEJM`, `JAMA`, `ChallengeClinicalQA`, `MedQA`, or a dataset's
 * own name); `explanation` is the reference explanation when the dataset has one.
 *
 * @since 0.1.0
 */
export const CaseSample = Schema.Struct({
  id: CaseId,
  source: Schema.String,
  case: Schema.String,
  question: Schema.String,
  options: Options,
  answer: Letter,
  date: Schema.optionalWith(Schema.String, { exact: true }),
  category: Schema.optionalWith(Schema.String, { exact: true }),
  explanation: Schema.optionalWith(Schema.String, { exact: true })
}).pipe(
  Schema.filter((s) =>
    s.options[s.answer] === undefined
      ? { path: ["answer"], message: `answer ${s.answer} is not one of the options (${Object.keys(s.options).join(", ")})` }
      : undefined
  )
)
export type CaseSample = typeof CaseSample.Type

/**
 * The options of a case in letter order, as `[letter, text]` pairs.
 *
 * @since 0.1.0
 */
export const optionList = (sample: Pick<CaseSample, "options">): ReadonlyArray<readonly [string, string]> =>
  Object.keys(sample.options)
    .sort()
    .map((letter) => [letter, sample.options[letter]!] as const)

/**
 * Builds a sample from already-checked parts, validating it once more (a safety net for loaders).
 *
 * @since 0.1.0
 */
export const make = (input: typeof CaseSample.Encoded): Either.Either<CaseSample, ParseResult.ParseError> =>
  Schema.decodeEither(CaseSample)(input)
