import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import { createHash } from "node:crypto"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { embed } from "./internal/embedding.js"
import { normalizeModelName } from "./internal/names.js"
import { mulberry32 } from "./internal/prng.js"

/**
 * The failures the fake can inject:
 * - `http400`, `http429`, `http500`, `http503`: that status with an `{"error": …}` JSON body;
 * - `notFound`: 404 with Ollama's text, `model "X" not found, try pulling it first`;
 * - `drop`: the socket is destroyed before any answer; `dropMidStream`: after HTTP 200 and a partial answer;
 * - `stall`: no answer at all, until the client gives up and closes the connection;
 * - `errorMidStream`: HTTP 200, a partial chunk, then an `{"error": …}` line (non-streaming: a 200 whose body is
 *   `{"error": …}`);
 * - `malformedJson`: HTTP 200, a partial chunk, then a line that is not JSON, and no final `done` line
 *   (non-streaming: a truncated JSON body).
 *
 * @since 0.1.0
 */
export const FaultKind = Schema.Literal(
  "http400",
  "http429",
  "http500",
  "http503",
  "notFound",
  "drop",
  "dropMidStream",
  "stall",
  "errorMidStream",
  "malformedJson"
)
export type FaultKind = typeof FaultKind.Type

/** Every fault kind, in a fixed order. */
export const faultKinds: ReadonlyArray<FaultKind> = FaultKind.literals

/** The paths that answer with a model (the ones faults, latency and slots apply to by default). */
export const inferencePaths: ReadonlyArray<string> = [
  "/api/chat",
  "/api/generate",
  "/api/embed",
  "/api/embeddings",
  "/v1/chat/completions"
]

/** A model the fake has "pulled". The digest defaults to the sha256 of the name. */
export interface ModelEntry {
  readonly name: string
  readonly digest?: string
  readonly size?: number
  readonly details?: Partial<ModelDetails>
  /** What `GET /v1/models` reports as `root` (vLLM: the weights it loaded). Absent by default. */
  readonly root?: string
}

/** The `details` block of /api/tags and /api/show. */
export interface ModelDetails {
  readonly parent_model: string
  readonly format: string
  readonly family: string
  readonly families: ReadonlyArray<string>
  readonly parameter_size: string
  readonly quantization_level: string
}

/** A scripted answer. `doneReason` defaults to `stop`; `length` says the answer was cut off. */
export interface Reply {
  readonly text: string
  readonly thinking?: string
  readonly doneReason?: string
}

/**
 * Answers `reply` when the model (if given) is the requested one, after name normalisation, and `match`
 * (if given) is found in the last user message: a substring, or a RegExp tested against it. Rules are
 * tried in order; the first that matches answers.
 */
export interface Rule {
  readonly model?: string
  readonly match?: string | RegExp
  readonly reply: string
  readonly thinking?: string
  readonly doneReason?: string
}

/** A request as the fake saw it: what rules, faults and the default reply are chosen from. */
export interface FakeRequest {
  readonly path: string
  /** The model name as sent. */
  readonly model: string
  /** The model name normalised (`llama3` → `llama3:latest`). */
  readonly modelKey: string
  /** The last user message of a chat, the prompt of a generate call, the (first) input of an embed call. */
  readonly prompt: string
  readonly messages: ReadonlyArray<{ readonly role: string; readonly content: string }>
  readonly stream: boolean
  /** The parsed request body, as sent (options, keep_alive, format, think…). */
  readonly body: Record<string, unknown>
}

/**
 * A scripted run of faults: each request that matches (path, model and prompt filters) takes the next
 * entry of `sequence`; `"ok"` answers normally, and once the sequence is used up every call answers
 * normally. The first script that matches a request is the one it consumes.
 */
export interface FaultScript {
  readonly sequence: ReadonlyArray<FaultKind | "ok">
  readonly model?: string
  readonly match?: string | RegExp
  /** Defaults to the inference paths. */
  readonly paths?: ReadonlyArray<string>
}

