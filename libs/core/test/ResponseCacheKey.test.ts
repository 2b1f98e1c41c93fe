import { assert, describe, it } from "@effect/vitest"
import { ChatMessage, ResponseCache } from "../src/index.js"

const parts = {
  provider: "ollama",
  model: "llama3:8b",
  digest: "d1",
  messages: [ChatMessage.user("What is the diagnosis?")],
  options: { temperature: 0, seed: 1, maxTokens: 512 }
}

describe("ResponseCache.key", () => {
  it("changes with anything that decides the answer, not with keep_alive", () => {
    const base = ResponseCache.key(parts)
    assert.match(base, /^[0-9a-f]{64}$/)
    assert.strictEqual(ResponseCache.key({ ...parts, options: { ...parts.options, keepAlive: "30m" } }), base)
    assert.strictEqual(ResponseCache.key({ ...parts, options: { maxTokens: 512, seed: 1, temperature: 0 } }), base, "key order is irrelevant")
    for (const other of [
      { ...parts, digest: "d2" },
      { ...parts, model: "llama3:70b" },
      { ...parts, messages: [ChatMessage.user("What is the diagnosis? ")] },
      { ...parts, options: { ...parts.options, temperature: 0.7 } },
      { ...parts, options: { ...parts.options, maxTokens: 256 } },
      { ...parts, options: { ...parts.options, format: "json" } }
    ]) {
      assert.notStrictEqual(ResponseCache.key(other), base)
    }
  })

  it("is the same key as earlier versions gave, so that existing caches stay valid", () => {
    const pinned = {
      ...parts,
      messages: [ChatMessage.system("Be brief."), ChatMessage.user("What is the diagnosis?")],
      options: { temperature: 0, seed: 1, maxTokens: 512, format: { type: "object", properties: { b: { type: "string" }, a: { type: "number" } } } }
    }
    assert.strictEqual(ResponseCache.key(pinned), "29349a9a8631807cc61eb2a2303124c5b1799676031cd71da324030ab48805bd")
    assert.strictEqual(
      ResponseCache.key({ ...pinned, digest: null, options: { temperature: 0, maxTokens: 512 } }),
      "39fecfe9dacb38a99a6a4765acd26275cb320a606cb28b26cc36297170c8e8e1"
    )
  })
})
