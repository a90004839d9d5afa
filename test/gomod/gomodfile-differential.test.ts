/**
 * Differential test: many generated go.mod texts, parsed by parseGoMod and by
 * golang.org/x/mod/modfile (Parse and ParseLax, as cmd/go uses them), must
 * give the same fields or fail at the same line.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isGosetError } from "../../generator/errors.js";
import { parseGoMod } from "../../generator/gomod/gomodfile.js";
import type { GoModFile } from "../../generator/types.js";
import { goEnv, runGo } from "./gotool.js";

const PINNED_X_MOD = "v0.42.0";
const CASES = 1500;

/** mulberry32: a small seeded PRNG, so every run tests the same texts. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATHS = [
  "example.com/a", "example.com/b/v2", "example.com/c/v3", "gopkg.in/yaml.v3", "gopkg.in/check.v1",
  '"example.com/quoted"', '"example.com/\\x61"', "example.com/b/v1", "example.com/x.v2", "bad\"path", "`raw`",
];
const VERSIONS = [
  "v1.0.0", "v1.2", "v1", "v2.0.0", "v2.0.0+incompatible", "v3.1.0", "v0.0.0-20191109021931-daa7c04131f5",
  "v1.0.0-pre", "v1.0.0+meta", '"v1.0.0"', "banana", "v1.02.0", "1.0.0",
];
const TARGETS = ["./dir", "../dir", "/abs", ".", '"./with space"', "example.com/fork", "example.com/fork/v2", "example.com/x@v1.0.0", ".\\win"];
const GO_VERSIONS = ["1.21", "1.21.0", "1.21rc1", "1.16", "1.21.0-fake", "v1.21", "v1.21.3x", "1", "1.021"];
const TOOLCHAINS = ["go1.21.0", "default", "go1.22rc1", "1.21", "gofoo"];
const SUFFIXES = ["", "", "", " // indirect", " //indirect", " // indirect; why", " // indirect extra", " // Deprecated: old", " // reason", " //"];
const BEFORE = ["// Deprecated: use v2", "// reason one", "//", "// indirect", "// Deprecated:", "// Package x.\n//\n// Deprecated: gone\n//\n// More."];

function generateGoMod(random: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const chance = (p: number): boolean => random() < p;

  const argsFor = (verb: string): string => {
    switch (verb) {
      case "module":
        return chance(0.9) ? pick(["example.com/m", "example.com/m/v2", '"example.com/m"', "m"]) : pick(PATHS);
      case "go":
        return pick(GO_VERSIONS);
      case "toolchain":
        return pick(TOOLCHAINS);
      case "godebug":
        return pick(["panicnil=1", "default=go1.21", "x", "a=b=c", "'q'=1", "a=1 b=2"]);
      case "require":
      case "exclude":
        return chance(0.9) ? `${pick(PATHS)} ${pick(VERSIONS)}` : `${pick(PATHS)}`;
      case "replace": {
        const old = chance(0.5) ? pick(PATHS) : `${pick(PATHS)} ${pick(VERSIONS)}`;
        const target = pick(TARGETS);
        const withVersion = chance(0.5) ? ` ${pick(VERSIONS)}` : "";
        return chance(0.95) ? `${old} => ${target}${withVersion}` : `${old} ${target}`;
      }
      case "retract":
        return pick([
          pick(VERSIONS),
          `[${pick(VERSIONS)}, ${pick(VERSIONS)}]`,
          `[ ${pick(VERSIONS)} , ${pick(VERSIONS)} ]`,
          `[${pick(VERSIONS)} ${pick(VERSIONS)}]`,
          `${pick(VERSIONS)} extra`,
          "[v1.0.0,",
        ]);
      case "tool":
      case "ignore":
        return pick(["example.com/a/cmd/x", "./node_modules", '"./with space"', "a b", "`raw`"]);
      default:
        return pick(["x", "x y", ""]);
    }
  };

  const verbs = ["module", "go", "toolchain", "godebug", "require", "exclude", "replace", "retract", "tool", "ignore", "frobnicate"];
  const statements: string[] = [];
  if (chance(0.92)) statements.push(`${chance(0.3) ? `${pick(BEFORE)}\n` : ""}module ${argsFor("module")}${pick(SUFFIXES)}`);
  const count = Math.floor(random() * 7);
  for (let i = 0; i < count; i++) {
    const verb = chance(0.85) ? pick(verbs.slice(1, 10)) : pick(verbs);
    const before = chance(0.25) ? `${pick(BEFORE)}\n` : "";
    if (chance(0.35)) {
      const lines: string[] = [];
      const n = Math.floor(random() * 4);
      for (let j = 0; j < n; j++) {
        if (chance(0.15)) lines.push("");
        if (chance(0.2)) lines.push(`\t${pick(BEFORE)}`);
        lines.push(`\t${argsFor(verb)}${pick(SUFFIXES)}`);
      }
      const open = chance(0.95) ? "(" : "( x";
      const close = chance(0.95) ? ")" : pick([") x", ""]);
      statements.push(`${before}${verb} ${open}${pick(SUFFIXES)}\n${lines.join("\n")}${lines.length > 0 ? "\n" : ""}${close}`);
    } else {
      statements.push(`${before}${verb} ${argsFor(verb)}${pick(SUFFIXES)}`);
    }
    if (chance(0.1)) statements.push(pick(["// stray", "/* nope */", "\"unterminated", "require example.com/a v1.0.0)", "( x"]));
  }
  let text = statements.join(chance(0.5) ? "\n\n" : "\n") + (chance(0.9) ? "\n" : "");
  if (chance(0.1)) text = text.replace(/\n/g, "\r\n");
  return text;
}

