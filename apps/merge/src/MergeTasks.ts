import { StudyTasks } from "@clinical-evals/compare"
import { EvalError, type Task } from "@clinical-evals/core"
import { Bm25, RetrievalStage } from "@clinical-evals/retrieval"
import { LongHealthTask } from "@clinical-evals/task-longhealth"
import { SummarizeTask } from "@clinical-evals/task-summarize"
import * as Effect from "effect/Effect"

/**
 * The tasks whose runs `merge` can aggregate, by the name run.json records (`settings.task`): every task
 * of the study's registry (one list for the whole project: apps/compare's StudyTasks), plus the
 * variants an evaluator can build from its flags (summaries of the project's own JSONL, LongHealth with
 * retrieval). Merging needs only a task's aggregate, which these variants share with their runs.
 *
 * @since 0.1.0
 */
export const tasks: Record<string, Task.AnyTask> = Object.fromEntries(
  [
    ...StudyTasks.all.map((t) => t.task),
    SummarizeTask.make({ style: "jsonl" }),
    ...([1, 2, 3] as const).map((variant) =>
      LongHealthTask.make({
        variant,
        contextTokens: LongHealthTask.DEFAULT_CONTEXT_TOKENS,
        retrieval: { retriever: Bm25.retriever(), k: RetrievalStage.DEFAULT_K }
      })
    )
  ].map((task) => [task.name, task])
)

/**
 * The task named in a run's settings, or a UsageError naming the tasks merge knows.
 *
 * @since 0.1.0
 */
export const find = (name: string): Effect.Effect<Task.AnyTask, EvalError.UsageError> => {
  const task = tasks[name]
  return task !== undefined
    ? Effect.succeed(task)
    : Effect.fail(
        new EvalError.UsageError({ message: `merge does not know the task "${name}"; it knows ${Object.keys(tasks).join(", ")}` })
      )
}
