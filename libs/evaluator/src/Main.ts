import { Command, ValidationError } from "@effect/cli"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { EvalError, ModelError } from "@clinical-evals/core"
import { Cause, Console, Effect, Exit, Option } from "effect"

/** Exit codes: 0 every sample finished; 1 some samples failed after retries, or a crash; 2 bad usage or input. */
export const EXIT = { ok: 0, failedSamples: 1, usage: 2, interrupted: 130 } as const

/**
 * The message and exit code for an error that ends the program. Bad usage and bad input (a dataset
 * record, a flag, a model that is not there, a host that cannot be reached) exit 2.
 *
 * @since 0.1.0
 */
export const describeFailure = (error: unknown): { readonly message: string; readonly code: number } => {
  if (error instanceof EvalError.DatasetError) return { message: error.pretty, code: EXIT.usage }
  if (error instanceof EvalError.UsageError) return { message: error.message, code: EXIT.usage }
  if (error instanceof EvalError.StoreError) return { message: `${error.file}: ${error.message}`, code: EXIT.failedSamples }
  if (ModelError.isModelError(error)) return { message: error.message, code: EXIT.usage }
  if (ValidationError.isValidationError(error)) return { message: "", code: EXIT.usage }
  return { message: error instanceof Error ? error.message : String(error), code: EXIT.failedSamples }
}

/**
 * Runs a command tree as the program: parses argv, prints errors once with their exit code, and exits
 * 130 when interrupted (Ctrl-C), after the run has saved what finished.
 *
 * @since 0.1.0
 */
export const runMain = <Name extends string, R, E>(
  command: Command.Command<Name, R, E, any>,
  info: { readonly name: string; readonly version: string }
) => {
  const cli = Command.run(command, { name: info.name, version: info.version })
  const program = Effect.suspend(() => cli(process.argv)).pipe(
    Effect.catchAllCause((cause) => {
      if (Cause.isInterruptedOnly(cause)) return Effect.failCause(cause)
      const failure = Cause.failureOption(cause)
      const { message, code } = Option.isSome(failure)
        ? describeFailure(failure.value)
        : { message: Cause.pretty(cause), code: EXIT.failedSamples }
      return (message === "" ? Effect.void : Console.error(`error: ${message}`)).pipe(
        Effect.zipRight(Effect.sync(() => void (process.exitCode = code)))
      )
    }),
    Effect.provide(NodeContext.layer)
  ) as Effect.Effect<void, never, never>
  NodeRuntime.runMain(program, {
    disableErrorReporting: true,
    teardown: (exit, onExit) =>
      onExit(Exit.isInterrupted(exit) ? EXIT.interrupted : Exit.isFailure(exit) ? EXIT.failedSamples : Number(process.exitCode ?? 0))
  })
}
