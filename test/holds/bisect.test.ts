import { describe, expect, it } from "vitest";
import { bisectHolds } from "../../generator/check/bisect.js";

/** A leaf broken by exactly the modules in `culprits`: it passes when all of them are held. */
function leaf(culprits: readonly string[]) {
  const tried: string[][] = [];
  const passes = (held: readonly string[]) => {
    tried.push([...held]);
    return Promise.resolve(culprits.every((c) => held.includes(c)));
  };
  return { tried, passes };
}

const candidates = ["a", "b", "c", "d", "e", "f", "g", "h"];

describe("bisectHolds", () => {
  it.each([[["c"]], [["a"]], [["h"]], [["b", "g"]], [["a", "d", "h"]]])("finds exactly the culprits %j, never trying a hold set twice", async (culprits) => {
    const { tried, passes } = leaf(culprits);
    const result = await bisectHolds(candidates, passes, (c) => c);
    expect([...(result.holds ?? [])].sort()).toEqual([...culprits].sort());
    expect(result.trials).toBe(tried.length);
    expect(new Set(tried.map((t) => [...t].sort().join(","))).size).toBe(tried.length);
    expect(tried.some((t) => t.length === 0)).toBe(false);
  });

  it("takes about log2(n) builds per culprit", async () => {
    const { passes } = leaf(["e"]);
    const result = await bisectHolds(candidates, passes, (c) => c);
    expect(result.trials).toBeLessThanOrEqual(1 + Math.ceil(Math.log2(candidates.length)) + 1);
  });

  it("answers null when holding every candidate does not help, after one build", async () => {
    const result = await bisectHolds(candidates, () => Promise.resolve(false), (c) => c);
    expect(result).toEqual({ holds: null, trials: 1 });
  });

  it("answers null without building when there is nothing to hold", async () => {
    expect(await bisectHolds([], () => Promise.resolve(true), (c: string) => c)).toEqual({ holds: null, trials: 0 });
  });
});
