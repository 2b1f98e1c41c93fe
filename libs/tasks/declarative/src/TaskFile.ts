import * as FileSystem from "@effect/platform/FileSystem"
import { Csv, DatasetReader, EvalError } from "@clinical-evals/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { dirname, resolve } from "node:path"
import * as Yaml from "yaml"
import * as Template from "./Template.js"

/**
 * The metrics a declarative task may ask for, all computed by `@clinical-evals/metrics`:
 * - `accuracy`: the parsed answer equals the reference (choice letters and labels exactly, ICD codes
 *   as the same set, text after SQuAD normalization); Wilson 95% interval;
 * - `exact_match`: SQuAD-normalized exact match against any reference; Wilson interval;
 * - `token_f1`: SQuAD token F1, best over the references; bootstrap interval;
 * - `rouge`: ROUGE-1, ROUGE-2 and ROUGE-L F-measures (rouge_score 0.1.2); bootstrap intervals;
 * - `bleu`, `chrf`: corpus BLEU and chrF (sacreBLEU 2.6.0), 0–100, no interval;
 * - `set`: set precision, recall and F1 per sample, averaged (scikit-learn `average="samples"`);
 *   bootstrap intervals.
 *
 * @since 0.1.0
 */
export const Metric = Schema.Literal("accuracy", "exact_match", "token_f1", "rouge", "bleu", "chrf", "set")
export type Metric = typeof Metric.Type

/**
 * How the model's reply is read:
 * - `choice`: a letter among lettered options (`@clinical-evals/parsers` ChoiceAnswer); `options` is a
 *   field holding `{"A": "…", "B": "…"}`, or a list of columns taken as options A, B, C… (empty ones
 *   left out); the reference is the letter;
 * - `label`: one label of `labels` (LabelAnswer: an `Answer:` line, else the one label named);
 * - `text`: free text, reasoning removed;
 * - `json`: a JSON object (JsonAnswer); with `key`, the answer is that key's value (a list becomes a set);
 * - `icd`: the ICD-10-CM codes named anywhere in the reply (IcdCode, as CLUE reads them), as a set; the
 *   reference is a list of codes (or codes separated by `;` or `,`), dotted or not.
 *
 * @since 0.1.0
 */
export const Parser = Schema.Union(
  Schema.Struct({
    kind: Schema.Literal("choice"),
    options: Schema.Union(Schema.NonEmptyString, Schema.NonEmptyArray(Schema.NonEmptyString))
  }),
  Schema.Struct({ kind: Schema.Literal("label"), labels: Schema.NonEmptyArray(Schema.NonEmptyString) }),
  Schema.Struct({ kind: Schema.Literal("text") }),
  Schema.Struct({ kind: Schema.Literal("json"), key: Schema.optional(Schema.NonEmptyString) }),
  Schema.Struct({ kind: Schema.Literal("icd") })
)
export type Parser = typeof Parser.Type

/** The parser kinds this version reads. */
export const PARSER_KINDS = ["choice", "label", "text", "json", "icd"] as const

/**
 * A task file, as written (paths relative to the file). JSON is YAML too: both are read the same way.
 *
 * @since 0.1.0
 */
export const TaskFileSchema = Schema.Struct({
  name: Schema.String.pipe(
    Schema.pattern(/^[a-z0-9][a-z0-9-]*$/, { message: () => "a name of lowercase letters, digits and dashes" })
  ),
  description: Schema.optional(Schema.String),
  /** The dataset: `.jsonl` or `.csv`, relative to the task file. */
  dataset: Schema.NonEmptyString,
  /** A pool of few-shot examples in the same format, for `--shots K`. */
  shots: Schema.optional(Schema.NonEmptyString),
  /** The field holding each record's id; records without one are numbered `<file name>-<n>`. */
  id: Schema.optionalWith(Schema.NonEmptyString, { default: () => "id" }),
  system: Schema.optional(Schema.String),
  /** The user message, with `{{field}}` placeholders. */
  prompt: Schema.NonEmptyString,
  parser: Parser,
  /** The field holding the expected answer. */
  reference: Schema.NonEmptyString,
  metrics: Schema.NonEmptyArray(Metric),
  /** Fields to break results down by. */
  groups: Schema.optionalWith(Schema.Array(Schema.NonEmptyString), { default: () => [] }),
  /** The model used without `--model`. */
  model: Schema.optional(Schema.NonEmptyString)
})

/**
 * A decoded task file, with its paths made absolute and the fields its template uses.
 *
 * @since 0.1.0
 */
export interface TaskFile extends Omit<typeof TaskFileSchema.Type, "dataset" | "shots"> {
  /** The task file itself. */
  readonly file: string
  readonly dataset: string
  readonly shots: string | null
  readonly template: Template.Template
  readonly systemTemplate: Template.Template | null
}

/** Placeholders every template may use besides the dataset's fields. */
export const BUILT_INS = {
  options: "the lettered options, one per line (`choice` parser)",
  labels: "the labels, comma-separated (`label` parser)"
} as const

const error = (file: string, line: number | null, field: string | null, message: string) =>
  new EvalError.DatasetError({ file, line, field, message })

/**
 * Decodes the text of a task file. Every error names the file, the line and the field.
 *
 * @since 0.1.0
 */
