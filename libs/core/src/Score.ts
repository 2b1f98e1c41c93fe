import * as Schema from "effect/Schema"

/**
 * How the answer was read from the model's text. Anything but `ok` is scored wrong and counted apart:
 * - `unparsed`: no answer could be found;
 * - `ambiguous`: two different answers were given;
 * - `invalid_option`: the answer is not one of the options offered (a hallucination);
 * - `invalid_output`: the output is not of the form asked for (e.g. invalid JSON).
 *
 * @since 0.1.0
 */
export const ParseStatus = Schema.Literal("ok", "unparsed", "ambiguous", "invalid_option", "invalid_output")
export type ParseStatus = typeof ParseStatus.Type

/**
 * The answer a parser read from a generation. A parser never fails: a reply it cannot read is an
 * outcome with a status and an explanation.
 *
 * @since 0.1.0
 */
export class ParsedAnswer extends Schema.Class<ParsedAnswer>("ParsedAnswer")({
  status: ParseStatus,
  answer: Schema.NullOr(Schema.String),
  explanation: Schema.String
}) {}

/**
 * One scorer's verdict on one sample: the value (1/0 for correctness, any number for graded metrics),
 * the extracted answer it judged, the parse status and why.
 *
 * @since 0.1.0
 */
export class Score extends Schema.Class<Score>("Score")({
  value: Schema.Number,
  answer: Schema.NullOr(Schema.String),
  parseStatus: ParseStatus,
  explanation: Schema.String,
  /** What a reader needs to check the verdict (e.g. the unsupported items of a summary); kept in the record. */
  details: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.Unknown }), { exact: true })
}) {}
