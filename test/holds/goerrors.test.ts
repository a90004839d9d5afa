import { describe, expect, it } from "vitest";
import { goErrors } from "../../generator/check/build.js";

describe("goErrors", () => {
  it("keeps Go's first error lines, a dependency's without the module cache directory", () => {
    const log = [
      "running buildPhase",
      "# github.com/charmbracelet/x/cellbuf",
      "../gomodcache/github.com/charmbracelet/x/cellbuf@v0.0.13/cell.go:200:8: not enough arguments in call to b.Italic",
      "internal/analysis/unusedfunc/unusedfunc.go:77:17: undefined: packagepath.IsStdPackage",
      "main.go:3:2: third",
      "main.go:4:2: fourth",
    ].join("\n");
    expect(goErrors(log)).toEqual([
      "github.com/charmbracelet/x/cellbuf@v0.0.13/cell.go:200:8: not enough arguments in call to b.Italic",
      "internal/analysis/unusedfunc/unusedfunc.go:77:17: undefined: packagepath.IsStdPackage",
      "main.go:3:2: third",
    ]);
  });
});
