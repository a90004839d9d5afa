// Runs a TypeScript entry point of goset without a build step to forget:
// esbuild bundles generator/ into one ES module (packages stay imports of
// node_modules), cached under node_modules/.cache/goset/ by the size and
// modification time of every source file, so an edited source is bundled
// again on the next run. One bundle, run in this thread, costs far less
// memory than a loader thread transpiling module by module.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildSync } from "esbuild";

const REPO = join(import.meta.dirname, "..");
const CACHE = join(REPO, "node_modules", ".cache", "goset");

/** Every .ts file under dir with its size and modification time. */
function sourceStamps(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourceStamps(path, out);
    else if (entry.name.endsWith(".ts") || entry.name.endsWith(".json")) {
      const s = statSync(path);
      out.push(`${path}\0${s.size}\0${s.mtimeMs}`);
    }
  }
  return out;
}

/** The bundle of `entry` (relative to the repository), built when a source changed. */
export function bundle(entry) {
  const stamps = [...sourceStamps(join(REPO, "generator")), ...sourceStamps(join(REPO, "nix")).filter((s) => s.includes(".json"))];
  const key = createHash("sha256").update(entry).update(stamps.sort().join("\n")).digest("hex").slice(0, 16);
  const name = entry.replace(/[^A-Za-z0-9]+/g, "-");
  const out = join(CACHE, `${name}-${key}.mjs`);
  try {
    statSync(out);
    return out;
  } catch {
    // not built yet
  }
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp.mjs`;
  buildSync({
    entryPoints: [join(REPO, entry)],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "inline",
    outfile: tmp,
    logLevel: "warning",
  });
  renameSync(tmp, out);
  for (const old of readdirSync(CACHE)) {
    if (old.startsWith(`${name}-`) && join(CACHE, old) !== out && !old.includes(".tmp.")) rmSync(join(CACHE, old), { force: true });
  }
  return out;
}

/** Runs `main(argv)` of the bundled entry point and sets the exit code. */
export async function run(entry) {
  process.setSourceMapsEnabled(true);
  const { main } = await import(pathToFileURL(bundle(entry)).href);
  process.exitCode = await main(process.argv.slice(2));
}

