import * as Config from "effect/Config"
import * as Effect from "effect/Effect"

/**
 * Where Ollama listens when nothing else is said.
 *
 * @since 0.1.0
 */
export const DEFAULT_HOST = "http://127.0.0.1:11434"

const withPort = (host: string, port: string) => `${host.includes(":") ? `[${host}]` : host}:${port}`

/**
 * Normalises a host the way Ollama reads `OLLAMA_HOST`: surrounding quotes and spaces are dropped, a
 * missing scheme means `http` and a missing port 11434 (with an explicit `http://` or `https://`, the
 * scheme's port), an empty host means 127.0.0.1, a path is kept. So `localhost:11500`, `:11500`,
 * `0.0.0.0` and `https://ollama.example.org/ollama` are all accepted.
 *
 * @since 0.1.0
 */
export const normalize = (raw: string): string => {
  const s = raw.trim().replace(/^["']+|["']+$/g, "").trim()
  if (s === "") return DEFAULT_HOST
  const sep = s.indexOf("://")
  const scheme = sep >= 0 ? s.slice(0, sep).toLowerCase() : "http"
  const defaultPort = sep < 0 ? "11434" : scheme === "https" ? "443" : scheme === "http" ? "80" : "11434"
  const rest = sep >= 0 ? s.slice(sep + 3) : s
  const slash = rest.indexOf("/")
  const hostport = slash >= 0 ? rest.slice(0, slash) : rest
  const path = slash >= 0 ? rest.slice(slash).replace(/\/+$/, "") : ""
  const split = /^\[([^\]]*)\]:([^:]*)$/.exec(hostport) ?? /^([^:[\]]*):([^:]*)$/.exec(hostport)
  const host = (split ? split[1]! : hostport.replace(/^\[|\]$/g, "")) || "127.0.0.1"
  const port = split && /^\d{1,5}$/.test(split[2]!) && Number(split[2]) <= 65535 ? split[2]! : defaultPort
  return `${scheme}://${withPort(host, port)}${path}`
}

/**
 * The Ollama host to use: the explicit one (the CLI's `--ollama-host`) if given, else the `OLLAMA_HOST`
 * environment variable (read through Effect's Config, so tests can provide it), else {@link DEFAULT_HOST};
 * normalised by {@link normalize}.
 *
 * @since 0.1.0
 */
export const resolve = (explicit?: string): Effect.Effect<string> =>
  explicit !== undefined && explicit.trim() !== ""
    ? Effect.succeed(normalize(explicit))
    : Config.string("OLLAMA_HOST").pipe(
        Config.withDefault(""),
        Effect.orElseSucceed(() => ""),
        Effect.map(normalize)
      )

/**
 * The Ollama hosts of a pool: the explicit ones (`--ollama-host`, repeatable) normalised and without
 * duplicates, else the one {@link resolve} finds (`OLLAMA_HOST`, else the default).
 *
 * @since 0.2.0
 */
export const resolveAll = (explicit: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<string>> => {
  const given = [...new Set(explicit.filter((h) => h.trim() !== "").map(normalize))]
  return given.length > 0 ? Effect.succeed(given) : Effect.map(resolve(), (h) => [h])
}
