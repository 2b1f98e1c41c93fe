import * as Schema from "effect/Schema"

/**
 * A dataset record (or a whole file) that cannot be read. `line` is 1-based (for CSV: the record's
 * first line; for a JSON document: the line where the record starts when known), `field` the path of
 * the offending field (`options.B`, `answer_idx`), empty when the problem is the whole record or file.
 *
 * @since 0.1.0
 */
export class DatasetError extends Schema.TaggedError<DatasetError>()("DatasetError", {
  file: Schema.String,
  line: Schema.NullOr(Schema.Int),
  field: Schema.NullOr(Schema.String),
  message: Schema.String
}) {
  /** `file:line: field: message`, the form editors and terminals link to. */
  get pretty(): string {
    const where = this.line === null ? this.file : `${this.file}:${this.line}`
    return this.field ? `${where}: field "${this.field}": ${this.message}` : `${where}: ${this.message}`
  }
}

/** A command used in a way that cannot work (a bad flag value, an --out folder holding another run). */
export class UsageError extends Schema.TaggedError<UsageError>()("UsageError", {
  message: Schema.String
}) {}

/** The run store or the response cache could not be read or written. */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  file: Schema.String,
  message: Schema.String
}) {}

/** A task could not build a prompt or score a sample (a bug in the task, not in the model's answer). */
export class TaskError extends Schema.TaggedError<TaskError>()("TaskError", {
  task: Schema.String,
  sampleId: Schema.String,
  message: Schema.String
}) {}

/** Errors of the evaluation itself, as opposed to model errors. */
export type EvalError = DatasetError | UsageError | StoreError | TaskError
