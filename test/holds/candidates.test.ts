import { describe, expect, it } from "vitest";
import { holdCandidates } from "../../generator/check/check.js";
import type { LockedLeaf, LockedModule, LockedSet } from "../../generator/model.js";

const mod = (path: string, version: string, cycle?: string): LockedModule => ({
  path, version, hash: "sha256-x", sum: "h1:x", goModSum: "h1:y", verified: "go.sum", requires: [], ...(cycle === undefined ? {} : { cycle }),
});
const leaf: LockedLeaf = {
  name: "app", source: { kind: "path", path: "app" }, modulePath: "example.com/app", subPackages: ["."],
  buildList: ["example.com/a", "example.com/b", "example.com/c"], imports: [],
  upgraded: new Map([["example.com/a", { from: "v1.0.0", to: "v1.1.0" }], ["example.com/b", { from: "v1.0.0", to: "v1.2.0" }]]),
  replaces: new Map(), holds: new Map(), package: {},
};
const set: LockedSet = {
  inputs: "x", goModOnly: new Map(), leaves: new Map([["app", leaf]]), held: new Map(),
  modules: new Map([["example.com/a", mod("example.com/a", "v1.1.0")], ["example.com/b", mod("example.com/b", "v1.2.0", "cyc")], ["example.com/c", mod("example.com/c", "v1.0.0")]]),
  cycles: [{ id: "cyc", members: ["example.com/b"] }],
};

describe("holdCandidates", () => {
  it("for a new leaf: the modules the set raised above its own selection, cycle members aside (they cannot be held)", () => {
    expect(holdCandidates("app", set, undefined)).toEqual([{ path: "example.com/a", from: "v1.1.0", version: "v1.0.0" }]);
  });
});
