/**
 * leaves.yaml: the hand-written input of a set. Each leaf is an application,
 * either a module fetched through the proxy or a local directory.
 */
import { LineCounter, parseDocument, isMap } from "yaml";
import { GosetError } from "../errors.js";
import type { ModulePath, Version } from "../types.js";
import { nixpkgsLicense } from "./licenses.js";

export type LeafSource =
  | { readonly kind: "module"; readonly module: ModulePath; readonly version: Version }
  | { readonly kind: "path"; readonly path: string };

/** A module a leaf keeps at its own version, whatever the set selects. */
export interface Hold {
  readonly version: Version;
  readonly reason?: string;
}

export interface LeafSpec {
  readonly name: string;
  readonly source: LeafSource;
  readonly subPackages: readonly string[];
  /** Modules this leaf holds back, by path (sorted). */
  readonly holds: ReadonlyMap<ModulePath, Hold>;
  /** `goset check`'s smoke check of the leaf's first binary; absent: `--version`, else `--help`, exit 0. */
  readonly check?: SmokeCheck;
  /** What buildGoModule users set on a package, rendered into the leaf's Nix file. */
  readonly package: LeafPackage;
}

/**
 * A leaf's package attributes. `{version}` in an ldflag stands for the leaf's
 * version without its `v` (rendered as `${finalAttrs.version}`).
 */
export interface LeafPackage {
  readonly ldflags?: readonly string[];
  readonly tags?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly doCheck?: boolean;
  readonly meta?: LeafMeta;
}

export interface LeafMeta {
  readonly description?: string;
  readonly homepage?: string;
  /** SPDX identifiers, each one nix/licenses.json maps to a nixpkgs `lib.licenses` name. */
  readonly license?: readonly string[];
  readonly mainProgram?: string;
}

export interface SmokeCheck {
  readonly args: readonly string[];
  /** Text the output (stdout and stderr) must contain. */
  readonly expect?: string;
}

export interface LeavesFile {
  readonly leaves: readonly LeafSpec[];
  /** Raise a module to at least this version in every leaf that has it. */
  readonly pins: ReadonlyMap<ModulePath, Version>;
}

const NIX_ATTR = /^[A-Za-z_][A-Za-z0-9_'-]*$/;
const LEAF_KEYS = new Set(["module", "version", "path", "subPackages", "hold", "check", "ldflags", "tags", "env", "doCheck", "meta"]);
const META_KEYS = new Set(["description", "homepage", "license", "mainProgram"]);

export function parseLeavesFile(text: string, file: string): LeavesFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const fail = (message: string, offset?: number): never => {
    const line = offset === undefined ? 1 : lines.linePos(offset).line;
    throw new GosetError("GOSET_LEAVES_INVALID", `${file}:${line}: ${message}`, {
      hint: "leaves.yaml maps leaf names to { module, version } or { path }; see the README's 'leaves.yaml' section",
    });
  };
  const firstError = doc.errors[0];
  if (firstError) fail(firstError.message.split("\n")[0] ?? "invalid YAML", firstError.pos[0]);
  if (!isMap(doc.contents)) fail("expected a mapping with a `leaves` key");

  const root = doc.toJS() as Record<string, unknown>;
  for (const key of Object.keys(root)) {
    if (key !== "leaves" && key !== "pins") fail(`unknown top-level key "${key}"`, offsetOf(doc, [key]));
  }
  const leavesNode = root["leaves"];
  if (!isRecord(leavesNode) || Object.keys(leavesNode).length === 0) {
    fail("`leaves` must be a non-empty mapping of leaf names", offsetOf(doc, ["leaves"]));
  }

  const leaves: LeafSpec[] = [];
  for (const [name, value] of Object.entries(leavesNode as Record<string, unknown>)) {
    const at = offsetOf(doc, ["leaves", name]);
    if (!NIX_ATTR.test(name)) fail(`leaf name "${name}" is not a plain Nix attribute name`, at);
    if (!isRecord(value)) fail(`leaf "${name}" must be a mapping`, at);
    const leaf = value as Record<string, unknown>;
    for (const key of Object.keys(leaf)) {
      if (!LEAF_KEYS.has(key)) fail(`leaf "${name}": unknown key "${key}"`, offsetOf(doc, ["leaves", name, key]));
    }
    leaves.push({
      name,
      source: readSource(name, leaf, (m) => fail(m, at)),
      subPackages: readSubPackages(name, leaf, (m) => fail(m, at)),
      holds: readHolds(name, leaf, (m, key) => fail(m, offsetOf(doc, ["leaves", name, "hold", ...(key === undefined ? [] : [key])]))),
      ...readCheck(name, leaf, (m) => fail(m, offsetOf(doc, ["leaves", name, "check"]))),
      package: readPackage(name, leaf, (m, key) => fail(m, offsetOf(doc, ["leaves", name, key]))),
    });
  }

  const pins = new Map<ModulePath, Version>();
  const pinsNode = root["pins"];
  if (pinsNode !== undefined && pinsNode !== null) {
    if (!isRecord(pinsNode)) fail("`pins` must map module paths to versions", offsetOf(doc, ["pins"]));
    for (const [path, version] of Object.entries(pinsNode as Record<string, unknown>)) {
      if (typeof version !== "string" || !version.startsWith("v")) {
        fail(`pin "${path}" must be a version string such as v1.2.3`, offsetOf(doc, ["pins", path]));
      }
      pins.set(path, version as string);
    }
  }
  leaves.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { leaves, pins };
}

