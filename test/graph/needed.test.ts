import { describe, expect, it } from "vitest";
import { likelyMembers, modulesProvidingPackages } from "../../generator/graph/needed.js";
import type { GoSumEntry } from "../../generator/types.js";

const goSum = (lines: Record<string, GoSumEntry>) => new Map(Object.entries(lines));

describe("modules the set will need", () => {
  const a = goSum({
    "example.com/x@v1.2.0": { sum: "h1:a", goModSum: "h1:b" },
    "example.com/x@v1.10.0": { sum: "h1:c", goModSum: "h1:d" },
    "example.com/modonly@v1.0.0": { goModSum: "h1:e" },
  });
  const b = goSum({ "example.com/x@v1.9.0": { sum: "h1:f", goModSum: "h1:g" }, "example.com/y@v0.1.0": { sum: "h1:h" } });

  it("guesses, per path, the highest version whose zip a go.sum records (semver order, not string order)", () => {
    expect(likelyMembers([a, b])).toEqual([
      { path: "example.com/x", version: "v1.10.0" },
      { path: "example.com/y", version: "v0.1.0" },
    ]);
  });

  it("takes as members only build-list modules some go.sum has a zip line for", () => {
    expect([...modulesProvidingPackages([{ paths: ["example.com/x", "example.com/modonly"], goSum: a }])]).toEqual(["example.com/x"]);
  });
});