/** Faults at a random rate, drawn from a seeded PRNG: the same seed and arrival order give the same faults. */
export interface RandomFaults {
  readonly seed: number
  /** The chance, between 0 and 1, that a request gets a fault. */
  readonly rate: number
  readonly kinds: ReadonlyArray<FaultKind>
  readonly paths?: ReadonlyArray<string>
}

/** What the fake serves and how it misbehaves. */
export interface Config {
  readonly models: ReadonlyArray<ModelEntry>
  readonly rules?: ReadonlyArray<Rule>
  /** The answer when no rule matches. Defaults to a fixed text. */
  readonly defaultReply?: (request: FakeRequest) => string | Reply
  /** Delay before answering each inference request (after it got a slot). */
  readonly latencyMs?: number | ((request: FakeRequest) => number)
  /** Delay between streamed chunks. */
  readonly chunkDelayMs?: number
  /** How many inference requests are served at once; the others queue. Unlimited by default. */
  readonly slots?: number
  readonly faults?: ReadonlyArray<FaultScript>
  readonly randomFaults?: RandomFaults
  /** Size of /api/embed vectors (default 32). */
  readonly embeddingDimensions?: number
  /** What /api/version says (default 0.6.4-fake). */
  readonly version?: string
  /** Defaults to 127.0.0.1. */
  readonly hostname?: string
  /** Defaults to 0: any free port. */
  readonly port?: number
  /**
   * The OpenAI-compatible API (`/v1/…`) accepts only `Authorization: Bearer <apiKey>` when set (401 otherwise,
   * as vLLM started with `--api-key`). The Ollama API never checks it.
   */
  readonly apiKey?: string
  /** What `/v1/chat/completions` answers as `system_fingerprint` (absent by default). */
  readonly systemFingerprint?: string
  /**
   * Where `/v1/chat/completions` puts a reply's thinking: `reasoning_content` (vLLM, DeepSeek; the default),
   * `reasoning` (newer vLLM), or `think` (inline `<think>…</think>` before the content, as llama.cpp without a
   * reasoning parser).
   */
  readonly reasoningField?: "reasoning_content" | "reasoning" | "think"
}

/** Counters for tests. "In flight" counts inference requests received and not yet closed, queued ones included. */
export interface Stats {
  readonly total: number
  readonly byPath: Readonly<Record<string, number>>
  /** Inference requests by normalised model name. */
  readonly byModel: Readonly<Record<string, number>>
  readonly inFlight: number
  readonly maxInFlight: number
  /** Most inference requests holding a slot at once (never above `slots`). */
  readonly maxActive: number
  /** Connections the client closed before the answer was complete (aborts, timeouts). */
  readonly clientAborts: number
  readonly faults: Readonly<Partial<Record<FaultKind, number>>>
}

/**
 * A running fake Ollama server.
 *
 * @since 0.1.0
 */
export interface FakeOllamaServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly port: number
  readonly stats: () => Stats
  /** Every request received, in arrival order (inference paths, tags, show, version). */
  readonly requests: () => ReadonlyArray<FakeRequest>
  /** Zeroes the counters, forgets recorded requests and restarts fault scripts and the PRNG. */
  readonly reset: () => void
  /** Closes every connection (stalled ones too) and stops listening. */
  readonly close: () => Promise<void>
}

/** The server could not start (e.g. the port is taken). */
export class StartError extends Data.TaggedError("StartError")<{ readonly message: string }> {}

/** The digest a model gets when its entry names none: the sha256 of its normalised name, in hex. */
export const defaultDigest = (name: string): string =>
  createHash("sha256").update(normalizeModelName(name)).digest("hex")

/** Ollama's error text for a model that is not pulled. */
export const notFoundMessage = (model: string): string => `model ${JSON.stringify(model)} not found, try pulling it first`

/** Builds a fault script that fails the first `n` matching calls with `kind`. */
export const failFirst = (
  n: number,
  kind: FaultKind,
  filter: Omit<FaultScript, "sequence"> = {}
): FaultScript => ({ ...filter, sequence: Array.from({ length: n }, () => kind) })

