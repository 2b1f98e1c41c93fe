import { Command, ValidationError } from "@effect/cli"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { EvalError, ModelError } from "@clinical-evals/core"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import { setFlagsFromString } from "node:v8"

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
 * How far V8 may let its heap grow past what survived its last full collection, in percent, in the
 * evaluators' processes. By default V8 lets it reach about four times that (growth of 300%) when there
 * is memory to spare. A run streams its dataset and makes garbage at a steady rate, so most of its peak
 * is garbage waiting to be collected: with growth held to 100%, a 100,000-sample run peaks at about
 * 250 MB instead of 280 to 330, in the same time (docs/benchmarks.md). Nothing is capped: the heap still
 * grows with what a run keeps.
 *
 * @since 0.1.0
 */
export const HEAP_GROWING_PERCENT = 100

/**
 * The V8 flag `configureHeap` sets, or null when node was started with its own
 * `--heap-growing-percent` (which is then left alone).
 *
 * @since 0.1.0
 */
export const heapGrowingFlag = (nodeArgs: ReadonlyArray<string>): string | null =>
  nodeArgs.some((arg) => /^--heap[-_]growing[-_]percent(=|$)/.test(arg)) ? null : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`

/**
 * Applies `HEAP_GROWING_PERCENT` to this process (see there), unless node was given its own. Called by
 * `runMain`; a program that runs evaluations itself may call it first.
 *
 * @since 0.1.0
 */
export const configureHeap = (): void => {
  const flag = heapGrowingFlag(process.execArgv)
  if (flag !== null) setFlagsFromString(flag)
}

/**
 * Runs a command tree as the program: configures the heap (`configureHeap`), parses argv, prints errors
 * once with their exit code, and exits 130 when interrupted (Ctrl-C), after the run has saved what
 * finished.
 *
 * @since 0.1.0
 */
export const runMain = <Name extends string, R, E>(
  command: Command.Command<Name, R, E, any>,
  info: { readonly name: string; readonly version: string }
) => {
  configureHeap()
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
