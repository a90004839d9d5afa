/**
 * The Nix lint goset can have here: every .nix file of the repository parses
 * (`nix-instantiate --parse`). nixfmt, statix and deadnix cannot be installed:
 * Debian packages none of them (apt-cache search), npm has no nixfmt or
 * deadnix and its "statix" is a static site generator, and no other package
 * registry is reachable from these machines or CI.
 * Hand-written files are checked one by one; the generated ones (set/, with
 * update-set's header) in one call, which stops at the first that fails.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { GENERATED_MARK } from "../../generator/render/nix.js";
import { REPO } from "./nix.js";

const run = promisify(execFile);

/** The .nix files under `dir`, outside node_modules, dot directories and symbolic links (nix-build's result). */
function nixFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "node_modules" && !entry.name.startsWith(".")) nixFiles(path, out);
    else if (entry.isFile() && entry.name.endsWith(".nix")) out.push(relative(REPO, path));
  }
  return out.sort();
}

const files = nixFiles(REPO);
const isGenerated = (file: string) => readFileSync(join(REPO, file), "utf8").startsWith(GENERATED_MARK);
const handWritten = files.filter((f) => !isGenerated(f));
const generated = files.filter(isGenerated);

/** nix-instantiate --parse of `paths`: undefined when all parse, else its error. */
async function parseError(paths: readonly string[]): Promise<string | undefined> {
  try {
    await run("nix-instantiate", ["--parse", ...paths], { cwd: REPO, maxBuffer: 256 << 20 });
    return undefined;
  } catch (e) {
    return (e as { stderr?: string }).stderr ?? String(e);
  }
}

describe("every .nix file parses", () => {
  it("finds the library's files and the generated set", () => {
    expect(handWritten).toEqual(expect.arrayContaining(["default.nix", "nix/scope.nix", "test/nix/nixpkgs-min.nix"]));
    expect(generated).toContain("set/default.nix");
  });

  it.each(handWritten)("%s", async (file) => {
    expect(await parseError([file])).toBeUndefined();
  });

  it(`the generated files (set/ and others with update-set's header)`, async () => {
    expect(await parseError(generated)).toBeUndefined();
  });
});