const DEFAULT_REPLY = "This is fake-ollama: no scripted rule matched."
const OPENAI_CHAT = "/v1/chat/completions"
const OPENAI_MODELS = "/v1/models"
const CREATED = 1_714_564_800

/** The message of vLLM's 404 for a model it does not serve. */
export const openAiNotFoundMessage = (model: string): string => `The model \`${model}\` does not exist.`
const MODIFIED_AT = "2024-05-01T12:00:00.000000000Z"

const errorTexts: Record<"http400" | "http429" | "http500" | "http503", [number, string]> = {
  http400: [400, "invalid request: fake-ollama injected a 400"],
  http429: [429, "too many requests, please slow down"],
  http500: [500, "an error was encountered while running the model: fake-ollama injected a 500"],
  http503: [503, "server busy, please try again.  maximum pending requests exceeded"]
}

interface Conn {
  closed: boolean
  destroyedByServer: boolean
  readonly timers: Set<NodeJS.Timeout>
  readonly onClose: Array<() => void>
}

const matches = (match: string | RegExp | undefined, text: string): boolean =>
  match === undefined ? true : typeof match === "string" ? text.includes(match) : new RegExp(match.source, match.flags.replace("g", "")).test(text)

const words = (text: string): number => (text.match(/\S+/g) ?? []).length

/** Splits text into word-sized pieces whose concatenation is the text. */
const pieces = (text: string): Array<string> => (text === "" ? [] : text.split(/(?<=\s)(?=\S)/))

const asRecord = (u: unknown): Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u) ? (u as Record<string, unknown>) : {}

/** Writes and waits until the data has left for the socket, so that a destroy right after cannot discard it. */
const write = (conn: Conn, res: ServerResponse, data: string): Promise<void> =>
  new Promise((resolve) => {
    conn.onClose.push(resolve)
    res.write(data, () => resolve())
  })

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

/**
 * Starts a fake Ollama server on 127.0.0.1 (any free port unless `port` is given), speaking enough of
 * the real API for the official `ollama` client: /api/chat, /api/generate (streaming NDJSON or not),
 * /api/tags, /api/show, /api/version, /api/embed and /api/embeddings.
 *
 * @since 0.1.0
 */
