import { describe, expect, it } from "vitest";
import { cycleId, findCycles, safeName } from "../../generator/graph/cycles.js";
import { selectSetVersions } from "../../generator/graph/setselect.js";

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe("findCycles", () => {
  const edges: [string, string[]][] = [
    ["a", ["b"]],
    ["b", ["c"]],
    ["c", ["a", "d"]],
    ["d", []],
    ["e", ["f"]],
    ["f", ["e"]],
    ["g", ["g", "outside"]],
  ];

  it("returns components larger than one, with members sorted", () => {
    const cycles = findCycles(new Map(edges));
    expect(cycles.map((c) => c.members)).toEqual([["a", "b", "c"], ["e", "f"]]);
    expect(cycles[0]?.id).toBe(cycleId(["a", "b", "c"]));
  });

  it.each([1, 2, 3, 4, 5])("gives identical output for shuffled input (seed %i)", (seed) => {
    const input = shuffled(edges, seed).map(([k, v]) => [k, shuffled(v, seed + 7)] as [string, string[]]);
    expect(findCycles(new Map(input))).toEqual(findCycles(new Map(edges)));
  });

  it("derives ids from members, not from order or count", () => {
    expect(cycleId(["example.com/a", "example.com/b"])).toMatch(/^example\.com-a-cycle-[0-9a-f]{10}$/);
    expect(cycleId(["example.com/a", "example.com/b"])).not.toBe(cycleId(["example.com/a", "example.com/c"]));
  });

  it("makes store-safe names", () => {
    expect(safeName("github.com/BurntSushi/toml")).toBe("github.com-BurntSushi-toml");
    expect(safeName("example.com/~user/x!")).toBe("example.com--user-x-");
  });
});

describe("selectSetVersions", () => {
  it("takes the highest version any leaf selects and records upgrades", () => {
    const sel = selectSetVersions([
      { name: "one", own: new Map([["s", "v1.0.0"], ["t", "v1.0.0"]]), pinned: new Map([["s", "v1.0.0"], ["t", "v1.0.0"]]), replaced: new Set() },
      { name: "two", own: new Map([["s", "v1.2.0"], ["t", "v0.9.0"]]), pinned: new Map([["s", "v1.2.0"], ["t", "v0.9.0"]]), replaced: new Set(["t"]) },
    ]);
    expect(Object.fromEntries(sel.versions)).toEqual({ s: "v1.2.0", t: "v1.0.0" });
    expect(Object.fromEntries(sel.upgraded.get("one") ?? [])).toEqual({ s: { from: "v1.0.0", to: "v1.2.0" } });
    // a replaced module is the leaf's own: it neither counts nor gets upgraded
    expect(sel.upgraded.get("two")?.size).toBe(0);
    expect(sel.members.get("two")).toEqual(["s"]);
  });

  it("counts pins through the pinned build list", () => {
    const sel = selectSetVersions([{ name: "one", own: new Map([["s", "v1.0.0"]]), pinned: new Map([["s", "v1.5.0"]]), replaced: new Set() }]);
    expect(sel.versions.get("s")).toBe("v1.5.0");
    expect(sel.upgraded.get("one")?.get("s")).toEqual({ from: "v1.0.0", to: "v1.5.0" });
  });
});
