/**
 * A writable copy of a leaf's source tree, for the tools that run in it
 * (gomod2nix, plain go build): a module leaf is downloaded with
 * `go mod download` into its own module cache, a path leaf is copied.
 */
import { cp, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { LeafSpec } from "../../generator/leaves/leavesfile.js";
import { goEnvironment, parseJsonStream, runCommand } from "./run.js";

/** Copies the leaf's source to `dest`; `modCache` holds the module download (not the dependencies). */
export async function copyLeafSource(leaf: LeafSpec, leavesDir: string, modCache: string, dest: string): Promise<string> {
  let from: string;
  if (leaf.source.kind === "module") {
    await mkdir(dirname(dest), { recursive: true });
    const { stdout } = await runCommand("go", ["mod", "download", "-json", `${leaf.source.module}@${leaf.source.version}`], {
      cwd: dirname(dest),
      env: goEnvironment({ GOMODCACHE: modCache }),
    });
    const [download] = parseJsonStream<{ Dir?: string; Error?: string }>(stdout);
    if (!download?.Dir) throw new Error(`go mod download ${leaf.source.module}@${leaf.source.version}: ${download?.Error ?? "no directory"}`);
    from = download.Dir;
  } else {
    from = join(leavesDir, leaf.source.path);
  }
  await cp(from, dest, { recursive: true });
  await runCommand("chmod", ["-R", "u+w", dest]);
  return dest;
}

/** The package patterns of a leaf's subPackages, as go build takes them. */
export function packagePatterns(subPackages: readonly string[]): string[] {
  return subPackages.map((p) => (p === "." ? "." : p.startsWith("./") ? p : `./${p}`));
}