export const start = (config: Config): Promise<FakeOllamaServer> => {
  const models = new Map(
    config.models.map((m) => {
      const key = normalizeModelName(m.name)
      return [key, { ...m, key, digest: m.digest ?? defaultDigest(m.name) }] as const
    })
  )
  const dimensions = config.embeddingDimensions ?? 32
  const slots = config.slots ?? Number.POSITIVE_INFINITY

  let total = 0
  let byPath: Record<string, number> = {}
  let byModel: Record<string, number> = {}
  let inFlight = 0
  let maxInFlight = 0
  let active = 0
  let maxActive = 0
  let clientAborts = 0
  let faults: Partial<Record<FaultKind, number>> = {}
  let recorded: Array<FakeRequest> = []
  let scriptCounts: Array<number> = (config.faults ?? []).map(() => 0)
  let random = mulberry32(config.randomFaults?.seed ?? 0)
  const queue: Array<{ readonly conn: Conn; readonly go: () => void }> = []
  const conns = new Set<Conn>()

  const sleep = (conn: Conn, ms: number): Promise<boolean> =>
    conn.closed
      ? Promise.resolve(false)
      : ms <= 0
        ? Promise.resolve(true)
        : new Promise((resolve) => {
            const t = setTimeout(() => {
              conn.timers.delete(t)
              resolve(!conn.closed)
            }, ms)
            conn.timers.add(t)
            conn.onClose.push(() => resolve(false))
          })

  const acquire = (conn: Conn): Promise<boolean> => {
    if (active < slots) {
      active++
      maxActive = Math.max(maxActive, active)
      return Promise.resolve(true)
    }
    return new Promise((resolve) => {
      const entry = {
        conn,
        go: () => {
          active++
          maxActive = Math.max(maxActive, active)
          resolve(true)
        }
      }
      queue.push(entry)
      conn.onClose.push(() => {
        const i = queue.indexOf(entry)
        if (i >= 0) {
          queue.splice(i, 1)
          resolve(false)
        }
      })
    })
  }

  const release = () => {
    active--
    const next = queue.shift()
    if (next) next.go()
  }

  const pickFault = (request: FakeRequest): FaultKind | null => {
    const scripts = config.faults ?? []
    for (let i = 0; i < scripts.length; i++) {
      const s = scripts[i]!
      const paths = s.paths ?? inferencePaths
      if (!paths.includes(request.path)) continue
      if (s.model !== undefined && normalizeModelName(s.model) !== request.modelKey) continue
      if (!matches(s.match, request.prompt)) continue
      const n = scriptCounts[i] ?? 0
      scriptCounts[i] = n + 1
      const step = s.sequence[n]
      return step === undefined || step === "ok" ? null : step
    }
    const r = config.randomFaults
    if (r && r.kinds.length > 0 && (r.paths ?? inferencePaths).includes(request.path)) {
      const draw = random()
      const which = random()
      if (draw < r.rate) return r.kinds[Math.floor(which * r.kinds.length)] ?? null
    }
    return null
  }

  const replyFor = (request: FakeRequest): Reply => {
    for (const rule of config.rules ?? []) {
      if (rule.model !== undefined && normalizeModelName(rule.model) !== request.modelKey) continue
      if (!matches(rule.match, request.prompt)) continue
      return {
        text: rule.reply,
        ...(rule.thinking !== undefined ? { thinking: rule.thinking } : {}),
        ...(rule.doneReason !== undefined ? { doneReason: rule.doneReason } : {})
      }
    }
    const d = config.defaultReply?.(request) ?? DEFAULT_REPLY
    return typeof d === "string" ? { text: d } : d
  }

  const sendJson = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body)
    res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) })
    res.end(text)
  }

  const destroy = (conn: Conn, res: ServerResponse) => {
    conn.destroyedByServer = true
    res.socket?.destroy()
  }

  const isOpenAi = (request: FakeRequest) => request.path.startsWith("/v1/")

  /** OpenAI's error body: `{"error": {"message", "type", "code"}}`. */
  const openAiError = (status: number, message: string) => ({
    error: { message, type: status === 401 ? "invalid_request_error" : status < 500 ? "BadRequestError" : "InternalServerError", code: status }
  })

  /** A model that is not there: Ollama's 404, or vLLM's flat one on the OpenAI API. */
  const sendNotFound = (res: ServerResponse, request: FakeRequest) =>
    isOpenAi(request)
      ? sendJson(res, 404, { object: "error", message: openAiNotFoundMessage(request.model), type: "NotFoundError", param: null, code: 404 })
      : sendJson(res, 404, { error: notFoundMessage(request.model) })

  /** `/v1/chat/completions`: one JSON object, or server-sent events ending with `data: [DONE]`. */
  const openAiAnswer = async (
    conn: Conn,
    res: ServerResponse,
    request: FakeRequest,
    reply: Reply,
    fault: FaultKind | null
  ) => {
    const field = config.reasoningField ?? "reasoning_content"
    const thinking = reply.thinking ?? ""
    const content = field === "think" && thinking !== "" ? `<think>${thinking}</think>${reply.text}` : reply.text
    const head = {
      id: `chatcmpl-fake-${total}`,
      created: CREATED,
      model: request.model,
      ...(config.systemFingerprint !== undefined ? { system_fingerprint: config.systemFingerprint } : {})
    }
    const finishReason = reply.doneReason ?? "stop"
    const promptTokens = request.messages.reduce((n, m) => n + words(m.content), 0)
    const completionTokens = words(reply.text) + words(thinking)
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens }
    const midError = { error: { message: "fake-ollama injected an error mid-answer", type: "InternalServerError", code: 500 } }
    if (!request.stream) {
      const message = {
        role: "assistant",
        content,
        ...(field !== "think" && thinking !== "" ? { [field]: thinking } : {})
      }
      const whole = { ...head, object: "chat.completion", choices: [{ index: 0, message, finish_reason: finishReason }], usage }
      if (fault === "errorMidStream") return sendJson(res, 200, midError)
      if (fault === "malformedJson" || fault === "dropMidStream") {
        const text = JSON.stringify(whole)
        res.writeHead(200, { "Content-Type": "application/json" })
        await write(conn, res, text.slice(0, Math.max(1, Math.floor(text.length / 2))))
        return fault === "dropMidStream" ? destroy(conn, res) : res.end()
      }
      return sendJson(res, 200, whole)
    }
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
      ...head,
      object: "chat.completion.chunk",
      choices: [{ index: 0, delta, finish_reason: finish }]
    })
    const chunks = [
      chunk({ role: "assistant", content: "" }),
      ...(field === "think" ? [] : pieces(thinking).map((t) => chunk({ [field]: t }))),
      ...pieces(content).map((t) => chunk({ content: t }))
    ]
    res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache" })
    const sse = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`
    const shown = fault === null ? chunks : chunks.slice(0, Math.max(1, Math.floor(chunks.length / 2)))
    for (const [i, c] of shown.entries()) {
      if (i > 0 && !(await sleep(conn, config.chunkDelayMs ?? 0))) return
      if (conn.closed) return
      await write(conn, res, sse(c))
    }
    switch (fault) {
      case "errorMidStream":
        return res.end(sse(midError))
      case "malformedJson":
        return res.end(`data: {"id":"trunc\n\n`)
      case "dropMidStream":
        return destroy(conn, res)
      default: {
        if (!(await sleep(conn, config.chunkDelayMs ?? 0))) return
        const includeUsage = asRecord(request.body["stream_options"])["include_usage"] === true
        return res.end(
          sse(chunk({}, finishReason)) + (includeUsage ? sse({ ...head, object: "chat.completion.chunk", choices: [], usage }) : "") + "data: [DONE]\n\n"
        )
      }
    }
  }

  const details = (m: ModelEntry): ModelDetails => ({
    parent_model: "",
    format: "gguf",
    family: "llama",
    families: ["llama"],
    parameter_size: "8.0B",
    quantization_level: "Q4_0",
    ...m.details
  })

  const finalStats = (request: FakeRequest, reply: Reply, latency: number) => {
    const promptTokens = request.messages.reduce((s, m) => s + words(m.content), 0)
    const evalCount = words(reply.text) + words(reply.thinking ?? "")
    const load = 1_000_000
    const promptEval = promptTokens * 200_000
    const evalDuration = evalCount * 1_000_000
    return {
      total_duration: load + promptEval + evalDuration + Math.round(latency * 1_000_000),
      load_duration: load,
      prompt_eval_count: promptTokens,
      prompt_eval_duration: promptEval,
      eval_count: evalCount,
      eval_duration: evalDuration
    }
  }

  /** The JSON objects of an answer: content chunks (thinking first), then the final `done` object. */
  const answerObjects = (request: FakeRequest, reply: Reply, latency: number, stream: boolean) => {
    const chat = request.path === "/api/chat"
    const created_at = new Date().toISOString()
    const chunk = (content: string, thinking?: string) =>
      chat
        ? {
            model: request.model,
            created_at,
            message: { role: "assistant", content, ...(thinking !== undefined ? { thinking } : {}) },
            done: false
          }
        : { model: request.model, created_at, response: content, ...(thinking !== undefined ? { thinking } : {}), done: false }
    const final = {
      ...(chat
        ? { model: request.model, created_at, message: { role: "assistant", content: "" } }
        : { model: request.model, created_at, response: "", context: [1, 2, 3] }),
      done: true,
      done_reason: reply.doneReason ?? "stop",
      ...finalStats(request, reply, latency)
    }
    if (!stream) {
      const whole = chat
        ? {
            ...final,
            message: {
              role: "assistant",
              content: reply.text,
              ...(reply.thinking !== undefined ? { thinking: reply.thinking } : {})
            }
          }
        : { ...final, response: reply.text, ...(reply.thinking !== undefined ? { thinking: reply.thinking } : {}) }
      return { chunks: [] as Array<unknown>, final: whole }
    }
    const chunks = [
      ...pieces(reply.thinking ?? "").map((t) => chunk("", t)),
      ...pieces(reply.text).map((t) => chunk(t))
    ]
    return { chunks, final: final as unknown }
  }

  const streamAnswer = async (
    conn: Conn,
    res: ServerResponse,
    request: FakeRequest,
    reply: Reply,
    latency: number,
    fault: FaultKind | null
  ) => {
    const { chunks, final } = answerObjects(request, reply, latency, request.stream)
    if (!request.stream) {
      const text = JSON.stringify(final)
      if (fault === "errorMidStream") return sendJson(res, 200, { error: "an error was encountered while running the model: fake-ollama injected an error" })
      if (fault === "malformedJson" || fault === "dropMidStream") {
        res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" })
        await write(conn, res, text.slice(0, Math.max(1, Math.floor(text.length / 2))))
        if (fault === "dropMidStream") return destroy(conn, res)
        return res.end()
      }
      return sendJson(res, 200, final)
    }
    res.writeHead(200, { "Content-Type": "application/x-ndjson" })
    const partial = fault === null ? chunks.length : Math.max(1, Math.floor(chunks.length / 2))
    const firstChunks = fault === null ? chunks : chunks.length > 0 ? chunks.slice(0, partial) : []
    for (const [i, c] of firstChunks.entries()) {
      if (i > 0 && !(await sleep(conn, config.chunkDelayMs ?? 0))) return
      if (conn.closed) return
      await write(conn, res, JSON.stringify(c) + "\n")
    }
    switch (fault) {
      case "errorMidStream":
        return res.end(JSON.stringify({ error: "an error was encountered while running the model: fake-ollama injected an error" }) + "\n")
      case "malformedJson":
        return res.end(`{"model":${JSON.stringify(request.model)},"message":{"role":"assistant","content":"trunc\n`)
      case "dropMidStream":
        return destroy(conn, res)
      default:
        if (!(await sleep(conn, chunks.length > 0 ? (config.chunkDelayMs ?? 0) : 0))) return
        return res.end(JSON.stringify(final) + "\n")
    }
  }

  const embedAnswer = (res: ServerResponse, request: FakeRequest) => {
    if (request.path === "/api/embeddings") return sendJson(res, 200, { embedding: embed(request.prompt, dimensions) })
    const input = request.body["input"]
    const inputs = Array.isArray(input) ? input.map(String) : [String(input ?? "")]
    return sendJson(res, 200, {
      model: request.model,
      embeddings: inputs.map((t) => embed(t, dimensions)),
      total_duration: 1_000_000,
      load_duration: 100_000,
      prompt_eval_count: inputs.reduce((s, t) => s + words(t), 0)
    })
  }

  const toRequest = (path: string, body: Record<string, unknown>): FakeRequest => {
    const model = typeof body["model"] === "string" ? body["model"] : typeof body["name"] === "string" ? body["name"] : ""
    const rawMessages = Array.isArray(body["messages"]) ? body["messages"] : []
    const messages =
      path === "/api/chat" || path === OPENAI_CHAT
        ? rawMessages.map((m) => {
            const r = asRecord(m)
            return { role: String(r["role"] ?? ""), content: String(r["content"] ?? "") }
          })
        : path === "/api/generate"
          ? [
              ...(typeof body["system"] === "string" ? [{ role: "system", content: body["system"] }] : []),
              { role: "user", content: String(body["prompt"] ?? "") }
            ]
          : []
    const lastUser = [...messages].reverse().find((m) => m.role === "user")
    const input = body["input"]
    const prompt =
      path === "/api/embed"
        ? String(Array.isArray(input) ? (input[0] ?? "") : (input ?? ""))
        : path === "/api/embeddings"
          ? String(body["prompt"] ?? "")
          : (lastUser?.content ?? "")
    return {
      path,
      model,
      modelKey: model === "" ? "" : normalizeModelName(model),
      prompt,
      messages,
      stream:
        path === OPENAI_CHAT ? body["stream"] === true : path === "/api/chat" || path === "/api/generate" ? body["stream"] !== false : false,
      body
    }
  }

  /** Applies a fault that needs no answer content; returns false when the fault is a streamed one. */
  const simpleFault = async (conn: Conn, res: ServerResponse, request: FakeRequest, fault: FaultKind): Promise<boolean> => {
    switch (fault) {
      case "http400":
      case "http429":
      case "http500":
      case "http503": {
        const [status, error] = errorTexts[fault]
        sendJson(res, status, isOpenAi(request) ? openAiError(status, error) : { error })
        return true
      }
      case "notFound":
        sendNotFound(res, request)
        return true
      case "drop":
        destroy(conn, res)
        return true
      case "stall":
        await new Promise<void>((resolve) => conn.onClose.push(resolve))
        return true
      default:
        return false
    }
  }

  const inference = async (conn: Conn, res: ServerResponse, request: FakeRequest) => {
    if (request.model === "") return sendJson(res, 400, { error: "model is required" })
    byModel[request.modelKey] = (byModel[request.modelKey] ?? 0) + 1
    const fault = pickFault(request)
    if (fault !== null) faults[fault] = (faults[fault] ?? 0) + 1
    if (fault === null && !models.has(request.modelKey)) return sendNotFound(res, request)
    if (!(await acquire(conn))) return
    try {
      const latency = typeof config.latencyMs === "function" ? config.latencyMs(request) : (config.latencyMs ?? 0)
      if (!(await sleep(conn, latency))) return
      if (fault !== null && (await simpleFault(conn, res, request, fault))) return
      if (request.path === "/api/embed" || request.path === "/api/embeddings") {
        if (fault === "errorMidStream") return sendJson(res, 200, { error: "fake-ollama injected an error" })
        if (fault === "malformedJson") {
          res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" })
          return res.end('{"model":"x","embeddings":[[0.1,')
        }
        if (fault === "dropMidStream") {
          res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" })
          await write(conn, res, '{"model":"x",')
          return destroy(conn, res)
        }
        return embedAnswer(res, request)
      }
      if (request.path === OPENAI_CHAT) return await openAiAnswer(conn, res, request, replyFor(request), fault)
      return await streamAnswer(conn, res, request, replyFor(request), latency, fault)
    } finally {
      release()
    }
  }

  const lookup = async (conn: Conn, res: ServerResponse, request: FakeRequest, answer: () => void) => {
    const fault = pickFault(request)
    if (fault !== null) {
      faults[fault] = (faults[fault] ?? 0) + 1
      if (await simpleFault(conn, res, request, fault)) return
      res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" })
      if (fault === "dropMidStream") {
        await write(conn, res, "{")
        return destroy(conn, res)
      }
      return res.end(fault === "errorMidStream" ? JSON.stringify({ error: "fake-ollama injected an error" }) : '{"models":[{')
    }
    answer()
  }

  const route = async (conn: Conn, req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://fake").pathname
    const method = req.method ?? "GET"
    total++
    byPath[path] = (byPath[path] ?? 0) + 1
    const raw = await readBody(req)
    if (method === "GET" && path === "/") {
      res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" })
      return res.end("Ollama is running")
    }
    let body: Record<string, unknown> = {}
    if (raw.trim() !== "") {
      try {
        body = asRecord(JSON.parse(raw))
      } catch {
        return sendJson(res, 400, { error: "invalid character in request body" })
      }
    }
    const request = toRequest(path, body)
    recorded.push(request)
    if (path.startsWith("/v1/") && config.apiKey !== undefined && req.headers.authorization !== `Bearer ${config.apiKey}`) {
      const message =
        req.headers.authorization === undefined ? "You didn't provide an API key." : "Incorrect API key provided."
      return sendJson(res, 401, openAiError(401, message))
    }
    if (method === "POST" && inferencePaths.includes(path)) {
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      conn.onClose.push(() => inFlight--)
      return inference(conn, res, request)
    }
    if (method === "GET" && path === OPENAI_MODELS) {
      return lookup(conn, res, request, () =>
        sendJson(res, 200, {
          object: "list",
          data: [...models.values()].map((m) => ({
            id: m.name,
            object: "model",
            created: CREATED,
            owned_by: "fake-ollama",
            ...(m.root !== undefined ? { root: m.root } : {})
          }))
        })
      )
    }
    if (method === "GET" && path === "/api/version") {
      return lookup(conn, res, request, () => sendJson(res, 200, { version: config.version ?? "0.6.4-fake" }))
    }
    if (method === "GET" && path === "/api/tags") {
      return lookup(conn, res, request, () =>
        sendJson(res, 200, {
          models: [...models.values()].map((m) => ({
            name: m.key,
            model: m.key,
            modified_at: MODIFIED_AT,
            size: m.size ?? 4_661_224_676,
            digest: m.digest,
            details: details(m)
          }))
        })
      )
    }
    if (method === "POST" && path === "/api/show") {
      return lookup(conn, res, request, () => {
        const m = models.get(request.modelKey)
        if (!m) return sendJson(res, 404, { error: `model '${request.model}' not found` })
        return sendJson(res, 200, {
          license: "",
          modelfile: `# Modelfile generated by "ollama show"\nFROM /root/.ollama/models/blobs/sha256-${m.digest}\n`,
          parameters: "",
          template: "{{ .Prompt }}",
          details: details(m),
          model_info: { "general.architecture": details(m).family, "general.parameter_count": 8_030_261_248 },
          capabilities: ["completion"],
          modified_at: MODIFIED_AT
        })
      })
    }
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" })
    return res.end("404 page not found")
  }

  const server = createServer((req, res) => {
    const conn: Conn = { closed: false, destroyedByServer: false, timers: new Set(), onClose: [] }
    conns.add(conn)
    res.on("close", () => {
      conns.delete(conn)
      conn.closed = true
      if (!res.writableFinished && !conn.destroyedByServer) clientAborts++
      for (const t of conn.timers) clearTimeout(t)
      conn.timers.clear()
      for (const f of conn.onClose.splice(0)) f()
    })
    route(conn, req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: "fake-ollama internal error" })
      else res.destroy()
    })
  })

  return new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(config.port ?? 0, config.hostname ?? "127.0.0.1", () => {
      server.off("error", reject)
      const port = (server.address() as AddressInfo).port
      resolve({
        url: `http://${config.hostname ?? "127.0.0.1"}:${port}`,
        port,
        stats: () => ({
          total,
          byPath: { ...byPath },
          byModel: { ...byModel },
          inFlight,
          maxInFlight,
          maxActive,
          clientAborts,
          faults: { ...faults }
        }),
        requests: () => [...recorded],
        reset: () => {
          total = 0
          byPath = {}
          byModel = {}
          maxInFlight = inFlight
          maxActive = active
          clientAborts = 0
          faults = {}
          recorded = []
          scriptCounts = (config.faults ?? []).map(() => 0)
          random = mulberry32(config.randomFaults?.seed ?? 0)
        },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            server.closeAllConnections()
          })
      })
    })
  })
}

/**
 * Starts the fake server for the life of the scope, and closes it (every connection included) when the
 * scope closes.
 *
 * @since 0.1.0
 */
export const make = (config: Config): Effect.Effect<FakeOllamaServer, StartError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: () => start(config),
      catch: (e) => new StartError({ message: e instanceof Error ? e.message : String(e) })
    }),
    (server) => Effect.promise(() => server.close())
  )
