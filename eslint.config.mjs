import nx from "@nx/eslint-plugin"

/**
 * Lint is here for one job above all: module boundaries. Tasks never import other tasks, libraries
 * never import apps, and the allowed direction is apps -> evaluator (cli) -> tasks, models,
 * reporting -> parsers -> metrics, core.
 */
const depConstraints = [
  { sourceTag: "type:app", onlyDependOnLibsWithTags: ["type:cli", "type:task", "type:retrieval", "type:parser", "type:model", "type:reporting", "type:core", "type:metric", "type:app"] },
  { sourceTag: "type:cli", onlyDependOnLibsWithTags: ["type:retrieval", "type:model", "type:reporting", "type:core", "type:metric"] },
  { sourceTag: "type:task", onlyDependOnLibsWithTags: ["type:retrieval", "type:parser", "type:core", "type:metric"] },
  { sourceTag: "type:parser", onlyDependOnLibsWithTags: ["type:core", "type:metric"] },
  { sourceTag: "type:retrieval", onlyDependOnLibsWithTags: ["type:core", "type:metric"] },
  { sourceTag: "type:model", onlyDependOnLibsWithTags: ["type:core"] },
  { sourceTag: "type:reporting", onlyDependOnLibsWithTags: ["type:core", "type:metric"] },
  { sourceTag: "type:core", onlyDependOnLibsWithTags: ["type:metric"] },
  { sourceTag: "type:metric", onlyDependOnLibsWithTags: [] },
  { sourceTag: "type:tool", onlyDependOnLibsWithTags: ["type:retrieval", "type:core", "type:model", "type:task", "type:parser", "type:metric", "type:reporting", "type:cli", "type:app", "type:tool"] },
  // Tasks never import other tasks: a task library may use only shared libraries and its own scope.
  { sourceTag: "scope:case-challenge", onlyDependOnLibsWithTags: ["scope:shared", "scope:case-challenge"] },
  { sourceTag: "scope:code", onlyDependOnLibsWithTags: ["scope:shared", "scope:code"] },
  { sourceTag: "scope:longhealth", onlyDependOnLibsWithTags: ["scope:shared", "scope:longhealth"] },
  { sourceTag: "scope:extract", onlyDependOnLibsWithTags: ["scope:shared", "scope:extract"] },
  { sourceTag: "scope:declarative", onlyDependOnLibsWithTags: ["scope:shared", "scope:declarative"] },
  { sourceTag: "scope:summarize", onlyDependOnLibsWithTags: ["scope:shared", "scope:summarize"] }
]

const boundaries = (constraints) => ({
  "@nx/enforce-module-boundaries": ["error", { enforceBuildableLibDependency: false, allow: [], depConstraints: constraints }]
})

/** Tests may also use the project's test tools (the fake Ollama server), and nothing else more. */
const testConstraints = depConstraints.map((c) => ({
  ...c,
  onlyDependOnLibsWithTags: [...new Set([...c.onlyDependOnLibsWithTags, "type:tool"])]
}))

export default [
  ...nx.configs["flat/base"],
  ...nx.configs["flat/typescript"],
  { ignores: ["**/dist", "**/out-tsc", "**/node_modules", "**/.nx", "**/vitest.config.ts", "runs/**", "**/tmp"] },
  { files: ["**/*.ts", "**/*.mjs", "**/*.js"], rules: boundaries(depConstraints) },
  { files: ["**/test/**/*.ts"], rules: boundaries(testConstraints) },
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-empty-object-type": "off",
      // noUncheckedIndexedAccess makes `xs[i]!` the honest way to say "checked above".
      "@typescript-eslint/no-non-null-assertion": "off"
    }
  },
  {
    files: ["**/src/**/*.ts"],
    rules: {
      // These barrels load every module of their package at start (undici's HTTP client, 5 MB of API
      // documentation pages): together about 90 MB and 0.3 s at every start of the command from its
      // sources. `effect`'s barrel loads about 100 modules the code does not use, about 10 MB at the
      // peak of a run from the sources (docs/benchmarks.md). Import the module itself.
      "no-restricted-imports": ["error", {
        paths: [
          { name: "effect", message: "import the module itself, e.g. `import * as Effect from \"effect/Effect\"`" },
          { name: "@effect/platform", message: "import the module itself, e.g. \"@effect/platform/FileSystem\"" },
          { name: "@effect/platform-node", message: "import the module itself, e.g. \"@effect/platform-node/NodeContext\"" },
          { name: "@effect/experimental", message: "import the module itself, e.g. \"@effect/experimental/Reactivity\"" }
        ]
      }]
    }
  }
]
