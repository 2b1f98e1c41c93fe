import { Options } from "@effect/cli"
import type * as Option from "effect/Option"

/** Defaults an evaluator may set differently (CLUE's k-shot prompting, longer answers, its baseline). */
export interface Defaults {
  readonly model: string
  /** Absent: the task's own (`Task.defaultShots`, else 0). */
  readonly shots?: number
  readonly maxTokens: number
}

/** The built-in default model: a floor that needs no server. */
export const DEFAULT_MODEL = "baseline:overlap"

export const defaults: Defaults = { model: DEFAULT_MODEL, maxTokens: 512 }

/**
 * A flag that may be left out (then `Option.none()`), with its `--help` description:
 * `optional(Options.integer("limit"), "Evaluate only the first N samples.")`.
 *
 * @since 0.2.0
 */
export const optional = <A>(flag: Options.Options<A>, description: string): Options.Options<Option.Option<A>> =>
  flag.pipe(Options.withDescription(description), Options.optional)

/**
 * A flag with its `--help` description and the value it takes when left out.
 *
 * @since 0.2.0
 */
export const withDefault = <A>(flag: Options.Options<A>, description: string, fallback: NoInfer<A>): Options.Options<A> =>
  flag.pipe(Options.withDescription(description), Options.withDefault(fallback))

/**
 * A flag that may be given any number of times (every value, in order), with its `--help` description.
 *
 * @since 0.2.0
 */
export const repeated = <A>(flag: Options.Options<A>, description: string): Options.Options<Array<A>> =>
  flag.pipe(Options.withDescription(description), Options.repeated)

/**
 * The flags every evaluator takes, with their defaults. An evaluator's command is these plus its own.
 *
 * @since 0.1.0
 */
export const make = (d: Defaults = defaults) => ({
  model: repeated(
    Options.text("model"),
    "Model to evaluate, repeatable: ollama:<tag> (e.g. ollama:llama3:8b), openai:<model> (on the OpenAI-compatible " +
      "server at --base-url, e.g. vLLM), or baseline:<name> " +
      `(a built-in model that needs no server). Default: ${d.model}.`
  ),
  dataset: optional(
    Options.file("dataset", { exists: "either" }),
    "Dataset file. Default: the bundled synthetic sample of the evaluator."
  ),
  out: optional(
    Options.text("out"),
    "Run folder (results, samples.jsonl, summary.json, run.json, report.md). Running again with the same " +
      "--out resumes. Default: runs/<evaluator>-<timestamp>, or the unfinished run of the same command."
  ),
  limit: optional(Options.integer("limit"), "Evaluate only the first N samples."),
  concurrency: withDefault(Options.integer("concurrency"), "Model calls in flight at once.", 4),
  seed: withDefault(Options.integer("seed"), "Seed for the model's sampling and for choosing few-shot examples.", 1234),
  shots: optional(
    Options.integer("shots"),
    "Few-shot examples per prompt, drawn with the seed from --shots-file. " +
      `Default: ${d.shots ?? "the task's own (CLUE's k where CLUE sets one, else 0)"}.`
  ),
  shotsFile: optional(
    Options.file("shots-file", { exists: "either" }),
    "Pool of few-shot examples, never the evaluated samples. Default: the bundled pool."
  ),
  temperature: withDefault(Options.float("temperature"), "Sampling temperature; 0 is greedy decoding.", 0),
  maxTokens: withDefault(
    Options.integer("max-tokens"),
    "Longest answer in tokens (Ollama's num_predict); a longer one is cut off and flagged.",
    d.maxTokens
  ),
  numCtx: optional(Options.integer("num-ctx"), "Context window in tokens (Ollama's num_ctx). Default: the model's own."),
  keepAlive: optional(Options.text("keep-alive"), "How long Ollama keeps the model loaded after a call (e.g. 5m, 1h, 0)."),
  ollamaHosts: repeated(
    Options.text("ollama-host"),
    "Ollama server, repeatable: with several, each call goes to the one with the fewest calls in flight, and a " +
      "failing one is set aside for a while. Default: $OLLAMA_HOST, else http://127.0.0.1:11434."
  ),
  baseUrls: repeated(
    Options.text("base-url"),
    "OpenAI-compatible server for openai:<model> (vLLM, llama.cpp, TGI, LM Studio), e.g. http://gpu-1:8000/v1; " +
      "repeatable, like --ollama-host. Default: $OPENAI_BASE_URL."
  ),
  apiKeyEnv: optional(
    Options.text("api-key-env"),
    "Environment variable holding the API key of the --base-url servers (sent as a Bearer token, never written " +
      "anywhere). Default: OPENAI_API_KEY; unset means no key."
  ),
  perHostConcurrency: optional(
    Options.integer("per-host-concurrency"),
    "Calls in flight on one host at most (match vLLM's --max-num-seqs or OLLAMA_NUM_PARALLEL). Default: no " +
      "limit beyond --concurrency, which bounds all hosts together."
  ),
  shard: optional(
    Options.text("shard"),
    "Run only share i of n of the dataset (e.g. 2/3), chosen by a hash of each sample id, so machines that share " +
      "nothing split it exactly; combine the shard folders with `clinical-evals merge`."
  ),
  timeout: withDefault(
    Options.float("timeout"),
    "Seconds allowed for one model call; a slower call is cancelled and retried.",
    120
  ),
  firstCallTimeout: withDefault(
    Options.float("first-call-timeout"),
    "Seconds allowed for a model's first call (and its first after 5 idle minutes), while the server loads the model.",
    600
  ),
  retries: withDefault(
    Options.integer("retries"),
    "Retries of a call that failed on a server error, a dropped connection or a timeout (never on 4xx).",
    3
  ),
  cache: optional(
    Options.text("cache"),
    "Response cache file. Default: ~/.cache/clinical-evals/responses.sqlite ($XDG_CACHE_HOME)."
  ),
  noCache: Options.boolean("no-cache").pipe(
    Options.withDescription("Call the model for every sample, neither reading nor writing the response cache.")
  ),
  onBadInput: withDefault(
    Options.choice("on-bad-input", ["fail", "skip"]),
    "On a bad dataset record: stop with its file, line and field (fail), or skip it and report it.",
    "fail"
  )
})

/** The common flags with the project-wide defaults. */
export const options = make()

/** The parsed common flags. */
export interface CommonFlags {
  readonly model: ReadonlyArray<string>
  readonly dataset: Option.Option<string>
  readonly out: Option.Option<string>
  readonly limit: Option.Option<number>
  readonly concurrency: number
  readonly seed: number
  /** As given; when absent the evaluator's default, else the task's (`Task.defaultShots`), else 0. */
  readonly shots: Option.Option<number>
  readonly shotsFile: Option.Option<string>
  readonly temperature: number
  readonly maxTokens: number
  readonly numCtx: Option.Option<number>
  readonly keepAlive: Option.Option<string>
  /** The first `--ollama-host` (for code that knows one host); every one is in `ollamaHosts`. */
  readonly ollamaHost: Option.Option<string>
  readonly ollamaHosts: ReadonlyArray<string>
  readonly baseUrls: ReadonlyArray<string>
  readonly apiKeyEnv: Option.Option<string>
  readonly perHostConcurrency: Option.Option<number>
  readonly shard: Option.Option<string>
  readonly timeout: number
  readonly firstCallTimeout: number
  readonly retries: number
  readonly cache: Option.Option<string>
  readonly noCache: boolean
  readonly onBadInput: "fail" | "skip"
}
