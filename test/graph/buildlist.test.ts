import { describe, expect, it } from "vitest";
import { selectBuildList } from "../../generator/graph/buildlist.js";
import type { GoModFile, ModuleVersion } from "../../generator/types.js";

/** A literal module graph: "path@version" -> [go version, requirements]. */
type Graph = Record<string, [string | undefined, string[]]>;

function goMod(path: string, go: string | undefined, reqs: string[], extra: Partial<GoModFile> = {}): GoModFile {
  return {
    module: { path },
    ...(go === undefined ? {} : { go }),
    requires: reqs.map((r) => {
      const [p, v] = r.split("@") as [string, string];
      return { path: p, version: v, indirect: false };
    }),
    excludes: [],
    replaces: [],
    retracts: [],
    godebug: [],
    tools: [],
    ...extra,
  };
}

function loader(graph: Graph, reads: string[] = []) {
  return async (m: ModuleVersion) => {
    const key = `${m.path}@${m.version}`;
    reads.push(key);
    const node = graph[key];
    if (!node) throw new Error(`no go.mod for ${key}`);
    return goMod(m.path, node[0], node[1]);
  };
}

const toObject = (m: ReadonlyMap<string, string>) => Object.fromEntries(m);

describe("selectBuildList", () => {
  const graph: Graph = {
    "a@v1.0.0": ["1.21", ["c@v1.1.0"]],
    "b@v1.0.0": ["1.21", ["c@v1.2.0", "d@v1.0.0"]],
    "c@v1.1.0": ["1.21", []],
    "c@v1.2.0": ["1.21", ["e@v1.0.0"]],
    "d@v1.0.0": ["1.21", ["f@v2.0.0"]],
    "old@v1.0.0": ["1.16", ["deep@v1.0.0"]],
    "deep@v1.0.0": ["1.21", ["deeper@v1.3.0"]],
    "deeper@v1.3.0": ["1.21", ["deepest@v1.0.0"]],
    "deepest@v1.0.0": ["1.21", []],
    "e@v1.0.0": ["1.21", []],
    "f@v2.0.0": ["1.21", []],
  };

  it("takes the highest version among all nodes and reads only roots' go.mod when pruned", async () => {
    const reads: string[] = [];
    const bl = await selectBuildList(goMod("main", "1.21", ["a@v1.0.0", "b@v1.0.0"]), loader(graph, reads));
    // c@v1.2.0 and d@v1.0.0 are nodes (b's requirements) but their go.mod files are not read.
    expect(toObject(bl.selected)).toEqual({ a: "v1.0.0", b: "v1.0.0", c: "v1.2.0", d: "v1.0.0" });
    expect(reads.sort()).toEqual(["a@v1.0.0", "b@v1.0.0"]);
  });

  it("reads the whole closure for a main module below go 1.17", async () => {
    const bl = await selectBuildList(goMod("main", "1.16", ["a@v1.0.0", "b@v1.0.0"]), loader(graph));
    expect(toObject(bl.selected)).toEqual({ a: "v1.0.0", b: "v1.0.0", c: "v1.2.0", d: "v1.0.0", e: "v1.0.0", f: "v2.0.0" });
  });

  it("treats a missing go line as go 1.16", async () => {
    const bl = await selectBuildList(goMod("main", undefined, ["b@v1.0.0"]), loader(graph));
    expect(bl.selected.get("f")).toBe("v2.0.0");
  });

  it("expands everything below an unpruned (go < 1.17) dependency", async () => {
    const bl = await selectBuildList(goMod("main", "1.21", ["old@v1.0.0"]), loader(graph));
    expect(toObject(bl.selected)).toEqual({ old: "v1.0.0", deep: "v1.0.0", deeper: "v1.3.0", deepest: "v1.0.0" });
  });

  it("ignores requirements on excluded versions", async () => {
    const main = goMod("main", "1.21", ["a@v1.0.0", "b@v1.0.0"], { excludes: [{ path: "c", version: "v1.2.0" }] });
    const bl = await selectBuildList(main, loader(graph));
    expect(bl.selected.get("c")).toBe("v1.1.0");
  });

  it("adds extra roots the way a require line would (pins)", async () => {
    const g: Graph = { ...graph, "c@v1.3.0": ["1.21", ["g@v1.0.0"]] };
    const bl = await selectBuildList(goMod("main", "1.21", ["a@v1.0.0"]), loader(g), [{ path: "c", version: "v1.3.0" }]);
    expect(toObject(bl.selected)).toEqual({ a: "v1.0.0", c: "v1.3.0", g: "v1.0.0" });
  });

  it("survives module cycles", async () => {
    const g: Graph = { "x@v1.0.0": ["1.16", ["y@v1.0.0"]], "y@v1.0.0": ["1.16", ["x@v1.1.0"]], "x@v1.1.0": ["1.16", ["y@v1.0.0"]] };
    const bl = await selectBuildList(goMod("main", "1.16", ["x@v1.0.0"]), loader(g));
    expect(toObject(bl.selected)).toEqual({ x: "v1.1.0", y: "v1.0.0" });
  });

  it("propagates a loader failure", async () => {
    await expect(selectBuildList(goMod("main", "1.16", ["missing@v1.0.0"]), loader(graph))).rejects.toThrow(/missing@v1.0.0/);
  });
});
