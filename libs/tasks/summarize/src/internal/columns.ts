import { EvalError } from "@clinical-evals/core"
import * as Either from "effect/Either"
import * as SummarySample from "../SummarySample.js"

/** A column or field name compared loosely: case, spaces, underscores and hyphens ignored. */
export const normalizeName = (name: string): string => name.toLowerCase().replace(/[\s_-]+/g, "")

/** The names each field may have, normalised, in order of preference. */
const ALIASES = {
  ownSource: ["sourcetext"],
  ownReference: ["referencesummary"],
  instruction: ["instruction"],
  id: ["id"],
  chq: ["chq"],
  summary: ["summary"],
  subjectives: ["subjectives", "subjectivesections", "subjective"],
  assessment: ["assessment"],
  meqsumId: ["file"],
  problemId: ["fileid"]
} as const

/** The expected layouts, for error messages. */
export const LAYOUTS =
  "a MeQSum file has CHQ and Summary; a Problem Summary (BioNLP 2023 Task 1A) file has Subjectives " +
  "(or Subjective Sections), Assessment and Summary; the project's own JSONL has id, source_text and reference_summary"

/** Which of the given names (as the file writes them) is the field, or undefined. */
export const findName = (names: ReadonlyArray<string>, field: keyof typeof ALIASES): string | undefined => {
  for (const alias of ALIASES[field]) {
    const found = names.find((n) => normalizeName(n) === alias)
    if (found !== undefined) return found
  }
  return undefined
}

/** The fields of a layout, as the file names them. */
export interface Layout {
  readonly kind: SummarySample.DatasetKind
  readonly source: ReadonlyArray<string>
  readonly reference: string
  readonly id: string | undefined
  /** The dataset's own file-name column (`File`, `File ID`), used for ids when there is no `id`. */
  readonly fileId: string | undefined
  readonly instruction: string | undefined
}

/**
 * Tells the kind of dataset from its column or field names: `source_text` means the project's own
 * format, `CHQ` MeQSum, `Assessment` or a subjective column Problem Summary. Fails with a message
 * naming what is missing.
 */
export const classify = (names: ReadonlyArray<string>): Either.Either<Layout, string> => {
  const found = (field: keyof typeof ALIASES) => findName(names, field)
  const list = names.map((n) => `"${n}"`).join(", ")
  const missing = (kind: string, fields: ReadonlyArray<readonly [string, string | undefined]>) => {
    const absent = fields.filter(([, v]) => v === undefined).map(([n]) => `"${n}"`)
    return absent.length === 0 ? undefined : `this looks like ${kind} but has no ${absent.join(", ")} (found ${list})`
  }
  const ownSource = found("ownSource")
  if (ownSource !== undefined) {
    const id = found("id")
    const reference = found("ownReference")
    const problem = missing("the project's own format", [["id", id], ["reference_summary", reference]])
    if (problem !== undefined) return Either.left(problem)
    return Either.right({ kind: "jsonl", source: [ownSource], reference: reference!, id, fileId: undefined, instruction: found("instruction") })
  }
  const chq = found("chq")
  if (chq !== undefined) {
    const summary = found("summary")
    const problem = missing("MeQSum", [["Summary", summary]])
    if (problem !== undefined) return Either.left(problem)
    return Either.right({ kind: "meqsum", source: [chq], reference: summary!, id: found("id"), fileId: found("meqsumId"), instruction: undefined })
  }
  const subjectives = found("subjectives")
  const assessment = found("assessment")
  if (subjectives !== undefined || assessment !== undefined) {
    const summary = found("summary")
    const problem = missing("Problem Summary", [["Subjectives", subjectives], ["Assessment", assessment], ["Summary", summary]])
    if (problem !== undefined) return Either.left(problem)
    return Either.right({
      kind: "problem-summary",
      source: [subjectives!, assessment!],
      reference: summary!,
      id: found("id"),
      fileId: found("problemId"),
      instruction: undefined
    })
  }
  return Either.left(`no known fields: ${LAYOUTS}; found ${list || "none"}`)
}

/** A cell or field value as text: strings as they are, numbers written out, empty for null. */
const asText = (value: unknown): Either.Either<string, string> =>
  value === null || value === undefined
    ? Either.right("")
    : typeof value === "string"
      ? Either.right(value)
      : typeof value === "number" || typeof value === "boolean"
        ? Either.right(String(value))
        : Either.left(`expected text, found ${Array.isArray(value) ? "a list" : typeof value}`)

/**
 * A Problem Summary reference as CLUE reads it: the `;`-separated problems joined by `, ` (empty
 * parts, e.g. after a trailing `;`, dropped).
 */
export const problemList = (summary: string): string =>
  summary
    .split(";")
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .join(", ")

/** Where a record is: its line (or sheet row) and, for a workbook, the sheet. */
export interface Place {
  readonly file: string
  readonly line: number | null
  readonly sheet?: string
}

export const error = (place: Place, field: string | null, message: string) =>
  new EvalError.DatasetError({
    file: place.file,
    line: place.line,
    field,
    message: place.sheet === undefined ? message : `${message} (sheet "${place.sheet}", row ${place.line})`
  })

/**
 * Decodes one record of a known layout into a sample. `fallbackId` is used when the layout has no
 * id column (or its file-name column cannot serve, see {@link idsFromFileColumn}).
 */
export const toSample = (
  layout: Layout,
  fields: Readonly<Record<string, unknown>>,
  place: Place,
  fallbackId: string
): Either.Either<SummarySample.SummarySample, EvalError.DatasetError> => {
  const text = (name: string) => asText(fields[name]).pipe(Either.mapLeft((m) => error(place, name, m)))
  return Either.gen(function* () {
    const parts: Array<string> = []
    for (const name of layout.source) parts.push((yield* text(name)).trim())
    const source = parts.filter((p) => p !== "").join("\n\n")
    if (source === "") {
      const message =
        layout.source.length === 1 ? "must not be empty" : `${layout.source.map((n) => `"${n}"`).join(" and ")} are both empty`
      return yield* Either.left(error(place, layout.source.at(-1)!, message))
    }
    const rawReference = (yield* text(layout.reference)).trim()
    const reference = layout.kind === "problem-summary" ? problemList(rawReference) : rawReference
    if (reference === "") return yield* Either.left(error(place, layout.reference, "must not be empty"))
    const id = layout.id === undefined ? fallbackId : (yield* text(layout.id)).trim()
    if (id === "") return yield* Either.left(error(place, layout.id ?? "id", "must not be empty"))
    const instruction = layout.instruction === undefined ? "" : (yield* text(layout.instruction)).trim()
    return yield* SummarySample.make({
      id,
      kind: layout.kind,
      source,
      reference,
      ...(instruction === "" ? {} : { instruction })
    }).pipe(Either.mapLeft((e) => error(place, null, e.message)))
  })
}

/**
 * Ids for a table without an `id` column: the dataset's file-name column (`File`, `File ID`) when
 * every record has a distinct, non-empty one, else `<file stem>-<0-based record index>` as pandas
 * counts rows.
 */
export const fallbackIds = (
  layout: Layout,
  records: ReadonlyArray<Readonly<Record<string, unknown>>>,
  stem: string
): ReadonlyArray<string> => {
  const byIndex = records.map((_, i) => `${stem}-${i}`)
  if (layout.fileId === undefined) return byIndex
  const values = records.map((r) => {
    const v = r[layout.fileId!]
    return typeof v === "string" || typeof v === "number" ? String(v).trim() : ""
  })
  return values.every((v) => v !== "") && new Set(values).size === values.length ? values : byIndex
}
