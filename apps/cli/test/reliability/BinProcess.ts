/**
 * The real `clinical-evals` bin in a child process, for the reliability tests: the shared CLI harness,
 * with retries backing off from 10 ms (CLINICAL_EVALS_RETRY_BASE_MS) so that fault tests take seconds.
 */
import { CliHarness } from "@clinical-evals/cli-harness"
import { fileURLToPath } from "node:url"

export const ROOT = fileURLToPath(new URL("../../../../", import.meta.url))

const FAST_RETRIES = { CLINICAL_EVALS_RETRY_BASE_MS: "10" }

/** Starts the bin in `cwd` with `args`; `env` is added to the environment. */
export const start = (args: ReadonlyArray<string>, cwd: string, env: Record<string, string> = {}) =>
  CliHarness.start(args, cwd, { ...FAST_RETRIES, ...env })

/** Runs the bin to its end. */
export const run = (args: ReadonlyArray<string>, cwd: string, env: Record<string, string> = {}): Promise<CliHarness.Result> =>
  start(args, cwd, env).done
