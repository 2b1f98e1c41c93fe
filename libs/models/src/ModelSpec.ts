import { ModelError } from "@clinical-evals/core"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { names as baselineNames } from "./Baseline.js"

/**
 * `ollama:<tag>`: a model on an Ollama server. The tag may itself contain `:` (`llama3:8b`).
 *
 * @since 0.1.0
 */
export class OllamaSpec extends Schema.TaggedClass<OllamaSpec>()("OllamaSpec", {
  spec: Schema.String,
  tag: Schema.NonEmptyTrimmedString
}) {}

/**
 * `openai:<model>`: a model on an OpenAI-compatible chat-completions server (vLLM, llama.cpp's server, TGI,
 * LM Studio, Ollama's /v1), as the server names it; the name is kept as written (servers match it exactly)
 * and may contain `/` and `:` (`openai:meta-llama/Llama-3.1-70B-Instruct`).
 *
 * @since 0.2.0
 */
export class OpenAiSpec extends Schema.TaggedClass<OpenAiSpec>()("OpenAiSpec", {
  spec: Schema.String,
  model: Schema.NonEmptyTrimmedString
}) {}

/**
 * `baseline:<name>`: a built-in deterministic model.
 *
 * @since 0.1.0
 */
export class BaselineSpec extends Schema.TaggedClass<BaselineSpec>()("BaselineSpec", {
  spec: Schema.String,
  /** A built-in name (`overlap`, `first`) or one a task defines (`lead`); the resolver checks which exist. */
  name: Schema.String.pipe(Schema.pattern(/^[a-z0-9][a-z0-9-]*$/))
}) {}

/**
 * A decoded `--model` string.
 *
 * @since 0.1.0
 */
export const ModelSpec = Schema.Union(OllamaSpec, OpenAiSpec, BaselineSpec)
export type ModelSpec = typeof ModelSpec.Type

/** The providers, as a user would write them. */
export const providers: ReadonlyArray<string> = ["ollama", "openai", "baseline"]

/**
 * The choices, for error and help texts: `ollama:<tag> (e.g. ollama:llama3:8b), openai:<model> (…), baseline:overlap,
 * baseline:first`.
 */
export const choices = `ollama:<tag> (e.g. ollama:llama3:8b), openai:<model> (an OpenAI-compatible server at --base-url), ${baselineNames.map((n) => `baseline:${n}`).join(", ")}`

/**
 * Decodes `provider:rest` into a {@link ModelSpec}. The provider is case-insensitive; an unknown provider
 * or baseline name fails with a message naming the choices.
 *
 * @since 0.1.0
 */
export const ModelSpecFromString = Schema.transformOrFail(Schema.String, ModelSpec, {
  strict: true,
  decode: (raw, _, ast) => {
    const spec = raw.trim()
    const fail = (message: string) => ParseResult.fail(new ParseResult.Type(ast, raw, message))
    const sep = spec.indexOf(":")
    if (sep < 0) return fail(`"${raw}" names no provider: write provider:name, one of ${choices}`)
    const provider = spec.slice(0, sep).toLowerCase()
    const rest = spec.slice(sep + 1).trim()
    switch (provider) {
      case "ollama":
        return rest === ""
          ? fail(`"${raw}" names no model: write ollama:<tag>, e.g. ollama:llama3:8b`)
          : ParseResult.succeed({ _tag: "OllamaSpec" as const, spec, tag: rest })
      case "openai":
        return rest === ""
          ? fail(`"${raw}" names no model: write openai:<model> as the server names it, e.g. openai:meta-llama/Llama-3.1-70B-Instruct`)
          : ParseResult.succeed({ _tag: "OpenAiSpec" as const, spec: `openai:${rest}`, model: rest })
      case "baseline": {
        const name = rest.toLowerCase()
        return /^[a-z0-9][a-z0-9-]*$/.test(name)
          ? ParseResult.succeed({ _tag: "BaselineSpec" as const, spec: `baseline:${name}`, name })
          : fail(`"${raw}" is not a baseline name: write baseline:<name>, e.g. ${baselineNames.map((n) => `baseline:${n}`).join(", ")}`)
      }
      default:
        return fail(`unknown provider "${spec.slice(0, sep)}" in "${raw}": choose one of ${choices}`)
    }
  },
  encode: (decoded) => ParseResult.succeed(decoded.spec)
})

/**
 * Decodes a `--model` string, failing with a ModelSpecError that says what is wrong and what is allowed.
 *
 * @since 0.1.0
 */
export const decode = (spec: string): Effect.Effect<ModelSpec, ModelError.ModelSpecError> =>
  Schema.decode(ModelSpecFromString)(spec).pipe(
    Effect.mapError(
      (e) =>
        new ModelError.ModelSpecError({
          spec,
          message: ParseResult.ArrayFormatter.formatErrorSync(e)[0]?.message ?? ParseResult.TreeFormatter.formatErrorSync(e)
        })
    )
  )