const GO_PROGRAM = `package main

import (
	"encoding/json"
	"os"

	"golang.org/x/mod/modfile"
)

type result struct {
	Ok   bool
	Line int
	File map[string]any
}

func summarize(f *modfile.File) map[string]any {
	m := map[string]any{}
	if f.Module != nil {
		m["Module"] = map[string]string{"Path": f.Module.Mod.Path, "Deprecated": f.Module.Deprecated}
	}
	if f.Go != nil {
		m["Go"] = f.Go.Version
	}
	if f.Toolchain != nil {
		m["Toolchain"] = f.Toolchain.Name
	}
	req := [][]any{}
	for _, r := range f.Require {
		req = append(req, []any{r.Mod.Path, r.Mod.Version, r.Indirect})
	}
	m["Require"] = req
	exc := [][]string{}
	for _, e := range f.Exclude {
		exc = append(exc, []string{e.Mod.Path, e.Mod.Version})
	}
	m["Exclude"] = exc
	rep := [][]string{}
	for _, r := range f.Replace {
		rep = append(rep, []string{r.Old.Path, r.Old.Version, r.New.Path, r.New.Version})
	}
	m["Replace"] = rep
	ret := [][]string{}
	for _, r := range f.Retract {
		ret = append(ret, []string{r.Low, r.High, r.Rationale})
	}
	m["Retract"] = ret
	gd := [][]string{}
	for _, g := range f.Godebug {
		gd = append(gd, []string{g.Key, g.Value})
	}
	m["Godebug"] = gd
	tools := []string{}
	for _, t := range f.Tool {
		tools = append(tools, t.Path)
	}
	m["Tool"] = tools
	return m
}

func run(text string, strict bool) result {
	parse := modfile.ParseLax
	if strict {
		parse = modfile.Parse
	}
	f, err := parse("go.mod", []byte(text), nil)
	if err != nil {
		if list, ok := err.(modfile.ErrorList); ok && len(list) > 0 {
			return result{Line: list[0].Pos.Line}
		}
		return result{Line: -1}
	}
	return result{Ok: true, File: summarize(f)}
}

func main() {
	var texts []string
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	if err := json.Unmarshal(data, &texts); err != nil {
		panic(err)
	}
	out := [][2]result{}
	for _, t := range texts {
		out = append(out, [2]result{run(t, true), run(t, false)})
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
`;

interface GoResult {
  Ok: boolean;
  Line: number;
  File?: Record<string, unknown>;
}