export const decode = (file: string, text: string): Either.Either<TaskFile, EvalError.DatasetError> => {
  const lineCounter = new Yaml.LineCounter()
  const doc = Yaml.parseDocument(text, { lineCounter, prettyErrors: false })
  const syntax = doc.errors[0]
  if (syntax !== undefined) {
    const line = syntax.linePos?.[0].line ?? null
    return Either.left(error(file, line, null, `not valid YAML or JSON: ${syntax.message.split("\n")[0]}`))
  }
  const lineOf = (path: ReadonlyArray<PropertyKey>): number | null => {
    for (let n = path.length; n > 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined
      if (node !== undefined && node !== null && typeof node === "object" && node.range !== undefined) {
        return lineCounter.linePos(node.range[0]).line
      }
    }
    return null
  }
  const value: unknown = doc.toJS()
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return Either.left(error(file, 1, null, "a task file is a mapping of keys (name, dataset, prompt, parser, reference, metrics)"))
  }
  const decoded = Schema.decodeUnknownEither(TaskFileSchema, { errors: "all", onExcessProperty: "error" })(value)
  if (Either.isLeft(decoded)) {
    const issues = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)
    const first = issues[0]!
    const path = first.path
    const field = path.length === 0 ? null : path.map(String).join(".")
    const message =
      first._tag === "Unexpected" ? "unknown key (known: " + Object.keys(TaskFileSchema.fields).join(", ") + ")" : first.message
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : ""
    return Either.left(error(file, lineOf(path), field, message + more))
  }
  const spec = decoded.right
  const parse = (key: "prompt" | "system", source: string) =>
    Template.parse(source).pipe(Either.mapLeft((message) => error(file, lineOf([key]), key, message)))
  const template = parse("prompt", spec.prompt)
  if (Either.isLeft(template)) return Either.left(template.left)
  const system = spec.system === undefined ? Either.right(null) : parse("system", spec.system)
  if (Either.isLeft(system)) return Either.left(system.left)
  for (const [key, t] of [["prompt", template.right], ["system", system.right]] as const) {
    for (const name of t?.fields ?? []) {
      if (name === "options" && spec.parser.kind !== "choice") {
        return Either.left(error(file, lineOf([key]), key, "{{options}} is only filled with the `choice` parser"))
      }
      if (name === "labels" && spec.parser.kind !== "label") {
        return Either.left(error(file, lineOf([key]), key, "{{labels}} is only filled with the `label` parser"))
      }
    }
  }
  const dir = dirname(resolve(file))
  const { dataset, shots, ...rest } = spec
  return Either.right({
    ...rest,
    file: resolve(file),
    dataset: resolve(dir, dataset),
    shots: shots === undefined ? null : resolve(dir, shots),
    template: template.right,
    systemTemplate: system.right
  })
}

/**
 * The dataset fields a task file uses, and where: the template's placeholders (built-ins apart), the
 * reference, the choice options' fields and the groups.
 *
 * @since 0.1.0
 */
export const usedFields = (task: TaskFile): ReadonlyArray<{ readonly field: string; readonly key: string }> => {
  const builtIn = (name: string) => name in BUILT_INS
  const uses: Array<{ field: string; key: string }> = []
  for (const f of task.template.fields) if (!builtIn(f)) uses.push({ field: f, key: "prompt" })
  for (const f of task.systemTemplate?.fields ?? []) if (!builtIn(f)) uses.push({ field: f, key: "system" })
  uses.push({ field: task.reference, key: "reference" })
  if (task.parser.kind === "choice") {
    const opts = task.parser.options
    for (const f of typeof opts === "string" ? [opts] : opts) uses.push({ field: f, key: "parser.options" })
  }
  for (const g of task.groups) uses.push({ field: g, key: "groups" })
  return uses
}

/**
 * Reads and decodes a task file, then checks that every field it uses exists in its dataset (the CSV
 * header, or the first JSON Lines record): an unknown field is an error naming the task file, the line
 * and the field. (Each record is checked again when the dataset is loaded, whatever `--dataset` says.)
 *
 * @since 0.1.0
 */
export const load = Effect.fn("TaskFile.load")(function* (file: string) {
  const text = yield* DatasetReader.readText(file)
  const task = yield* decode(file, text)
  const columns = yield* datasetColumns(task.dataset)
  if (columns !== null) {
    const lineCounter = new Yaml.LineCounter()
    const doc = Yaml.parseDocument(text, { lineCounter })
    for (const use of usedFields(task)) {
      if (!columns.includes(use.field)) {
        const node = doc.getIn(use.key.split("."), true) as { range?: [number, number, number] } | undefined
        const line = node?.range === undefined ? null : lineCounter.linePos(node.range[0]).line
        return yield* error(
          task.file,
          line,
          use.key,
          `unknown field "${use.field}": ${task.dataset} has ${columns.map((c) => `"${c}"`).join(", ")}`
        )
      }
    }
  }
  return task
})

/** The fields of a dataset: the CSV header or the first JSONL record's keys; null if it cannot be read yet. */
const datasetColumns = (dataset: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const exists = yield* fs.exists(dataset).pipe(Effect.orElseSucceed(() => false))
    // A dataset that is not there yet (a licensed file given later with --dataset) is checked when loaded.
    if (!exists) return null
    const text = yield* DatasetReader.readText(dataset)
    if (dataset.toLowerCase().endsWith(".csv")) {
      const table = Csv.parse(dataset, text)
      return Either.isRight(table) ? table.right.header : null
    }
    const first = DatasetReader.nonBlankLines(text)[0]
    if (first === undefined) return null
    const json = DatasetReader.parseJsonLine(dataset, first)
    return Either.isRight(json) && typeof json.right === "object" && json.right !== null ? Object.keys(json.right) : null
  })
