import { assert, describe, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { CaseSample } from "../src/index.js"

const base = {
  id: "x-1",
  source: "NEJM",
  case: "A case.",
  question: "What is the diagnosis?",
  options: { A: "One", B: "Two", C: "Three" },
  answer: "B" as const
}

describe("CaseSample", () => {
  it("accepts a well-formed case and keeps optional fields only when given", () => {
    const sample = Either.getOrThrow(CaseSample.make({ ...base, category: "Cardiology" }))
    assert.strictEqual(sample.category, "Cardiology")
    assert.isFalse("date" in sample)
  })

  it("refuses an answer that is not one of the options, on the field answer", () => {
    const result = CaseSample.make({ ...base, answer: "D" })
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) assert.include(String(result.left), "answer")
  })

  it("wants 2 to 10 options lettered A, B, … without gaps", () => {
    assert.isUndefined(CaseSample.checkLetters(["A", "B"]))
    assert.isUndefined(CaseSample.checkLetters(["B", "A", "C"]))
    assert.include(CaseSample.checkLetters(["A"]) ?? "", "2 to 10")
    assert.include(CaseSample.checkLetters("ABCDEFGHIJK".split("")) ?? "", "found 11")
    assert.include(CaseSample.checkLetters(["A", "C"]) ?? "", "lettered A, B")
    assert.include(CaseSample.checkLetters(["a", "b"]) ?? "", "lettered A, B")
    assert.include(CaseSample.checkLetters(["A", "A"]) ?? "", "lettered A, B")
    assert.include(CaseSample.checkLetters(["C", "B", "A", "A"]) ?? "", "lettered A, B, C, D")
  })

  it("decodes options from an object in any key order into letter order, trimming texts", () => {
    const options = Schema.decodeUnknownSync(CaseSample.OptionsFromObject)({ C: " three ", A: "one", B: "two" })
    assert.deepStrictEqual(Object.entries(options), [["A", "one"], ["B", "two"], ["C", "three"]])
    assert.deepStrictEqual(CaseSample.optionList({ options }), [["A", "one"], ["B", "two"], ["C", "three"]])
  })

  it("reads answer letters in any case, and refuses numbers with the reason", () => {
    const decode = Schema.decodeUnknownEither(CaseSample.AnswerLetter)
    assert.deepStrictEqual(decode(" c "), Either.right("C"))
    const numeric = decode(2)
    assert.isTrue(Either.isLeft(numeric))
    if (Either.isLeft(numeric)) assert.include(String(numeric.left), "0- or 1-based")
    assert.isTrue(Either.isLeft(decode("1")))
    assert.isTrue(Either.isLeft(decode("AB")))
    assert.isTrue(Either.isLeft(decode("K")))
  })

  it("reads ids given as text or whole numbers, refusing blank ones", () => {
    const decode = Schema.decodeUnknownEither(CaseSample.CaseIdFromInput)
    assert.deepStrictEqual(Either.getOrThrow(decode(17)), "17")
    assert.deepStrictEqual(Either.getOrThrow(decode(" a-1 ")), "a-1")
    assert.isTrue(Either.isLeft(decode("  ")))
  })
})