function summarize(f: GoModFile): Record<string, unknown> {
  return {
    Module: { Path: f.module.path, Deprecated: f.module.deprecated ?? "" },
    ...(f.go === undefined ? {} : { Go: f.go }),
    ...(f.toolchain === undefined ? {} : { Toolchain: f.toolchain }),
    Require: f.requires.map((r) => [r.path, r.version, r.indirect]),
    Exclude: f.excludes.map((e) => [e.path, e.version]),
    Replace: f.replaces.map((r) =>
      r.new.kind === "dir" ? [r.old.path, r.old.version ?? "", r.new.dir, ""] : [r.old.path, r.old.version ?? "", r.new.path, r.new.version],
    ),
    Retract: f.retracts.map((r) => [r.low, r.high, r.rationale]),
    Godebug: f.godebug.map((g) => [g.key, g.value]),
    Tool: [...f.tools],
  };
}

/** What parseGoMod says, in the Go program's terms; a missing or empty module path counts as a failure on both sides. */
function runMine(text: string, strict: boolean): { ok: true; file: Record<string, unknown> } | { ok: false; line: number | undefined } {
  try {
    return { ok: true, file: summarize(parseGoMod(text, "go.mod", { strict })) };
  } catch (e) {
    if (!isGosetError(e) || e.code !== "GOSET_GOMOD_PARSE") throw e;
    const m = /^go\.mod:(\d+): /.exec(e.message);
    return { ok: false, line: m?.[1] === undefined ? undefined : Number(m[1]) };
  }
}

function normalizeGo(r: GoResult): { ok: true; file: Record<string, unknown> } | { ok: false; line: number | undefined } {
  const module = r.File?.["Module"] as { Path: string } | undefined;
  if (!r.Ok) return { ok: false, line: r.Line };
  if (module === undefined) return { ok: false, line: undefined };
  if (module.Path === "") return { ok: false, line: 1 };
  return { ok: true, file: r.File ?? {} };
}

describe("parseGoMod against golang.org/x/mod/modfile on generated inputs", () => {
  const random = seededRandom(20240601);
  const texts = Array.from({ length: CASES }, () => generateGoMod(random));
  let dir = "";
  let answers: [GoResult, GoResult][] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "goset-modfile-"));
    const prog = join(dir, "prog");
    await mkdir(prog);
    const env = goEnv({ GOMODCACHE: join(dir, "modcache"), GOPROXY: "https://proxy.golang.org", GOSUMDB: "sum.golang.org" });
    await writeFile(join(prog, "go.mod"), "module example.com/modfilepin\n\ngo 1.23\n");
    await writeFile(join(prog, "main.go"), GO_PROGRAM);
    await writeFile(join(dir, "texts.json"), JSON.stringify(texts));
    const get = await runGo(["get", `golang.org/x/mod@${PINNED_X_MOD}`], prog, env);
    expect(get.code).toBe(0);
    const run = await runGo(["run", ".", join(dir, "texts.json")], prog, env);
    expect(run.stderr).toBe("");
    answers = JSON.parse(run.stdout) as [GoResult, GoResult][];
  });

  afterAll(async () => {
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  it("generates a useful mix of accepted and rejected files", () => {
    const strictOk = answers.filter(([s]) => s.Ok).length;
    const laxOk = answers.filter(([, l]) => l.Ok).length;
    expect(strictOk).toBeGreaterThan(CASES / 10);
    expect(CASES - strictOk).toBeGreaterThan(CASES / 10);
    expect(laxOk).toBeGreaterThan(strictOk);
  });

  it.each([
    ["strict", true],
    ["lax", false],
  ] as const)("%s: same fields, or an error at the same line", (_mode, strict) => {
    const mismatches: unknown[] = [];
    texts.forEach((text, i) => {
      const go = normalizeGo(answers[i]?.[strict ? 0 : 1] ?? { Ok: false, Line: -1 });
      const mine = runMine(text, strict);
      try {
        expect(mine).toEqual(go);
      } catch {
        mismatches.push({ text, go, mine });
      }
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});
