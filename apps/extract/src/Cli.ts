import { Command, Options } from "@effect/cli"
import { EvalError, type ModelError, type Task } from "@clinical-evals/core"
import { CommonOptions, EvaluatorCommand } from "@clinical-evals/evaluator"
import { MeDiSumQaTask, MedNliTask, StructuredTask } from "@clinical-evals/task-extract"
import { ModelResolver, OllamaEmbedder } from "@clinical-evals/models"
import { RetrievalSettings, RetrievalStage } from "@clinical-evals/retrieval"
import { LongHealthTask } from "@clinical-evals/task-longhealth"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import pkg from "../package.json" with { type: "json" }

/**
 * The tasks of `extract`, as `--task` names them.
 */
export const TASKS = ["medisumqa", "structured", "mednli", "longhealth-task1", "longhealth-task2", "longhealth-task3"] as const
export type TaskName = (typeof TASKS)[number]

const LONGHEALTH: Record<string, 1 | 2 | 3> = { "longhealth-task1": 1, "longhealth-task2": 2, "longhealth-task3": 3 }

interface Extra {
  readonly task: TaskName
  readonly contextTokens: Option.Option<number>
  readonly rag: boolean
  readonly retrieveK: Option.Option<number>
  readonly embedModel: Option.Option<string>
  readonly embedCache: Option.Option<string>
  readonly chunkChars: Option.Option<number>
  readonly chunkOverlap: Option.Option<number>
}

const usage = (message: string) => new EvalError.UsageError({ message })

/** The task a `--task` (and `--context-tokens`, and retrieval with `--rag`) names. */
const chooseTask = (
  extra: Extra,
  retrieval: RetrievalStage.RetrievalConfig | null
): Effect.Effect<Task.AnyTask, EvalError.UsageError | ModelError.ModelError> => {
  const variant = LONGHEALTH[extra.task]
  if (variant === undefined) {
    if (Option.isSome(extra.contextTokens)) return Effect.fail(usage(`--context-tokens applies to the longhealth tasks only, not to ${extra.task}`))
    if (retrieval !== null) return Effect.fail(usage(`--rag applies to the longhealth tasks only, not to ${extra.task}`))
    const tasks: Record<string, Task.AnyTask> = {
      medisumqa: MeDiSumQaTask.MeDiSumQaTask,
      structured: StructuredTask.StructuredTask,
      mednli: MedNliTask.MedNliTask
    }
    return Effect.succeed(tasks[extra.task]!)
  }
  const contextTokens = Option.getOrElse(extra.contextTokens, () => LongHealthTask.DEFAULT_CONTEXT_TOKENS)
  if (contextTokens < 1) return Effect.fail(usage("--context-tokens must be at least 1"))
  return Effect.succeed(LongHealthTask.make({ variant, contextTokens, ...(retrieval === null ? {} : { retrieval }) }))
}

