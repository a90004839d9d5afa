import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { matchPrefixPatterns, pathMatch } from "../../generator/env/patterns.js";

const pathMatchCases: [pattern: string, name: string, expected: boolean][] = [
  ["abc", "abc", true],
  ["*", "abc", true],
  ["*c", "abc", true],
  ["a*", "a", true],
  ["a*", "abc", true],
  ["a*", "ab/c", false],
  ["a*/b", "abc/b", true],
  ["a*/b", "a/c/b", false],
  ["a*b*c*d*e*/f", "axbxcxdxe/f", true],
  ["a*b*c*d*e*/f", "axbxcxdxexxx/f", true],
  ["a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false],
  ["a*b*c*d*e*/f", "axbxcxdxexxx/fff", false],
  ["a*b?c*x", "abxbbxdbxebxczzx", true],
  ["a*b?c*x", "abxbbxdbxebxczzy", false],
  ["ab[c]", "abc", true],
  ["ab[b-d]", "abc", true],
  ["ab[e-g]", "abc", false],
  ["ab[^c]", "abc", false],
  ["ab[^b-d]", "abc", false],
  ["ab[^e-g]", "abc", true],
  ["a\\*b", "a*b", true],
  ["a\\*b", "ab", false],
  ["a?b", "a☺b", true],
  ["a[^a]b", "a☺b", true],
  ["a???b", "a☺b", false],
  ["a[^a][^a][^a]b", "a☺b", false],
  ["[a-ζ]*", "α", true],
  ["*[a-ζ]", "A", false],
  ["a?b", "a/b", false],
  ["a*b", "a/b", false],
  ["[\\]a]", "]", true],
  ["[\\-]", "-", true],
  ["[x\\-]", "x", true],
  ["[x\\-]", "-", true],
  ["[x\\-]", "z", false],
  ["[\\-x]", "x", true],
  ["[\\-x]", "a", false],
  ["[/]", "/", true],
  ["[^a]", "/", true],
  ["[]a]", "]", false],
  ["[-]", "-", false],
  ["[x-]", "x", false],
  ["[-x]", "x", false],
  ["\\", "a", false],
  ["[a-b-c]", "a", false],
  ["[", "a", false],
  ["[^", "a", false],
  ["[^bc", "a", false],
  ["a[", "a", false],
  ["a[", "ab", false],
  ["*x", "xxx", true],
  ["*.corp.com", "git.corp.com", true],
  ["*.corp.com", "corp.com", false],
  ["", "", true],
  ["", "a", false],
];

describe("pathMatch", () => {
  it.each(pathMatchCases)("pathMatch(%j, %j) = %s", (pattern, name, expected) => {
    expect(pathMatch(pattern, name)).toBe(expected);
  });

  it("agrees with Go's path.Match on the whole table", async () => {
    const dir = await mkdtemp(join(tmpdir(), "goset-pathmatch-"));
    try {
      const program = [
        "package main",
        'import ("encoding/json"; "fmt"; "os"; "path")',
        "func main() {",
        "\tvar cases [][2]string",
        "\tif err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil { panic(err) }",
        "\tout := []bool{}",
        "\tfor _, c := range cases { ok, _ := path.Match(c[0], c[1]); out = append(out, ok) }",
        "\tb, _ := json.Marshal(out)",
        "\tfmt.Println(string(b))",
        "}",
      ].join("\n");
      await writeFile(join(dir, "main.go"), program);
      const input = JSON.stringify(pathMatchCases.map(([p, n]) => [p, n]));
      const stdout = await new Promise<string>((resolve, reject) => {
        const child = execFile(
          "go",
          ["run", "main.go"],
          { cwd: dir, env: { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "" } },
          (err, out) => (err ? reject(err) : resolve(out)),
        );
        child.stdin?.end(input);
      });
      const goResults = JSON.parse(stdout) as boolean[];
      expect(pathMatchCases.map(([p, n]) => pathMatch(p, n))).toEqual(goResults);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("matchPrefixPatterns", () => {
  it.each([
    ["*.corp.com", "git.corp.com/a/b", true],
    ["*.corp.com", "corp.com/a", false],
    ["github.com/me", "github.com/me/repo", true],
    ["github.com/me", "github.com/meow/repo", false],
    ["github.com/me/", "github.com/me/repo", true],
    ["github.com/*/private", "github.com/acme/private/sub", true],
    ["github.com/*/private", "github.com/acme/public", false],
    ["github.com/a/b/c", "github.com/a/b", false],
    [",,rsc.io", "rsc.io/quote", true],
    ["a.com, rsc.io", "rsc.io/quote", false],
    ["", "anything", false],
    [",", "anything", false],
    ["*", "anything/at/all", true],
    ["*/*", "single", false],
    ["[", "[", false],
    ["bad[,rsc.io", "rsc.io/x", true],
    ["example.com", "example.com", true],
    ["EXAMPLE.com", "example.com", false],
  ])("matchPrefixPatterns(%j, %j) = %s", (globs, path, expected) => {
    expect(matchPrefixPatterns(globs, path)).toBe(expected);
  });
});
