import { DatasetReader } from "@clinical-evals/core"
import { MultiLabel } from "@clinical-evals/metrics"
import type { Field } from "./FieldSchema.js"
import { normalize } from "./internal/text.js"

/**
 * One scalar field (string, number, integer, boolean, enum; fields of nested objects by their dotted
 * path) compared: `exact` when the values are equal (a missing value equals null), `normalized` when
 * they are equal after normalization (strings: Unicode NFKC, lower case, punctuation and spacing
 * ignored, `500mg` = `500 mg`).
 *
 * @since 0.1.0
 */
export interface ScalarResult {
  readonly field: string
  readonly gold: unknown
  readonly predicted: unknown
  readonly exact: boolean
  readonly normalized: boolean
}

/**
 * One list field compared as sets of normalized items (an object item as all its properties):
 * precision, recall and F1, with the gold items missed and the predicted items not in gold.
 *
 * @since 0.1.0
 */
export interface ListResult {
  readonly field: string
  readonly precision: number
  readonly recall: number
  readonly f1: number
  readonly missing: ReadonlyArray<string>
  readonly extra: ReadonlyArray<string>
}

/**
 * A prediction scored field by field against the gold answer.
 * - `scalarExact`, `scalarNormalized`: the fraction of scalar fields matching (undefined without scalar fields);
 * - `listPrecision`, `listRecall`, `listF1`: set scores pooled over every list field's items (micro; a
 *   ratio with a zero denominator is 1, as scikit-learn's `zero_division=1`: an empty list predicted
 *   for an empty gold list is right); undefined without list fields;
 * - `fieldScore`: the mean over all fields of the normalized match (scalars) or the F1 (lists).
 *
 * @since 0.1.0
 */
export interface FieldScores {
  readonly scalars: ReadonlyArray<ScalarResult>
  readonly lists: ReadonlyArray<ListResult>
  readonly scalarExact: number | undefined
  readonly scalarNormalized: number | undefined
  readonly listPrecision: number | undefined
  readonly listRecall: number | undefined
  readonly listF1: number | undefined
  readonly fieldScore: number
}

const { isJsonObject: isObject } = DatasetReader

/**
 * The comparison key of a list item: a string normalized; a number or boolean as written; an object
 * as `{key: value; …}` with keys sorted and null or missing values left out; a list as its keys sorted.
 *
 * @since 0.1.0
 */
export const itemKey = (value: unknown): string => {
  if (typeof value === "string") return normalize(value)
  if (typeof value === "number" || typeof value === "boolean") return String(value)
  if (Array.isArray(value)) return `[${value.map(itemKey).sort().join(", ")}]`
  if (isObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== null && value[k] !== undefined).sort()
    return `{${keys.map((k) => `${k}: ${itemKey(value[k])}`).join("; ")}}`
  }
  return ""
}

const sameExact = (a: unknown, b: unknown): boolean => (a ?? null) === (b ?? null)
const sameNormalized = (a: unknown, b: unknown): boolean =>
  sameExact(a, b) || (typeof a === "string" && typeof b === "string" && normalize(a) === normalize(b))

type Leaf =
  | { readonly kind: "scalar"; readonly field: string; readonly gold: unknown; readonly predicted: unknown }
  | { readonly kind: "list"; readonly field: string; readonly gold: ReadonlyArray<unknown>; readonly predicted: ReadonlyArray<unknown> }

/** The fields of a schema as leaves: nested objects flattened to dotted paths, lists kept whole. */
const leaves = (field: Field, gold: unknown, predicted: unknown, path: string): Array<Leaf> => {
  if (field.kind === "object") {
    return field.properties.flatMap(([key, sub]) =>
      leaves(sub, isObject(gold) ? gold[key] : undefined, isObject(predicted) ? predicted[key] : undefined, path === "" ? key : `${path}.${key}`)
    )
  }
  if (field.kind === "array") {
    return [{ kind: "list", field: path, gold: Array.isArray(gold) ? gold : [], predicted: Array.isArray(predicted) ? predicted : [] }]
  }
  return [{ kind: "scalar", field: path, gold, predicted }]
}

