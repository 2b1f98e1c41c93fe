import * as FileSystem from "@effect/platform/FileSystem"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { type Config, FaultKind } from "./FakeOllama.js"

/** An optional field that, when absent, is absent (not `undefined`): what `exactOptionalPropertyTypes` wants. */
const opt = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

/** A RegExp written in JSON as `{"regex": "…", "flags": "i"}`. */
const RegexFromJson = Schema.transformOrFail(
  Schema.Struct({ regex: Schema.String, flags: opt(Schema.String) }),
  Schema.instanceOf(RegExp),
  {
    strict: true,
    decode: ({ flags, regex }, _, ast) =>
      Either.try(() => new RegExp(regex, flags ?? "")).pipe(
        Either.mapLeft((e) => new ParseResult.Type(ast, regex, `invalid regex: ${e instanceof Error ? e.message : String(e)}`))
      ),
    encode: (r) => ParseResult.succeed({ regex: r.source, flags: r.flags })
  }
)

/** A substring, or a RegExp as `{"regex": …, "flags": …}`. */
const Match = Schema.Union(Schema.String, RegexFromJson)

/**
 * The JSON script the CLI (`bin.ts`) reads: the same as `FakeOllama.Config`, with a fixed default reply
 * and latency, and RegExps written as objects.
 *
 * @since 0.1.0
 */
export const ScriptFile = Schema.Struct({
  models: Schema.Array(
    Schema.Struct({
      name: Schema.NonEmptyString,
      digest: opt(Schema.String),
      size: opt(Schema.Int),
      root: opt(Schema.String),
      details: opt(
        Schema.Struct({
          parent_model: opt(Schema.String),
          format: opt(Schema.String),
          family: opt(Schema.String),
          families: opt(Schema.Array(Schema.String)),
          parameter_size: opt(Schema.String),
          quantization_level: opt(Schema.String)
        })
      )
    })
  ),
  rules: opt(
    Schema.Array(
      Schema.Struct({
        model: opt(Schema.String),
        match: opt(Match),
        reply: Schema.String,
        thinking: opt(Schema.String),
        doneReason: opt(Schema.String)
      })
    )
  ),
  defaultReply: opt(Schema.String),
  latencyMs: opt(Schema.NonNegative),
  chunkDelayMs: opt(Schema.NonNegative),
  slots: opt(Schema.Int.pipe(Schema.positive())),
  faults: opt(
    Schema.Array(
      Schema.Struct({
        sequence: Schema.Array(Schema.Union(FaultKind, Schema.Literal("ok"))),
        model: opt(Schema.String),
        match: opt(Match),
        paths: opt(Schema.Array(Schema.String))
      })
    )
  ),
  randomFaults: opt(
    Schema.Struct({
      seed: Schema.Int,
      rate: Schema.Number.pipe(Schema.between(0, 1)),
      kinds: Schema.Array(FaultKind),
      paths: opt(Schema.Array(Schema.String))
    })
  ),
  embeddingDimensions: opt(Schema.Int.pipe(Schema.positive())),
  version: opt(Schema.String),
  apiKey: opt(Schema.String),
  systemFingerprint: opt(Schema.String),
  reasoningField: opt(Schema.Literal("reasoning_content", "reasoning", "think"))
})
export type ScriptFile = typeof ScriptFile.Type

/** A script file that cannot be read or decoded. */
export class ScriptError extends Data.TaggedError("ScriptError")<{ readonly file: string; readonly message: string }> {}

/**
 * Turns a decoded script into a server config.
 *
 * @since 0.1.0
 */
export const toConfig = (script: ScriptFile): Config => {
  const { defaultReply, rules, ...rest } = script
  return {
    ...rest,
    rules: rules ?? [],
    ...(defaultReply !== undefined ? { defaultReply: () => defaultReply } : {})
  }
}

/**
 * Decodes a script from JSON text.
 *
 * @since 0.1.0
 */
export const decode = (file: string, text: string): Effect.Effect<Config, ScriptError> =>
  Schema.decodeUnknown(Schema.parseJson(ScriptFile), { errors: "all", onExcessProperty: "error" })(text).pipe(
    Effect.map(toConfig),
    Effect.mapError((e) => new ScriptError({ file, message: ParseResult.TreeFormatter.formatErrorSync(e) }))
  )

/**
 * Reads and decodes a script file.
 *
 * @since 0.1.0
 */
export const load = Effect.fn("Script.load")(function* (file: string) {
  const fs = yield* FileSystem.FileSystem
  const text = yield* fs
    .readFileString(file)
    .pipe(Effect.mapError((e) => new ScriptError({ file, message: `cannot read: ${e.message}` })))
  return yield* decode(file, text)
})
