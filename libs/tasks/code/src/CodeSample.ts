import { IcdCode } from "@clinical-evals/parsers"
import * as Schema from "effect/Schema"

/**
 * A note's id, unique within its dataset.
 *
 * @since 0.1.0
 */
export const NoteId = Schema.Trim.pipe(Schema.nonEmptyString({ message: () => "must not be empty" }), Schema.brand("NoteId"))
export type NoteId = typeof NoteId.Type

/** An id as datasets write it: text or a whole number (`hadm_id` in MIMIC), decoded to a {@link NoteId}. */
export const NoteIdFromInput = Schema.Union(Schema.String, Schema.Int).pipe(
  Schema.transform(Schema.String, { strict: true, decode: (v) => String(v), encode: (s) => s }),
  Schema.compose(NoteId)
)

/** A note's text: must not be blank; kept as written. */
export const NoteText = Schema.String.pipe(
  Schema.filter((s) => s.trim() !== "", { message: () => "must not be empty" })
)

/**
 * One ICD-10-CM code as a dataset writes it (`E11.9`, `E119`, `e11.9`), decoded to its canonical form
 * (`E119`). It must have the shape of a code; whether it exists in the FY2026 code set is not checked
 * (older datasets hold codes since retired). U codes are accepted, as CLUE keeps them in its gold codes.
 *
 * @since 0.1.0
 */
export const Code = Schema.String.pipe(
  Schema.filter((s) => IcdCode.isCodeShaped(s), {
    message: (issue) => `${JSON.stringify(issue.actual)} is not an ICD-10-CM code (a letter, two characters, then up to four more, e.g. E11.9)`
  }),
  Schema.transform(Schema.String, { strict: true, decode: (s) => IcdCode.normalize(s), encode: (s) => IcdCode.toDotted(s) })
)

/** A note's gold codes: at least one (CLUE's recall divides by their number); repeats count once. */
export const Codes = Schema.Array(Code).pipe(
  Schema.filter((codes) => codes.length > 0, { message: () => "must list at least one code" }),
  Schema.transform(Schema.Array(Schema.String), {
    strict: true,
    decode: (codes) => [...new Set(codes)],
    encode: (codes) => codes
  })
)

/**
 * A clinical note to code: its id, its text (a discharge summary) and its gold ICD-10-CM codes,
 * canonical (upper case, no dot), de-duplicated, in the dataset's order.
 *
 * @since 0.1.0
 */
export class CodeSample extends Schema.Class<CodeSample>("CodeSample")({
  id: NoteId,
  text: NoteText,
  codes: Schema.Array(Schema.String)
}) {}

/**
 * A record of the project's own JSON Lines: `id`, `text`, `codes` (a list of code strings).
 *
 * @since 0.1.0
 */
export const OwnRecord = Schema.Struct({
  id: NoteIdFromInput,
  text: NoteText,
  codes: Codes
})

/**
 * A MeDiSumCode record (CLUE): `text`, a discharge summary, and `icd_codes`, a list of objects with a
 * `code` (and a `description`, ignored). Its id is `id`, `hadm_id` or `note_id` when the record has one.
 *
 * @since 0.1.0
 */
export const MeDiSumCodeRecord = Schema.Struct({
  id: Schema.optional(NoteIdFromInput),
  hadm_id: Schema.optional(NoteIdFromInput),
  note_id: Schema.optional(NoteIdFromInput),
  text: NoteText,
  icd_codes: Schema.Array(Schema.Struct({ code: Code })).pipe(
    Schema.filter((codes) => codes.length > 0, { message: () => "must list at least one code" })
  )
})
