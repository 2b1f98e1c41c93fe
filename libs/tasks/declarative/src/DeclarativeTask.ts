import { ChatMessage, type EvalError, type Task } from "@clinical-evals/core"
import type * as FileSystem from "@effect/platform/FileSystem"
import { IcdCode } from "@clinical-evals/parsers"
import * as Effect from "effect/Effect"
import * as DeclarativeAnswer from "./DeclarativeAnswer.js"
import * as DeclarativeDataset from "./DeclarativeDataset.js"
import * as DeclarativeMetrics from "./DeclarativeMetrics.js"
import type { DeclarativeSample } from "./DeclarativeSample.js"
import * as TaskFile from "./TaskFile.js"
import * as Template from "./Template.js"

/** The answer a few-shot example gives, in the form the parser reads best. */
const shotAnswer = (task: TaskFile.TaskFile, sample: DeclarativeSample): string =>
  task.parser.kind === "choice" || task.parser.kind === "label"
    ? `Answer: ${sample.reference[0]}`
    : task.parser.kind === "json" && task.parser.key !== undefined
      ? JSON.stringify({ [task.parser.key]: sample.reference.length === 1 ? sample.reference[0] : sample.reference })
      : task.parser.kind === "icd"
        ? sample.reference.map(IcdCode.toDotted).join("\n")
        : sample.reference.join("; ")

/**
 * The built-in models of a declarative task, served as `baseline:<name>`: `first-label` answers the
 * first label (`label` parser); `echo` repeats the user message's first line (text tasks: a floor any
 * model must beat). Multiple-choice tasks use the global `baseline:overlap` and `baseline:first`.
 */
const baselines = (task: TaskFile.TaskFile): Record<string, Task.TaskBaseline> => {
  if (task.parser.kind === "label") {
    const first = task.parser.labels[0]
    return { "first-label": { description: `always answers "${first}"`, reply: () => `Answer: ${first}` } }
  }
  return {
    echo: {
      description: "repeats the first non-empty line of the last user message",
      reply: (messages) =>
        (messages[messages.length - 1]?.content ?? "").split("\n").find((l) => l.trim() !== "")?.trim() ?? ""
    }
  }
}

/**
 * A task from a decoded task file: its dataset loader, template prompt (with few-shot examples as
 * earlier turns), parser, scorers and aggregate.
 *
 * @since 0.1.0
 */
export const make = (task: TaskFile.TaskFile): Task.Task<DeclarativeSample> => {
  const own = baselines(task)
  const defaultModel = task.model ?? (task.parser.kind === "choice" ? "baseline:overlap" : `baseline:${Object.keys(own)[0]}`)
  const turn = (sample: DeclarativeSample) => ChatMessage.user(Template.render(task.template, sample.fields))
  return {
    name: task.name,
    description: task.description ?? `Declarative task ${task.name} (${task.file})`,
    defaultDataset: task.dataset,
    defaultShotsFile: task.shots,
    load: (path, options) => DeclarativeDataset.load(task, path, options),
    scan: (path, options, onSample) => DeclarativeDataset.scan(task, path, options, onSample),
    prompt: (sample, context) =>
      Effect.succeed([
        ...(task.systemTemplate === null ? [] : [ChatMessage.system(Template.render(task.systemTemplate, sample.fields))]),
        ...context.shots.flatMap((shot) => [turn(shot), ChatMessage.assistant(shotAnswer(task, shot))]),
        turn(sample)
      ]),
    parse: (sample, generation) =>
      Effect.sync(() => DeclarativeAnswer.parse(task.parser, sample, generation.text, { truncated: generation.truncated })),
    score: (sample, parsed) => Effect.sync(() => DeclarativeMetrics.score(task, sample, parsed)),
    reference: (sample) => sample.referenceValue,
    groups: (sample) => sample.groups,
    aggregate: (records) => Effect.sync(() => DeclarativeMetrics.aggregate(task, records)),
    baselines: own,
    defaultModel
  }
}

/**
 * Reads a task file (YAML or JSON) and builds its task. Errors name the task file, line and field.
 *
 * @since 0.1.0
 */
export const load = (
  file: string
): Effect.Effect<Task.Task<DeclarativeSample>, EvalError.DatasetError, FileSystem.FileSystem> =>
  TaskFile.load(file).pipe(Effect.map(make))