const spec: EvaluatorCommand.EvaluatorSpec<Extra> = {
  name: "extract",
  description:
    "Information extraction and question answering over clinical documents. --task chooses: medisumqa (questions " +
    "about discharge summaries, ROUGE and token F1), structured (JSON fields from notes, scored field by field, " +
    "invalid JSON and hallucinated values counted), mednli (entailment / contradiction / neutral, CLUE's scoring, " +
    "accuracy and per-class F1), longhealth-task1|2|3 (multiple choice over long patient records; task 3 measures " +
    "hallucinated answers to unanswerable questions). Each task's default model is its own baseline.",
  tool: { name: "clinical-evals", version: pkg.version },
  options: {
    task: CommonOptions.withDefault(
      Options.choice("task", TASKS),
      "The task to run (see above). Default: medisumqa. Each task's own few-shot default (CLUE's k), used when " +
        `--shots is not given: medisumqa ${MeDiSumQaTask.DEFAULT_SHOTS}, mednli ${MedNliTask.DEFAULT_SHOTS}, ` +
        `structured ${StructuredTask.DEFAULT_SHOTS}, longhealth 0.`,
      "medisumqa"
    ),
    contextTokens: CommonOptions.optional(
      Options.integer("context-tokens"),
      `LongHealth tasks only: the prompt's token budget (estimated); documents that do not fit are left out and ` +
        `recorded in the sample's details. Default: ${LongHealthTask.DEFAULT_CONTEXT_TOKENS}.`
    ),
    rag: Options.boolean("rag").pipe(
      Options.withDescription(
        "LongHealth tasks only: put the top-k retrieved chunks of the documents in the prompt in place of the whole " +
          "context (the task becomes longhealth-taskN+rag; retrieved chunks and whether the answer's chunk was among " +
          "them are recorded, and retrieval_recall is reported). BM25 unless --embed-model is given. See docs/retrieval.md."
      )
    ),
    retrieveK: CommonOptions.optional(
      Options.integer("retrieve-k"),
      `With --rag: how many chunks to retrieve. Default: ${RetrievalStage.DEFAULT_K}.`
    ),
    embedModel: CommonOptions.optional(
      Options.text("embed-model"),
      "With --rag: retrieve by cosine similarity of this Ollama embedding model's vectors (ollama:<tag>) instead of BM25."
    ),
    embedCache: CommonOptions.optional(
      Options.text("embed-cache"),
      "With --embed-model: the embedding store. Default: ~/.cache/clinical-evals/embeddings.sqlite."
    ),
    chunkChars: CommonOptions.optional(
      Options.integer("chunk-chars"),
      "With --rag: the longest chunk in characters (chunks end on sentence boundaries)."
    ),
    chunkOverlap: CommonOptions.optional(
      Options.integer("chunk-overlap"),
      "With --rag: sentences repeated between consecutive chunks."
    )
  },
  task: (extra) => chooseTask(extra, null)
}

const common = {
  ...CommonOptions.options,
  model: CommonOptions.repeated(
    Options.text("model"),
    "Model to evaluate, repeatable: ollama:<tag> (e.g. ollama:llama3:8b) or baseline:<name>. Default: the task's " +
      "baseline (medisumqa: baseline:sentence, structured: baseline:pattern, mednli: baseline:overlap, longhealth: " +
      "baseline:passage-overlap), which needs no server."
  )
}

/**
 * `extract`: the evaluator command. Built like every evaluator's (`EvaluatorCommand.execute` with the
 * common flags), inside a scope that holds the embedding store when `--rag --embed-model` asks for one.
 */
export const command = Command.make("extract", { common, own: spec.options! }, ({ common, own }) =>
  Effect.gen(function* () {
    const settings = yield* RetrievalSettings.fromFlags({
      rag: own.rag,
      retrieveK: Option.getOrNull(own.retrieveK),
      embedModel: Option.getOrNull(own.embedModel),
      embedCache: Option.getOrNull(own.embedCache),
      chunkChars: Option.getOrNull(own.chunkChars),
      chunkOverlap: Option.getOrNull(own.chunkOverlap)
    })
    const embedderConfig = {
      ...(common.ollamaHosts[0] === undefined ? {} : { ollamaHost: common.ollamaHosts[0] }),
      timeoutSeconds: common.timeout,
      retries: common.retries
    }
    const retrieval =
      settings === null
        ? null
        : yield* RetrievalSettings.build(settings, (embedSpec) =>
            Effect.gen(function* () {
              const embedder = yield* OllamaEmbedder.resolve(embedSpec, embedderConfig)
              const digest = yield* ModelResolver.make(embedderConfig).resolve(embedSpec).pipe(
                Effect.flatMap((m) => m.info),
                Effect.map((i) => i.digest),
                Effect.orElseSucceed(() => null)
              )
              return { embedder, digest }
            })
          ).pipe(Effect.catchTag("RetrievalError", (e) => Effect.fail(usage(e.message))))
    return yield* EvaluatorCommand.execute(
      { ...spec, task: (extra: Extra) => chooseTask(extra, retrieval) },
      {
        ...common,
        // As EvaluatorCommand.make: the first --ollama-host for code that knows one host.
        ollamaHost: Option.fromNullable(common.ollamaHosts[0])
      },
      own
    )
  }).pipe(Effect.scoped)
).pipe(Command.withDescription(spec.description))
