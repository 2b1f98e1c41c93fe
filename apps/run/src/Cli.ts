import { Options } from "@effect/cli"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { EvalError } from "@clinical-evals/core"
import { EvaluatorCommand } from "@clinical-evals/evaluator"
import { DeclarativeTask } from "@clinical-evals/task-declarative"
import * as Effect from "effect/Effect"
import pkg from "../package.json" with { type: "json" }

const taskFile = Options.file("task-file").pipe(
  Options.withDescription(
    "The declarative task to run: a YAML or JSON file naming a JSONL or CSV dataset (relative to the file), a " +
      "prompt template with {{field}} placeholders, a parser (choice, label, text, json, icd), the reference field and " +
      "the metrics. See docs/writing-a-task.md. A mistake in it stops the command with its file, line and field (exit 2)."
  )
)

/** The flags of `run` besides the common ones. */
export interface RunFlags {
  readonly taskFile: string
}

/** The type of the `run` command, named for the app's declarations. */
export type RunCommand = ReturnType<typeof EvaluatorCommand.make<RunFlags>>

/**
 * `run`: evaluates a declarative task file with every common flag and the same outputs as any evaluator.
 * `--dataset` replaces the task file's dataset.
 */
export const command: RunCommand = EvaluatorCommand.make<RunFlags>({
  name: "run",
  description:
    "Evaluate a declarative task file (no code): a dataset, a prompt template, a parser and metrics, e.g. " +
    "`clinical-evals run --task-file my-task.yaml --model ollama:llama3:8b`.",
  tool: { name: "clinical-evals", version: pkg.version },
  options: { taskFile },
  task: ({ taskFile }) =>
    DeclarativeTask.load(taskFile).pipe(
      Effect.mapError((e) => new EvalError.UsageError({ message: e.pretty })),
      Effect.provide(NodeFileSystem.layer)
    )
})
