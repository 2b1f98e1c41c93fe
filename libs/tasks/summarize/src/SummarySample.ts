import type * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/**
 * The kinds of dataset a summary sample can come from, which decide how its source text is built:
 * - `meqsum`: MeQSum, a consumer health question (`CHQ`) summarised as a short question (`Summary`);
 * - `problem-summary`: BioNLP 2023 Task 1A (ProbSum), a progress note's subjective sections and
 *   assessment summarised as a list of diagnoses and problems (`Summary`);
 * - `jsonl`: the project's own JSON Lines (`id`, `source_text`, `reference_summary`, optional
 *   `instruction`).
 *
 * @since 0.1.0
 */
export const DatasetKind = Schema.Literal("meqsum", "problem-summary", "jsonl")
export type DatasetKind = typeof DatasetKind.Type

/**
 * A sample's id, unique within its dataset.
 *
 * @since 0.1.0
 */
export const SampleId = Schema.Trim.pipe(Schema.nonEmptyString({ message: () => "must not be empty" }), Schema.brand("SummarySampleId"))
export type SampleId = typeof SampleId.Type

/** Text that must not be blank; surrounding white space is removed. */
export const Text = Schema.Trim.pipe(Schema.nonEmptyString({ message: () => "must not be empty" }))

/**
 * One text to summarise and its reference summary. `source` is the whole input the model reads (for
 * a Problem Summary note: the subjective sections, a blank line, the assessment); `instruction`, when
 * the dataset gives one, replaces the prompt's closing instruction for this sample.
 *
 * @since 0.1.0
 */
export const SummarySample = Schema.Struct({
  id: SampleId,
  kind: DatasetKind,
  source: Text,
  reference: Text,
  instruction: Schema.optionalWith(Text, { exact: true })
})
export type SummarySample = typeof SummarySample.Type

/**
 * Builds a sample from already-read parts, validating it (empty texts are refused with the field).
 *
 * @since 0.1.0
 */
export const make = (input: typeof SummarySample.Encoded): Either.Either<SummarySample, ParseResult.ParseError> =>
  Schema.decodeEither(SummarySample)(input)
