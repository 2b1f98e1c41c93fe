import { type Embedder, ModelError } from "@clinical-evals/core"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { formatHost, request } from "./internal/ollamaClient.js"
import { type CallContext, toModelError } from "./internal/ollamaErrors.js"
import * as ModelSpec from "./ModelSpec.js"
import * as OllamaHost from "./OllamaHost.js"
import * as Resilience from "./Resilience.js"

/**
 * An embedding model on an Ollama server, with the host and tag it was made for.
 *
 * @since 0.1.0
 */
export interface OllamaEmbedderShape extends Embedder.EmbedderShape {
  readonly host: string
  readonly tag: string
}

/** Texts sent in one /api/embed request. */
export const DEFAULT_BATCH_SIZE = 32

/** @since 0.1.0 */
export interface OllamaEmbedderOptions {
  /** The model tag, e.g. `nomic-embed-text`. */
  readonly tag: string
  /** A normalised host (see `OllamaHost.resolve`). */
  readonly host: string
  /** The spec to report; defaults to `ollama:<tag>`. */
  readonly spec?: string
  /** Seconds allowed for one request, and retries of a retryable failure (as `Resilience`). */
  readonly timeoutSeconds?: number
  readonly retries?: number
  readonly baseDelay?: Duration.DurationInput
  /** Texts per request (default {@link DEFAULT_BATCH_SIZE}). */
  readonly batchSize?: number
  /** The fetch to send requests with (defaults to the global one). */
  readonly fetch?: typeof fetch
}

/**
 * An Ollama embedding model through the official client's `embed` (`POST /api/embed`): the texts go in
 * batches of `batchSize`, each request with its own timeout that aborts it, retried with backoff on
 * retryable errors (connection, 5xx/429, timeout, bad answer), never on 4xx. A model that is not
 * pulled is a ModelNotFoundError saying to `ollama pull` it. The vectors come back in input order.
 *
 * @since 0.1.0
 */
export const make = (options: OllamaEmbedderOptions): OllamaEmbedderShape => {
  const { host, tag } = options
  const spec = options.spec ?? `ollama:${tag}`
  const ctx: CallContext = { spec, tag, host }
  const mapError = toModelError(ctx)
  const timeoutSeconds = options.timeoutSeconds ?? Resilience.DEFAULT_TIMEOUT_SECONDS
  const schedule = Resilience.retrySchedule({
    retries: options.retries ?? Resilience.DEFAULT_RETRIES,
    baseDelay: options.baseDelay ?? Resilience.DEFAULT_BASE_DELAY
  })
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE)

  const clientHost = formatHost(host)
  const fetchImpl = options.fetch ?? fetch

  const embedBatch = (batch: ReadonlyArray<string>) =>
    request(clientHost, fetchImpl, mapError, (client) => client.embed({ model: tag, input: [...batch] })).pipe(
      Effect.flatMap((response) => {
        const vectors = (response as { embeddings?: unknown }).embeddings
        return Array.isArray(vectors) && vectors.length === batch.length && vectors.every(Array.isArray)
          ? Effect.succeed(vectors as ReadonlyArray<ReadonlyArray<number>>)
          : Effect.fail(
              new ModelError.ModelResponseError({
                host,
                message: `Ollama at ${host} returned ${Array.isArray(vectors) ? vectors.length : "no"} embeddings for ${batch.length} texts`
              })
            )
      }),
      Resilience.withTimeout(timeoutSeconds, host),
      Effect.retry({ schedule, while: ModelError.isRetryable })
    )

  const embed = Effect.fn("OllamaEmbedder.embed")(function* (texts: ReadonlyArray<string>) {
    const batches = Chunk.chunksOf(Chunk.fromIterable(texts), batchSize)
    const results = yield* Effect.forEach(batches, (b) => embedBatch(Chunk.toReadonlyArray(b)))
    return results.flat()
  })

  return { spec, host, tag, embed }
}

/**
 * What {@link resolve} needs: the host (`--ollama-host`, else `OLLAMA_HOST`, else the default), the
 * timeout of one request in seconds and the retries (the common flags `--timeout`, `--retries`).
 *
 * @since 0.1.0
 */
export interface ResolveConfig {
  readonly ollamaHost?: string
  readonly timeoutSeconds: number
  readonly retries: number
  readonly retryBaseDelayMs?: number
}

/**
 * The embedder an `--embed-model` spec names (only `ollama:<tag>`), checked with one short request
 * before it is returned, so that a model that is not pulled or a host that cannot be reached stops
 * the run before any sample.
 *
 * @since 0.1.0
 */
export const resolve = Effect.fn("OllamaEmbedder.resolve")(function* (spec: string, config: ResolveConfig) {
  const decoded = yield* ModelSpec.decode(spec)
  if (decoded._tag !== "OllamaSpec") {
    return yield* new ModelError.ModelSpecError({ spec, message: `"${spec}" is not an embedding model: write ollama:<tag>, e.g. ollama:nomic-embed-text` })
  }
  const host = yield* OllamaHost.resolve(config.ollamaHost)
  if (!URL.canParse(host)) {
    return yield* new ModelError.ModelSpecError({ spec, message: `"${host}" is not a usable Ollama host URL` })
  }
  const embedder = make({
    tag: decoded.tag,
    host,
    spec: decoded.spec,
    timeoutSeconds: config.timeoutSeconds,
    retries: config.retries,
    ...(config.retryBaseDelayMs === undefined ? {} : { baseDelay: Duration.millis(config.retryBaseDelayMs) })
  })
  yield* embedder.embed(["embedding check"])
  return embedder satisfies OllamaEmbedderShape
})
