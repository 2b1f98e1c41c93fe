/**
 * Adaptive concurrency, end to end: a server that answers 429 to every request beyond 3 in flight. The
 * harness, started at 16 calls at once, backs off, lowers its concurrency and finishes every sample.
 */
import { FakeOllama } from "@clinical-evals/fake-ollama"
import { CliHarness } from "@clinical-evals/cli-harness"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { createServer, request as httpRequest } from "node:http"
import type { AddressInfo } from "node:net"
import { join } from "node:path"
import { run } from "./BinProcess.js"
import * as SyntheticCases from "./SyntheticCases.js"

const { readLines, workdir } = CliHarness

const N = 200
const LIMIT = 3

/**
 * A proxy in front of the fake server: chat requests beyond `limit` in flight get 429 at once; the rest
 * are forwarded. It records how many were in flight when each forwarded request arrived.
 */
const throttlingProxy = (target: string, limit: number, status: number) =>
  Effect.acquireRelease(
    Effect.promise(
      () =>
        new Promise<{ url: string; arrivals: Array<boolean>; rejected: () => number; close: () => void }>((resolve) => {
          let inFlight = 0
          let rejected = 0
          // For each chat request in arrival order: was it refused?
          const arrivals: Array<boolean> = []
          const upstream = new URL(target)
          const server = createServer((req, res) => {
            if (req.url !== "/api/chat") {
              const fwd = httpRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
                res.writeHead(up.statusCode ?? 502, up.headers)
                up.pipe(res)
              })
              req.pipe(fwd)
              return
            }
            arrivals.push(inFlight >= limit)
            if (inFlight >= limit) {
              rejected++
              req.resume()
              res.writeHead(status, { "content-type": "application/json" })
              res.end(JSON.stringify({ error: "server busy, please try again." }))
              return
            }
            inFlight++
            let released = false
            const release = () => {
              if (!released) {
                released = true
                inFlight--
              }
            }
            res.on("close", release)
            const fwd = httpRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
              res.writeHead(up.statusCode ?? 502, up.headers)
              up.pipe(res)
            })
            fwd.on("error", () => res.destroy())
            req.pipe(fwd)
          })
          server.listen(0, "127.0.0.1", () =>
            resolve({
              url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
              arrivals,
              rejected: () => rejected,
              close: () => {
                server.closeAllConnections()
                server.close()
              }
            })
          )
        })
    ),
    (p) => Effect.sync(() => p.close())
  )

describe("adaptive concurrency", () => {
  for (const status of [429, 503]) {
    it.live(`on HTTP ${status} the harness lowers its concurrency, and every sample still finishes`, () =>
      Effect.gen(function* () {
        const fake = yield* FakeOllama.make({ models: [{ name: "llama3:8b" }], defaultReply: SyntheticCases.rightAnswer, latencyMs: 20 })
        const proxy = yield* throttlingProxy(fake.url, LIMIT, status)
        const cwd = workdir()
        SyntheticCases.write(join(cwd, "cases.jsonl"), N)
        const r = yield* Effect.promise(() =>
          run(["case-challenge", "--dataset", "cases.jsonl", "--model", "ollama:llama3:8b", "--ollama-host", proxy.url,
            "--out", "run", "--concurrency", "16", "--retries", "10"], cwd)
        )
        assert.strictEqual(r.code, 0, r.stderr)
        const lines = readLines(join(cwd, "run", "samples.jsonl"))
        assert.strictEqual(lines.length, N)
        assert.isTrue(lines.every((l) => l.status === "ok" && l.scores.correct === 1))
        assert.strictEqual(fake.stats().byPath["/api/chat"], N)
        assert.isAtMost(fake.stats().maxInFlight, LIMIT)
        // At first the harness sent 16 at once: most of the first burst was refused.
        const { arrivals } = proxy
        assert.isAtLeast(arrivals.slice(0, 16).filter(Boolean).length, 5)
        // Then it lowered its concurrency: in the second half of the run few calls were refused, where a
        // harness keeping 16 in flight would see about 13 of every 16 refused.
        const late = arrivals.slice(arrivals.length >> 1)
        assert.isBelow(late.filter(Boolean).length / late.length, 0.35)
        // And it retried, backing off, until every sample had its answer.
        assert.strictEqual(arrivals.filter((x) => !x).length, N)
        assert.strictEqual(proxy.rejected(), arrivals.filter(Boolean).length)
      }).pipe(Effect.scoped), 180_000)
  }
})