function readSource(name: string, leaf: Record<string, unknown>, fail: (m: string) => never): LeafSource {
  const { module, version, path } = leaf;
  if (path !== undefined) {
    if (module !== undefined || version !== undefined) fail(`leaf "${name}": give either path or module+version, not both`);
    if (typeof path !== "string" || path === "") fail(`leaf "${name}": path must be a non-empty string`);
    return { kind: "path", path };
  }
  if (module === undefined) fail(`leaf "${name}": module is required (or path)`);
  if (typeof module !== "string" || module === "") fail(`leaf "${name}": module must be a module path such as github.com/junegunn/fzf, not ${JSON.stringify(module)}`);
  if (typeof version === "number" || (typeof version === "string" && /^\d/.test(version))) {
    fail(`leaf "${name}": version ${String(version)} needs its leading v (write v${String(version)})`);
  }
  if (typeof version !== "string" || !version.startsWith("v")) fail(`leaf "${name}": version must be a string such as v1.2.3`);
  return { kind: "module", module, version };
}

function readSubPackages(name: string, leaf: Record<string, unknown>, fail: (m: string) => never): string[] {
  const sub = leaf["subPackages"];
  if (sub === undefined) return ["."];
  if (!Array.isArray(sub) || sub.length === 0 || !sub.every((s) => typeof s === "string" && s !== "")) {
    fail(`leaf "${name}": subPackages must be a non-empty list of package directories`);
  }
  const list = sub as string[];
  for (const s of list) if (s.startsWith("/") || s.split("/").includes("..")) fail(`leaf "${name}": subPackage "${s}" leaves the module`);
  return list;
}

/** `hold: { path: version }` or `hold: { path: { version, reason } }`. */
function readHolds(name: string, leaf: Record<string, unknown>, fail: (m: string, key?: string) => never): Map<ModulePath, Hold> {
  const node = leaf["hold"];
  const holds = new Map<ModulePath, Hold>();
  if (node === undefined || node === null) return holds;
  if (!isRecord(node)) fail(`leaf "${name}": hold must map module paths to versions`);
  for (const [path, value] of Object.entries(node)) {
    const entry = typeof value === "string" ? { version: value } : value;
    if (!isRecord(entry)) fail(`leaf "${name}": hold of ${path} must be a version or { version, reason }`, path);
    const { version, reason, ...rest } = entry;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) fail(`leaf "${name}": hold of ${path}: unknown key "${unknown}"`, path);
    if (typeof version !== "string" || !version.startsWith("v")) fail(`leaf "${name}": hold of ${path} needs a version such as v1.2.3`, path);
    if (reason !== undefined && typeof reason !== "string") fail(`leaf "${name}": hold of ${path}: reason must be a string`, path);
    holds.set(path, { version, ...(typeof reason === "string" && reason !== "" ? { reason } : {}) });
  }
  return new Map([...holds].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `check: { args: [...], expect: "text" }`. */
function readCheck(name: string, leaf: Record<string, unknown>, fail: (m: string) => never): { check?: SmokeCheck } {
  const node = leaf["check"];
  if (node === undefined || node === null) return {};
  if (!isRecord(node)) fail(`leaf "${name}": check must be { args: [...], expect: "..." }`);
  const { args, expect, ...rest } = node;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) fail(`leaf "${name}": check: unknown key "${unknown}"`);
  if (!Array.isArray(args) || !args.every((a) => typeof a === "string")) fail(`leaf "${name}": check.args must be a list of strings`);
  if (expect !== undefined && typeof expect !== "string") fail(`leaf "${name}": check.expect must be a string`);
  return { check: { args, ...(typeof expect === "string" ? { expect } : {}) } };
}

