import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Effect from "effect/Effect"
import type { ChatMessage } from "./ChatMessage.js"
import type { DatasetError, TaskError } from "./EvalError.js"
import type { Generation } from "./Generation.js"
import type { GenerationOptions } from "./GenerationOptions.js"
import type { MetricValue } from "./Summary.js"
import type { ParsedAnswer, Score } from "./Score.js"
import type { SampleRecord } from "./SampleRecord.js"

/**
 * The least a sample must have: a stable id, unique within its dataset.
 *
 * @since 0.1.0
 */
export interface TaskSample {
  readonly id: string
}

/** A record the loader skipped (with `--on-bad-input skip`), and why. */
export interface SkippedRecord {
  readonly error: DatasetError
}

/** What a loader read from one file. */
export interface Dataset<S extends TaskSample> {
  readonly path: string
  readonly format: string
  readonly samples: ReadonlyArray<S>
  readonly skipped: ReadonlyArray<SkippedRecord>
}

/**
 * What a streaming loader reports at the end of a pass over a file: the format it read, how many
 * samples it handed over, and the records it skipped (with `onBadInput: "skip"`).
 */
export interface ScanResult {
  readonly path: string
  readonly format: string
  readonly samples: number
  readonly skipped: ReadonlyArray<SkippedRecord>
}

/** How a loader treats a bad record: stop at the first (`fail`) or skip it and report it (`skip`). */
export type OnBadInput = "fail" | "skip"

export interface LoadOptions {
  readonly onBadInput: OnBadInput
}

/** What a prompt builder gets besides the sample: the few-shot examples chosen for it. */
export interface PromptContext<S extends TaskSample> {
  readonly shots: ReadonlyArray<S>
}

/**
 * A prompt with what else the runner should know: `details` go into the sample's record (for example
 * which documents did not fit the context budget: never cut silently), `options` override the run's
 * generation options for this sample (for example `format`, a JSON schema for structured output).
 */
export interface Prompt {
  readonly messages: ReadonlyArray<ChatMessage>
  readonly details?: Record<string, unknown>
  readonly options?: Partial<GenerationOptions>
}

/**
 * A deterministic built-in model a task defines, because only the task knows its prompt: it reads the
 * chat messages and answers, with no server. Served as `baseline:<name>` like any other provider.
 */
export interface TaskBaseline {
  readonly description: string
  readonly reply: (messages: ReadonlyArray<ChatMessage>) => string
}

/** A task's aggregate over one model's records: named metrics, and the same broken down by groups. */
export interface TaskSummary {
  readonly metrics: Record<string, MetricValue>
  readonly groups: Record<string, Record<string, { readonly n: number; readonly metrics: Record<string, MetricValue> }>>
}

/**
 * A task plugin: a dataset loader, a prompt builder, an answer parser, scorers and an aggregate. It
 * knows nothing of the CLI, storage or other tasks; the runner composes it with a model.
 *
 * @since 0.1.0
 */
export interface Task<S extends TaskSample> {
  /** Short name, used in run folders and reports (`case-challenge`). */
  readonly name: string
  readonly description: string
  /** Bundled dataset used when none is given, and the bundled pool of few-shot examples. */
  readonly defaultDataset: string
  readonly defaultShotsFile: string | null
  /** Reads a dataset file, choosing the format from its name and content. */
  readonly load: (
    path: string,
    options: LoadOptions
  ) => Effect.Effect<Dataset<S>, DatasetError, FileSystem.FileSystem>
  /**
   * Reads a dataset file a record at a time, handing each valid sample to `onSample` in file order
   * (with its 0-based position among the samples and the line it starts on) and waiting for the
   * effect `onSample` returns before reading on, so that a file of any size is held one record at a
   * time, never whole. The same checks as `load`, with the same errors naming file, line and field
   * (repeated ids included). Optional: the runner falls back to `load` when a task has none, and a
   * task may stream some formats (JSON Lines) and `load` the others.
   */
  readonly scan?: <E>(
    path: string,
    options: LoadOptions,
    onSample: (sample: S, position: number, line: number) => Effect.Effect<void, E>
  ) => Effect.Effect<ScanResult, DatasetError | E, FileSystem.FileSystem>
  /** The chat messages for one sample, alone or with details and per-sample generation options. */
  readonly prompt: (
    sample: S,
    context: PromptContext<S>
  ) => Effect.Effect<ReadonlyArray<ChatMessage> | Prompt, TaskError>
  /** Reads the answer from the model's text; never fails. */
  readonly parse: (sample: S, generation: Generation) => Effect.Effect<ParsedAnswer>
  /**
   * Scores the parsed answer, by metric name. A TaskError (e.g. a scoring model that could not be
   * reached) makes the sample fail, to be retried by the next run.
   */
  readonly score: (sample: S, parsed: ParsedAnswer) => Effect.Effect<Record<string, Score>, TaskError>
  /** The expected answer as it appears in samples.jsonl. */
  readonly reference: (sample: S) => unknown
  /** Labels to break results down by (e.g. `{ source: "NEJM", category: "Cardiology" }`). */
  readonly groups: (sample: S) => Record<string, string>
  /** The task's metrics over one model's finished records. */
  readonly aggregate: (records: ReadonlyArray<SampleRecord>) => Effect.Effect<TaskSummary>
  /** Built-in models of this task (`baseline:<name>`), e.g. `lead` for summaries. */
  readonly baselines?: Record<string, TaskBaseline>
  /** The model used when `--model` is not given; `baseline:overlap` when absent. */
  readonly defaultModel?: string
  /** Few-shot examples per prompt when `--shots` is not given (CLUE's k for the task); 0 when absent. */
  readonly defaultShots?: number
}

/** A task whose sample type is not known to the caller (for registries of tasks). */
export type AnyTask = Task<any>

/**
 * A prompt builder's answer as a Prompt, whether it gave bare messages or messages with more.
 *
 * @since 0.1.0
 */
export const toPrompt = (p: ReadonlyArray<ChatMessage> | Prompt): Prompt =>
  "messages" in p ? (p as Prompt) : { messages: p as ReadonlyArray<ChatMessage> }
