import { EvalError } from "@clinical-evals/core"
import { Bm25, RagVariant, RetrievalStage } from "@clinical-evals/retrieval"
import * as Effect from "effect/Effect"
import { join } from "node:path"
import * as ModelRegistry from "./ModelRegistry.js"
import type { StudyTask } from "./StudyTask.js"

/**
 * What the user asked for: pairs (names of biomedical models, or `all`), models (names or specs), tasks
 * (names, or `all`). Empty lists mean the defaults: the registry's default pairs and every task.
 *
 * @since 0.2.0
 */
export interface Selection {
  readonly pairs: ReadonlyArray<string>
  readonly models: ReadonlyArray<string>
  readonly tasks: ReadonlyArray<string>
}

/**
 * One cell of the matrix: a model on a task, in its own run folder.
 *
 * @since 0.2.0
 */
export interface Cell {
  readonly model: string
  readonly task: StudyTask
  readonly out: string
}

/**
 * The matrix: the models in the order they run (one at a time), the tasks, the pairs whose both members
 * are in it, and the cells, model by model.
 *
 * @since 0.2.0
 */
export interface Plan {
  readonly models: ReadonlyArray<string>
  readonly tasks: ReadonlyArray<StudyTask>
  readonly pairs: ReadonlyArray<ModelRegistry.Pair>
  readonly cells: ReadonlyArray<Cell>
}

/**
 * Flag values as a list: repeated flags and comma-separated values alike (`--tasks a,b --tasks c`).
 *
 * @since 0.2.0
 */
export const splitList = (values: ReadonlyArray<string>): ReadonlyArray<string> =>
  values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "")

/** A model spec as a folder name: `ollama:llama3:8b` becomes `ollama_llama3_8b`. */
export const slug = (spec: string): string => spec.replace(/[^A-Za-z0-9._-]+/g, "_")

/**
 * The run folder of a cell: `<study>/<task>/<model>`.
 *
 * @since 0.2.0
 */
export const cellDir = (studyDir: string, task: string, spec: string): string => join(studyDir, task, slug(spec))

const usage = (message: string) => new EvalError.UsageError({ message })

/**
 * Plans the matrix of models by tasks from the registry, the registered tasks and the selection. An
 * unknown pair, model or task fails with the choices. Models run in registry order, then the others in
 * the order given; each model runs all its tasks before the next starts.
 *
 * @since 0.2.0
 */
export const plan = (
  registry: ModelRegistry.Registry,
  tasks: ReadonlyArray<StudyTask>,
  selection: Selection,
  studyDir: string
): Effect.Effect<Plan, EvalError.UsageError> =>
  Effect.gen(function* () {
    const allPairs = ModelRegistry.pairs(registry)
    const wantedTasks = selection.tasks.length === 0 || selection.tasks.includes("all") ? tasks.map((t) => t.name) : selection.tasks
    const chosenTasks: Array<StudyTask> = []
    for (const name of wantedTasks) {
      const task = tasks.find((t) => t.name === name || t.evaluator === name)
      if (task === undefined) return yield* usage(`unknown task "${name}": choose from ${tasks.map((t) => t.name).join(", ")} (or all)`)
      if (!chosenTasks.includes(task)) chosenTasks.push(task)
    }
    const pairNames =
      selection.pairs.includes("all")
        ? allPairs.map((p) => p.name)
        : selection.pairs.length === 0 && selection.models.length === 0
          ? registry.defaultPairs
          : selection.pairs
    const specs: Array<string> = []
    for (const name of pairNames) {
      const pair = allPairs.find((p) => p.name === name)
      if (pair === undefined) return yield* usage(`unknown pair "${name}": choose from ${allPairs.map((p) => p.name).join(", ")} (or all)`)
      specs.push(pair.biomedical.spec, pair.general.spec)
    }
    for (const name of selection.models) {
      const entry = registry.models.find((m) => m.name === name || m.spec === name)
      if (entry !== undefined) specs.push(entry.spec)
      else if (name.includes(":")) specs.push(name)
      else return yield* usage(`unknown model "${name}": name one of ${registry.models.map((m) => m.name).join(", ")}, or give a spec such as ollama:<tag>`)
    }
    const inRegistry = registry.models.map((m) => m.spec).filter((s) => specs.includes(s))
    const models = [...new Set([...inRegistry, ...specs])]
    const pairs = allPairs.filter((p) => models.includes(p.biomedical.spec) && models.includes(p.general.spec))
    // A `<model>+rag` variant runs the tasks that can retrieve, built with retrieval (BM25, the embedded
    // default), under the same task name as the base model's cells, so that the two pair up.
    const cells: Array<Cell> = []
    for (const model of models) {
      const rag = RagVariant.parse(model).rag
      const own = rag ? chosenTasks.filter((t) => t.rag !== undefined) : chosenTasks
      if (rag && own.length === 0) {
        return yield* usage(`${model}: none of the chosen tasks can retrieve (retrieval variants run on: ${tasks.filter((t) => t.rag).map((t) => t.name).join(", ")})`)
      }
      for (const task of own) {
        const built = rag ? { ...task, task: task.rag!({ retriever: Bm25.retriever(), k: RetrievalStage.DEFAULT_K }) } : task
        cells.push({ model, task: built, out: cellDir(studyDir, task.name, model) })
      }
    }
    return { models, tasks: chosenTasks, pairs, cells }
  })