const mean = (xs: ReadonlyArray<number>): number | undefined => (xs.length === 0 ? undefined : xs.reduce((a, b) => a + b, 0) / xs.length)

/**
 * Scores a (schema-valid) prediction against the gold answer, field by field. A prediction of `null`
 * (e.g. an invalid answer) scores as if every field were missing.
 *
 * @since 0.1.0
 */
export const score = (schema: Field, gold: unknown, predicted: unknown): FieldScores => {
  const all = leaves(schema, gold, predicted, "")
  const scalars: Array<ScalarResult> = []
  const lists: Array<ListResult> = []
  const pooledGold: Array<Array<string>> = []
  const pooledPredicted: Array<Array<string>> = []
  for (const leaf of all) {
    if (leaf.kind === "scalar") {
      scalars.push({
        field: leaf.field,
        gold: leaf.gold ?? null,
        predicted: leaf.predicted ?? null,
        exact: sameExact(leaf.gold, leaf.predicted),
        normalized: sameNormalized(leaf.gold, leaf.predicted)
      })
      continue
    }
    const g = [...new Set(leaf.gold.map(itemKey))]
    const p = [...new Set(leaf.predicted.map(itemKey))]
    const one = MultiLabel.score([p], [g], { zeroDivision: 1 }).micro
    lists.push({
      field: leaf.field,
      precision: one.precision,
      recall: one.recall,
      f1: one.f1,
      missing: g.filter((x) => !p.includes(x)),
      extra: p.filter((x) => !g.includes(x))
    })
    pooledGold.push(g.map((x) => `${leaf.field}=${x}`))
    pooledPredicted.push(p.map((x) => `${leaf.field}=${x}`))
  }
  const pooled = lists.length === 0 ? undefined : MultiLabel.score(pooledPredicted, pooledGold, { zeroDivision: 1 }).micro
  return {
    scalars,
    lists,
    scalarExact: mean(scalars.map((s) => (s.exact ? 1 : 0))),
    scalarNormalized: mean(scalars.map((s) => (s.normalized ? 1 : 0))),
    listPrecision: pooled?.precision,
    listRecall: pooled?.recall,
    listF1: pooled?.f1,
    fieldScore: mean([...scalars.map((s) => (s.normalized ? 1 : 0)), ...lists.map((l) => l.f1)]) ?? 0
  }
}

/**
 * The values a prediction states that appear nowhere in the note: every string (but not enum values,
 * which name a category rather than quote the note), compared after normalization as whole words
 * (`metformin` is found in `Metformin 500mg`), and every number, compared with the numbers written in
 * the note by value (`37` is found in `T 37.0C`, `8` is not in `HR 88`). Booleans and nulls are
 * not checked. Returns the values checked and those not found.
 *
 * @since 0.1.0
 */
export const unsupportedValues = (
  schema: Field,
  predicted: unknown,
  note: string
): { readonly checked: number; readonly hallucinated: ReadonlyArray<string> } => {
  const haystack = ` ${normalize(note)} `
  const numbers = new Set([...note.matchAll(/\d+(?:\.\d+)?/g)].map((m) => Number(m[0])))
  let checked = 0
  const hallucinated: Array<string> = []
  const visit = (field: Field, value: unknown): void => {
    if (value === null || value === undefined) return
    if (field.kind === "object") {
      if (isObject(value)) for (const [key, sub] of field.properties) visit(sub, value[key])
    } else if (field.kind === "array") {
      if (Array.isArray(value)) for (const item of value) visit(field.items, item)
    } else if ((field.kind === "number" || field.kind === "integer") && typeof value === "number") {
      checked++
      if (!numbers.has(value)) hallucinated.push(String(value))
    } else if (field.kind === "string" && field.enum === undefined) {
      const text = String(value)
      const needle = normalize(text)
      if (needle === "") return
      checked++
      if (!haystack.includes(` ${needle} `)) hallucinated.push(text)
    }
  }
  visit(schema, predicted)
  return { checked, hallucinated }
}
