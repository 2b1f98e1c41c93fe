import * as FileSystem from "@effect/platform/FileSystem"
import { EvalError } from "@clinical-evals/core"
import { ModelSpec } from "@clinical-evals/models"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { fileURLToPath } from "node:url"

/**
 * How a user gets a model: `built-in` (nothing to install), `library` (an official Ollama library tag:
 * `ollama pull`), `create` (no official tag: `ollama create` from a GGUF file, see `setup`).
 *
 * @since 0.2.0
 */
export const Availability = Schema.Literal("built-in", "library", "create")

/**
 * One model of the registry.
 *
 * @since 0.2.0
 */
export class RegistryModel extends Schema.Class<RegistryModel>("RegistryModel")({
  /** Short name used by `--models` and `--pairs` (a pair is named after its biomedical model). */
  name: Schema.String.pipe(Schema.pattern(/^[a-z0-9][a-z0-9._-]*$/, { message: () => "a name is lower-case letters, digits, '.', '_' or '-'" })),
  /** The model as `--model` takes it: `ollama:<tag>` or `baseline:<name>`. */
  spec: Schema.NonEmptyTrimmedString,
  label: Schema.optional(Schema.NonEmptyTrimmedString),
  family: Schema.String,
  size: Schema.String,
  biomedical: Schema.Boolean,
  /** For a biomedical model: the name of its general-purpose counterpart. */
  counterpart: Schema.optional(Schema.String),
  /** A baseline playing a model's part so that the study runs with no server; reports say so. */
  standIn: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  availability: Availability,
  /** What a user must do before the model can run (`ollama pull …`, `ollama create …`). */
  setup: Schema.optional(Schema.String),
  /** The model's name in the published CLUE results, to show its published scores beside ours. */
  clue: Schema.optional(Schema.String)
}) {}

/**
 * The registry file: the models and the pairs `compare` runs when neither `--pairs` nor `--models` is
 * given.
 *
 * @since 0.2.0
 */
export const Registry = Schema.Struct({
  defaultPairs: Schema.Array(Schema.String),
  models: Schema.Array(RegistryModel)
})
export type Registry = typeof Registry.Type

/**
 * A biomedical model and its general-purpose counterpart, named after the biomedical one.
 *
 * @since 0.2.0
 */
export interface Pair {
  readonly name: string
  readonly biomedical: RegistryModel
  readonly general: RegistryModel
  readonly standIn: boolean
}

/**
 * The registry shipped with the project: `data/models.json`.
 *
 * @since 0.2.0
 */
export const defaultFile = fileURLToPath(new URL("../../../data/models.json", import.meta.url))

const bad = (file: string, field: string | null, message: string) => new EvalError.DatasetError({ file, line: null, field, message })

const pathText = (path: ReadonlyArray<PropertyKey>): string =>
  path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("")

/**
 * Checks what the schema cannot: unique names, specs the resolver understands, counterparts that exist
 * and are general-purpose, default pairs that are pairs.
 */
const check = (file: string, registry: Registry): Effect.Effect<Registry, EvalError.DatasetError> =>
  Effect.gen(function* () {
    const byName = new Map<string, RegistryModel>()
    for (const [i, m] of registry.models.entries()) {
      if (byName.has(m.name)) return yield* bad(file, `models[${i}].name`, `"${m.name}" is used twice`)
      byName.set(m.name, m)
      yield* ModelSpec.decode(m.spec).pipe(Effect.mapError((e) => bad(file, `models[${i}].spec`, e.message)))
    }
    for (const [i, m] of registry.models.entries()) {
      if (m.counterpart === undefined) continue
      if (!m.biomedical) return yield* bad(file, `models[${i}].counterpart`, `only a biomedical model has a general-purpose counterpart`)
      const other = byName.get(m.counterpart)
      if (other === undefined) return yield* bad(file, `models[${i}].counterpart`, `no model is named "${m.counterpart}"`)
      if (other.biomedical) return yield* bad(file, `models[${i}].counterpart`, `"${m.counterpart}" is biomedical, not general-purpose`)
    }
    for (const [i, name] of registry.defaultPairs.entries()) {
      const m = byName.get(name)
      if (m === undefined || m.counterpart === undefined) {
        return yield* bad(file, `defaultPairs[${i}]`, `"${name}" is not a pair: name a biomedical model that has a counterpart`)
      }
    }
    return registry
  })

/**
 * Decodes a registry from its JSON text, failing with a DatasetError naming the file and the field.
 *
 * @since 0.2.0
 */
export const decode = (file: string, text: string): Effect.Effect<Registry, EvalError.DatasetError> =>
  Schema.decodeUnknown(Schema.parseJson(Registry))(text, { onExcessProperty: "ignore" }).pipe(
    Effect.mapError((e) => {
      const first = ParseResult.ArrayFormatter.formatErrorSync(e)[0]
      return bad(file, first && first.path.length > 0 ? pathText(first.path) : null, first?.message ?? "not a model registry")
    }),
    Effect.flatMap((r) => check(file, r))
  )

/**
 * Reads and decodes a registry file (`--registry`, else the shipped one).
 *
 * @since 0.2.0
 */
export const load = Effect.fn("ModelRegistry.load")(function* (file: string = defaultFile) {
  const fs = yield* FileSystem.FileSystem
  const text = yield* fs.readFileString(file).pipe(Effect.mapError(() => bad(file, null, "cannot read the model registry")))
  return yield* decode(file, text)
})

/**
 * Every pair of the registry, in registry order.
 *
 * @since 0.2.0
 */
export const pairs = (registry: Registry): ReadonlyArray<Pair> =>
  registry.models.flatMap((m) => {
    const general = m.counterpart === undefined ? undefined : registry.models.find((g) => g.name === m.counterpart)
    return general === undefined ? [] : [{ name: m.name, biomedical: m, general, standIn: m.standIn || general.standIn }]
  })

/**
 * The registry entry of a model spec, if any.
 *
 * @since 0.2.0
 */
export const bySpec = (registry: Registry, spec: string): RegistryModel | undefined =>
  registry.models.find((m) => m.spec === spec)
