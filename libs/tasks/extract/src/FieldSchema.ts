import { DatasetReader } from "@clinical-evals/core"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/**
 * A field of the JSON-schema subset that structured extraction supports, decoded:
 * - `object` with `properties` (and `required`, the properties that must be present);
 * - `array` with `items`;
 * - `string` (with an optional `enum` of allowed values), `number`, `integer`, `boolean`.
 * Any of them may be `nullable` (JSON Schema `"type": ["integer", "null"]`).
 *
 * @since 0.1.0
 */
export type Field =
  | { readonly kind: "object"; readonly nullable: boolean; readonly properties: ReadonlyArray<readonly [string, Field]>; readonly required: ReadonlyArray<string> }
  | { readonly kind: "array"; readonly nullable: boolean; readonly items: Field }
  | { readonly kind: "string"; readonly nullable: boolean; readonly enum?: ReadonlyArray<string> }
  | { readonly kind: "number" | "integer" | "boolean"; readonly nullable: boolean }

/**
 * A problem in a schema or a value: the dotted path where it is and what is wrong.
 *
 * @since 0.1.0
 */
export interface Problem {
  readonly path: string
  readonly message: string
}

/**
 * The keywords a schema may use. `description`, `title` and `additionalProperties` are accepted and
 * ignored (Ollama passes them to the model's grammar; scoring never needs them).
 *
 * @since 0.1.0
 */
export const KEYWORDS = ["type", "properties", "required", "items", "enum", "description", "title", "additionalProperties"] as const

const TYPES = ["object", "array", "string", "number", "integer", "boolean"] as const
type TypeName = (typeof TYPES)[number]

const { isJsonObject: isObject } = DatasetReader
const join = (path: string, key: string | number) => (typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`)

const typeOf = (node: Record<string, unknown>, path: string): Either.Either<{ type: TypeName; nullable: boolean }, Problem> => {
  const raw = node.type
  if (raw === undefined && Array.isArray(node.enum)) return Either.right({ type: "string", nullable: false })
  const names = typeof raw === "string" ? [raw] : Array.isArray(raw) ? raw : undefined
  if (names === undefined || !names.every((n): n is string => typeof n === "string")) {
    return Either.left({ path: join(path, "type"), message: `expected a type name (${TYPES.join(", ")}) or [type, "null"]` })
  }
  const nullable = names.includes("null")
  const rest = names.filter((n) => n !== "null")
  if (rest.length !== 1 || !(TYPES as ReadonlyArray<string>).includes(rest[0]!)) {
    return Either.left({ path: join(path, "type"), message: `unsupported type ${JSON.stringify(raw)}: use one of ${TYPES.join(", ")}, optionally with "null"` })
  }
  return Either.right({ type: rest[0] as TypeName, nullable })
}

/**
 * Decodes a JSON schema in the supported subset ({@link Field}); anything else (an unknown keyword,
 * a type outside the subset, a `required` name that is not a property, an enum of non-strings) is a
 * Problem naming the path inside the schema.
 *
 * @since 0.1.0
 */
export const decode = (schema: unknown, path = ""): Either.Either<Field, Problem> => {
  if (!isObject(schema)) return Either.left({ path, message: "expected a JSON schema object" })
  const unknown = Object.keys(schema).find((k) => !(KEYWORDS as ReadonlyArray<string>).includes(k))
  if (unknown !== undefined) {
    return Either.left({ path: join(path, unknown), message: `unsupported keyword "${unknown}": the supported ones are ${KEYWORDS.join(", ")}` })
  }
  return Either.flatMap(typeOf(schema, path), ({ type, nullable }): Either.Either<Field, Problem> => {
    if (schema.enum !== undefined) {
      const values = schema.enum
      if (type !== "string" || !Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === "string")) {
        return Either.left({ path: join(path, "enum"), message: "enum must be a non-empty list of strings, on a string field" })
      }
      return Either.right({ kind: "string", nullable, enum: values as ReadonlyArray<string> })
    }
    if (type === "object") {
      const props = schema.properties
      if (!isObject(props)) return Either.left({ path: join(path, "properties"), message: "an object field needs properties" })
      const properties: Array<readonly [string, Field]> = []
      for (const [key, sub] of Object.entries(props)) {
        const decoded = decode(sub, join(join(path, "properties"), key))
        if (Either.isLeft(decoded)) return decoded
        properties.push([key, decoded.right])
      }
      const required = schema.required ?? []
      if (!Array.isArray(required) || !required.every((r) => typeof r === "string" && r in props)) {
        return Either.left({ path: join(path, "required"), message: "required must list names of the properties" })
      }
      return Either.right({ kind: "object", nullable, properties, required: required as ReadonlyArray<string> })
    }
    if (type === "array") {
      if (schema.items === undefined) return Either.left({ path: join(path, "items"), message: "an array field needs items" })
      return Either.map(decode(schema.items, join(path, "items")), (items): Field => ({ kind: "array", nullable, items }))
    }
    return Either.right({ kind: type, nullable })
  })
}

/**
 * The Effect Schema that validates values of a field: `Struct` (optional properties where not
 * required; extra properties are dropped when decoding), `Array`, `String` or `Literal` for an enum,
 * `Number`, `Int`, `Boolean`, each in `NullOr` when nullable.
 *
 * @since 0.1.0
 */
export const toSchema = (field: Field): Schema.Schema<unknown> => {
  const base = ((): Schema.Schema<any> => {
    switch (field.kind) {
      case "object":
        return Schema.Struct(
          Object.fromEntries(
            field.properties.map(([key, sub]) => [key, field.required.includes(key) ? toSchema(sub) : Schema.optional(toSchema(sub))])
          )
        )
      case "array":
        return Schema.Array(toSchema(field.items))
      case "string":
        return field.enum === undefined ? Schema.String : Schema.Literal(...field.enum)
      case "number":
        return Schema.Number
      case "integer":
        return Schema.Int
      case "boolean":
        return Schema.Boolean
    }
  })()
  return field.nullable ? Schema.NullOr(base) : base
}

/**
 * Validates a value against a field with its Effect Schema: the decoded value (extra properties
 * dropped), or the first Problem with its path inside the value.
 *
 * @since 0.1.0
 */
export const validate = (field: Field, value: unknown): Either.Either<unknown, Problem> =>
  Schema.decodeUnknownEither(toSchema(field), { errors: "all", onExcessProperty: "ignore" })(value).pipe(
    Either.mapLeft((error) => {
      const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
      const first = issues[0]
      const path = first === undefined ? "" : first.path.reduce<string>((p, k) => join(p, typeof k === "number" ? k : String(k)), "")
      return { path, message: first?.message ?? ParseResult.TreeFormatter.formatErrorSync(error) }
    })
  )
