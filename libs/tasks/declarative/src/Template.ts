import * as Either from "effect/Either"

/**
 * A prompt template: literal text and `{{field}}` placeholders (spaces inside the braces allowed).
 *
 * @since 0.1.0
 */
export interface Template {
  readonly source: string
  readonly parts: ReadonlyArray<{ readonly text: string } | { readonly field: string }>
  /** The fields used, each once, in order of first use. */
  readonly fields: ReadonlyArray<string>
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g
const NAME = /^[A-Za-z_][\w.-]*$/

/**
 * Parses a template. A placeholder that is not a field name (`{{ }}`, `{{a b}}`) or a brace left
 * unclosed is an error message.
 *
 * @since 0.1.0
 */
export const parse = (source: string): Either.Either<Template, string> => {
  const parts: Array<{ text: string } | { field: string }> = []
  const fields: Array<string> = []
  let last = 0
  for (const m of source.matchAll(PLACEHOLDER)) {
    const name = m[1]!
    if (!NAME.test(name)) return Either.left(`"{{${name}}}" is not a field name`)
    if (m.index > last) parts.push({ text: source.slice(last, m.index) })
    parts.push({ field: name })
    if (!fields.includes(name)) fields.push(name)
    last = m.index + m[0].length
  }
  if (last < source.length) parts.push({ text: source.slice(last) })
  const rest = source.replace(PLACEHOLDER, "")
  if (rest.includes("{{") || rest.includes("}}")) return Either.left("a `{{` or `}}` is not part of a `{{field}}` placeholder")
  return Either.right({ source, parts, fields })
}

/**
 * Fills a template with values by field name (a field without a value is left empty: the loader checks
 * every record has the fields its task uses).
 *
 * @since 0.1.0
 */
export const render = (template: Template, values: Readonly<Record<string, string>>): string =>
  template.parts.map((p) => ("text" in p ? p.text : (values[p.field] ?? ""))).join("")
