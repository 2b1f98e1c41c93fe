#!/usr/bin/env node
/**
 * Builds the clinical-evals command into one JavaScript file, `dist/clinical-evals.mjs` (or
 * `<out>/clinical-evals.mjs` with `build.mjs <out>`), with the sample data it reads by default next to
 * it in `data/`. Run it with `node apps/cli/dist/clinical-evals.mjs …`: no TypeScript is compiled at
 * load, and only the code the command uses is loaded, which saves about 90 MB on every run (see
 * docs/benchmarks.md). better-sqlite3 (a native addon) stays outside the bundle and is found in
 * node_modules, so the output folder must be inside this checkout (or next to an installed
 * better-sqlite3).
 */
import { build } from "esbuild"
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs"
import { dirname, join, relative, resolve, sep } from "node:path"
import { fileURLToPath } from "node:url"

const app = fileURLToPath(new URL("..", import.meta.url))
const root = resolve(app, "../..")
const out = resolve(process.argv[2] ?? join(app, "dist"))

// A library finds its bundled data with `new URL("../data/…", import.meta.url)`, relative to its source
// file. In the bundle, import.meta.url is the bundle's own, so each such path is rewritten to
// `./data/<its path from the repository root>` and the file (or the folder, for a path ending in "/")
// is copied there.
const DATA_URL = /new URL\((["'`])(\.\.\/[^"'`$]*)/g
const copies = new Map()
const dataFiles = {
  name: "data-files",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.split(sep).includes("node_modules")) return undefined
      const source = readFileSync(args.path, "utf8")
      const contents = source.replace(DATA_URL, (_match, quote, prefix) => {
        const target = resolve(dirname(args.path), prefix)
        const fromRoot = relative(root, target).split(sep).join("/")
        if (fromRoot.startsWith("..")) throw new Error(`${args.path}: ${prefix} points outside the repository`)
        copies.set(target, join(out, "data", fromRoot))
        return `new URL(${quote}./data/${fromRoot}${prefix.endsWith("/") ? "/" : ""}`
      })
      return { contents, loader: "ts" }
    })
  }
}

rmSync(out, { recursive: true, force: true })
const result = await build({
  entryPoints: [join(app, "src/bin.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  conditions: ["@clinical-evals/source"],
  external: ["better-sqlite3"],
  outfile: join(out, "clinical-evals.mjs"),
  // Bundled CommonJS code calls require for Node's own modules; an ES module has none of its own.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  plugins: [dataFiles],
  logLevel: "warning",
  metafile: true
})
for (const [from, to] of copies) {
  if (!existsSync(from)) throw new Error(`${from} is named in the sources but does not exist`)
  mkdirSync(dirname(to), { recursive: true })
  cpSync(from, to, { recursive: true })
}
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0)
console.log(`${relative(process.cwd(), join(out, "clinical-evals.mjs"))}: ${(bytes / 1024 / 1024).toFixed(1)} MB, ${copies.size} data paths copied`)
