import { CliConfig, HelpDoc, Options } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { CommonOptions } from "../src/index.js"

/** The value a flag takes from `args`. */
const parse = <A>(flag: Options.Options<A>, args: ReadonlyArray<string>) =>
  Options.processCommandLine(flag, args, CliConfig.defaultConfig).pipe(
    Effect.map(([, , value]) => value),
    Effect.provide(NodeContext.layer)
  )

const help = (flag: Options.Options<unknown>) => HelpDoc.toAnsiText(Options.getHelp(flag))

describe("CommonOptions constructors", () => {
  it.effect("optional: none when left out, the value when given, the same --help as the pipe it stands for", () =>
    Effect.gen(function* () {
      const limit = CommonOptions.optional(Options.integer("limit"), "Evaluate only the first N samples.")
      assert.deepStrictEqual(yield* parse(limit, []), Option.none())
      assert.deepStrictEqual(yield* parse(limit, ["--limit", "5"]), Option.some(5))
      const error = yield* Effect.flip(parse(limit, ["--limit", "abc"]))
      assert.strictEqual(error._tag, "InvalidValue")
      assert.strictEqual(
        help(limit),
        help(Options.integer("limit").pipe(Options.withDescription("Evaluate only the first N samples."), Options.optional))
      )
      assert.include(help(limit), "Evaluate only the first N samples.")
    }))

  it.effect("withDefault: the fallback when left out, the value when given, the same --help as the pipe", () =>
    Effect.gen(function* () {
      const choice = CommonOptions.withDefault(Options.choice("on-bad-input", ["fail", "skip"]), "On a bad record.", "fail")
      assert.strictEqual(yield* parse(choice, []), "fail")
      assert.strictEqual(yield* parse(choice, ["--on-bad-input", "skip"]), "skip")
      const piped = Options.choice("on-bad-input", ["fail", "skip"]).pipe(
        Options.withDescription("On a bad record."),
        Options.withDefault("fail")
      )
      assert.strictEqual(help(choice), help(piped))
    }))

  it.effect("repeated: every value in order, none when left out, the same --help as the pipe", () =>
    Effect.gen(function* () {
      const hosts = CommonOptions.repeated(Options.text("ollama-host"), "Ollama server, repeatable.")
      assert.deepStrictEqual(yield* parse(hosts, []), [])
      assert.deepStrictEqual(yield* parse(hosts, ["--ollama-host", "a", "--ollama-host", "b"]), ["a", "b"])
      assert.strictEqual(
        help(hosts),
        help(Options.text("ollama-host").pipe(Options.withDescription("Ollama server, repeatable."), Options.repeated))
      )
    }))

  it.effect("the common flags keep their defaults", () =>
    Effect.gen(function* () {
      const o = CommonOptions.make({ model: "baseline:x", maxTokens: 256 })
      assert.strictEqual(yield* parse(o.concurrency, []), 4)
      assert.strictEqual(yield* parse(o.seed, []), 1234)
      assert.strictEqual(yield* parse(o.temperature, []), 0)
      assert.strictEqual(yield* parse(o.maxTokens, []), 256)
      assert.strictEqual(yield* parse(o.timeout, []), 120)
      assert.strictEqual(yield* parse(o.firstCallTimeout, []), 600)
      assert.strictEqual(yield* parse(o.retries, []), 3)
      assert.strictEqual(yield* parse(o.onBadInput, []), "fail")
      assert.deepStrictEqual(yield* parse(o.limit, []), Option.none())
      assert.deepStrictEqual(yield* parse(o.model, []), [])
      assert.include(help(o.model), "Default: baseline:x.")
    }))
})
