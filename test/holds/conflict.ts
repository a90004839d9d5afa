/**
 * A version conflict on a proxy of its own, for holds and `goset check`:
 *
 *   example.com/hold/lib    v1.0.0 has Old(); v1.1.0 drops it for New(); Name() names the version
 *   example.com/hold/mid    v1.0.0 imports lib (Name only): rebuilt against whichever lib a leaf has
 *   example.com/hold/indep  v1.0.0, v1.1.0 import nothing, same API: a harmless bump
 *
 *   example.com/hold/app    v1.0.0 a leaf published as a module; v1.1.0 its broken next release
 *
 * Leaves (path leaves, tidied by the real go):
 *   old   lib v1.0.0 (calls Old), mid, indep    breaks when the set raises lib to v1.1.0
 *   old2  lib v1.0.0 (calls Old), mid           a second leaf that needs the same hold
 *   new   lib v1.1.0 (calls New), mid, indep v1.1.0   raises lib and indep in the set
 *   mild  lib v1.0.0 (calls Name only), mid      builds with either lib: a hold it does not need
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { buildFixtureProxy, makeTempDir, removeTree, runGo, startFixtureProxy } from "../fixture/index.js";
import type { FixtureProxyServer } from "../fixture/index.js";

export const LIB = "example.com/hold/lib";
export const MID = "example.com/hold/mid";
export const INDEP = "example.com/hold/indep";
export const APP = "example.com/hold/app";

const MODULES: Record<string, Record<string, string>> = {
  [`${LIB}@v1.0.0`]: {
    "go.mod": `module ${LIB}\n\ngo 1.22\n`,
    "lib.go": 'package lib\n\nfunc Name() string { return "lib@v1.0.0" }\n\nfunc Old() string { return "old-api" }\n',
  },
  [`${LIB}@v1.1.0`]: {
    "go.mod": `module ${LIB}\n\ngo 1.22\n`,
    "lib.go": 'package lib\n\nfunc Name() string { return "lib@v1.1.0" }\n\nfunc New() string { return "new-api" }\n',
  },
  [`${MID}@v1.0.0`]: {
    "go.mod": `module ${MID}\n\ngo 1.22\n\nrequire ${LIB} v1.0.0\n`,
    "mid.go": `package mid\n\nimport "${LIB}"\n\nfunc Mid() string { return "mid+" + lib.Name() }\n`,
  },
  [`${INDEP}@v1.0.0`]: {
    "go.mod": `module ${INDEP}\n\ngo 1.22\n`,
    "indep.go": 'package indep\n\nfunc Indep() string { return "indep" }\n',
  },
  [`${APP}@v1.0.0`]: {
    "go.mod": `module ${APP}\n\ngo 1.22\n\nrequire ${INDEP} v1.0.0\n`,
    "main.go": `package main\n\nimport (\n\t"fmt"\n\n\t"${INDEP}"\n)\n\nfunc main() { fmt.Println("app v1.0.0", indep.Indep()) }\n`,
  },
  [`${APP}@v1.1.0`]: {
    "go.mod": `module ${APP}\n\ngo 1.22\n\nrequire ${INDEP} v1.0.0\n`,
    "main.go": `package main\n\nimport (\n\t"fmt"\n\n\t"${INDEP}"\n)\n\nvar broken int = "a release that does not compile"\n\nfunc main() { fmt.Println("app v1.1.0", indep.Indep(), broken) }\n`,
  },
  [`${INDEP}@v1.1.0`]: {
    "go.mod": `module ${INDEP}\n\ngo 1.22\n`,
    "indep.go": 'package indep\n\n// Indep is unchanged in v1.1.0.\nfunc Indep() string { return "indep" }\n',
  },
};

interface LeafSource {
  readonly lib: string;
  readonly call: "Old" | "New" | "Name";
  /** The version of indep it requires, if any. */
  readonly indep?: string;
}

const LEAVES: Record<string, LeafSource> = {
  old: { lib: "v1.0.0", call: "Old", indep: "v1.0.0" },
  old2: { lib: "v1.0.0", call: "Old" },
  new: { lib: "v1.1.0", call: "New", indep: "v1.1.0" },
  mild: { lib: "v1.0.0", call: "Name" },
};

/** What each leaf prints when built with lib at `lib`. */
export function leafLine(name: string, lib: string): string {
  const l = LEAVES[name];
  const first = l?.call === "Old" ? "old-api" : l?.call === "New" ? "new-api" : `lib@${lib}`;
  return `${name} ${first} mid+lib@${lib}${l?.indep ? " indep" : ""}`;
}

export interface Conflict {
  readonly proxyUrl: string;
  readonly proxy: FixtureProxyServer;
  readonly dir: string;
  /** Leaf name -> its directory. */
  readonly leaves: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export async function prepareConflict(): Promise<Conflict> {
  const dir = await makeTempDir("goset-conflict-");
  for (const [key, files] of Object.entries(MODULES)) {
    for (const [name, text] of Object.entries(files)) {
      await mkdir(join(dir, "modules", key), { recursive: true });
      await writeFile(join(dir, "modules", key, name), text);
    }
  }
  const tree = await buildFixtureProxy(join(dir, "proxy"), { modulesDir: join(dir, "modules") });
  const proxy = await startFixtureProxy(tree.root);
  const leaves: Record<string, string> = {};
  for (const [name, l] of Object.entries(LEAVES)) {
    const leafDir = join(dir, "leaves", name);
    await mkdir(leafDir, { recursive: true });
    const requires = [`\t${LIB} ${l.lib}`, `\t${MID} v1.0.0`, ...(l.indep ? [`\t${INDEP} ${l.indep}`] : [])];
    await writeFile(join(leafDir, "go.mod"), `module example.com/leaf/${name}\n\ngo 1.22\n\nrequire (\n${requires.join("\n")}\n)\n`);
    const imports = [`"fmt"`, `"${LIB}"`, `"${MID}"`, ...(l.indep ? [`"${INDEP}"`] : [])];
    const parts = [`"${name}"`, `lib.${l.call}()`, "mid.Mid()", ...(l.indep ? ["indep.Indep()"] : [])];
    await writeFile(join(leafDir, "main.go"), `package main\n\nimport (\n\t${imports.join("\n\t")}\n)\n\nfunc main() { fmt.Println(${parts.join(", ")}) }\n`);
    await runGo(["mod", "tidy"], { cwd: leafDir, env: goEnv(proxy.url, dir) });
    leaves[name] = leafDir;
  }
  return {
    proxyUrl: proxy.url,
    proxy,
    dir,
    leaves,
    close: async () => {
      await proxy.close();
      await removeTree(dir);
    },
  };
}

function goEnv(proxyUrl: string, dir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOPROXY: proxyUrl,
    GOSUMDB: "off",
    GOFLAGS: "-mod=mod",
    GOTOOLCHAIN: "local",
    GOWORK: "off",
    GOENV: "off",
    GOMODCACHE: join(dir, "gomodcache"),
  };
}

/** leaves.yaml for a set at `setDir` listing `names`, with optional extra YAML per leaf (indented 4). */
export function leavesYaml(conflict: Conflict, setDir: string, names: readonly string[], extra: Record<string, string> = {}): string {
  const lines = ["leaves:"];
  for (const name of names) {
    lines.push(`  ${name}:`, `    path: ${relative(setDir, conflict.leaves[name] ?? "")}`);
    if (extra[name]) lines.push(...extra[name].split("\n").map((l) => `    ${l}`));
  }
  return lines.join("\n") + "\n";
}