/** ldflags, tags, env, doCheck and meta: buildGoModule's attributes of the same names. */
function readPackage(name: string, leaf: Record<string, unknown>, fail: (m: string, key: string) => never): LeafPackage {
  const { ldflags, tags, env, doCheck, meta } = leaf;
  const strings = (v: unknown, key: string): string[] => {
    if (!Array.isArray(v) || !v.every((s) => typeof s === "string")) fail(`leaf "${name}": ${key} must be a list of strings`, key);
    return v;
  };
  return {
    ...(ldflags === undefined ? {} : { ldflags: strings(ldflags, "ldflags") }),
    ...(tags === undefined ? {} : { tags: strings(tags, "tags") }),
    ...(env === undefined ? {} : { env: readEnv(name, env, (m) => fail(m, "env")) }),
    ...(doCheck === undefined ? {} : { doCheck: typeof doCheck === "boolean" ? doCheck : fail(`leaf "${name}": doCheck must be true or false`, "doCheck") }),
    ...(meta === undefined ? {} : { meta: readMeta(name, meta, (m) => fail(m, "meta")) }),
  };
}

function readEnv(name: string, env: unknown, fail: (m: string) => never): Record<string, string> {
  if (!isRecord(env)) fail(`leaf "${name}": env must map variable names to strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) fail(`leaf "${name}": env: "${k}" is not a variable name`);
    if (typeof v !== "string" && typeof v !== "number") fail(`leaf "${name}": env.${k} must be a string (quote it)`);
    out[k] = String(v);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function readMeta(name: string, meta: unknown, fail: (m: string) => never): LeafMeta {
  if (!isRecord(meta)) fail(`leaf "${name}": meta must be { description, homepage, license, mainProgram }`);
  const m = meta;
  for (const key of Object.keys(m)) if (!META_KEYS.has(key)) fail(`leaf "${name}": meta: unknown key "${key}" (known: ${[...META_KEYS].join(", ")})`);
  const text = (key: string): { [k: string]: string } => {
    const v = m[key];
    if (v === undefined) return {};
    if (typeof v !== "string" || v === "") fail(`leaf "${name}": meta.${key} must be a non-empty string`);
    return { [key]: v };
  };
  const license = m["license"];
  const licenses = license === undefined ? undefined : typeof license === "string" ? [license] : license;
  if (licenses !== undefined && (!Array.isArray(licenses) || licenses.length === 0 || !licenses.every((l) => typeof l === "string"))) {
    fail(`leaf "${name}": meta.license must be an SPDX identifier or a list of them`);
  }
  for (const id of licenses ?? []) {
    if (nixpkgsLicense(id) === undefined) fail(`leaf "${name}": meta.license "${id}" is not an SPDX identifier goset maps to nixpkgs' lib.licenses (nix/licenses.json lists them)`);
  }
  return {
    ...text("description"),
    ...text("homepage"),
    ...(licenses === undefined ? {} : { license: licenses }),
    ...text("mainProgram"),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function offsetOf(doc: ReturnType<typeof parseDocument>, path: string[]): number | undefined {
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  if (node && typeof node === "object" && node.range) return node.range[0];
  const parent = doc.getIn(path.slice(0, -1), true) as { items?: { key: { value?: unknown; range?: [number, number, number] } }[] } | undefined;
  const item = parent?.items?.find((i) => i.key?.value === path[path.length - 1]);
  return item?.key?.range?.[0];
}
