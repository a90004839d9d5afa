/**
 * leaves.yaml: the hand-written input of a set. Each leaf is an application,
 * either a module fetched through the proxy or a local directory. The schema
 * below describes the file once: it types what parseLeavesFile returns and
 * checks the file, each rule with its message; parseLeavesFile adds the file
 * and line of the first broken rule.
 */
import { LineCounter, parseDocument, isMap, isNode, isScalar } from "yaml";
import { z } from "zod";
import { GosetError } from "../errors.js";
import { compareStrings } from "../order.js";
import type { ModulePath, Version } from "../types.js";
import { nixpkgsLicense } from "./licenses.js";

export type LeafSource =
  | { readonly kind: "module"; readonly module: ModulePath; readonly version: Version }
  | { readonly kind: "path"; readonly path: string };

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

/** A module a leaf keeps at its own version, whatever the set selects. */
export type Hold = z.output<typeof hold>;
/** `check: { args: [...], expect: "text" }`; `expect` is text the output (stdout and stderr) must contain. */
export type SmokeCheck = z.output<typeof smokeCheck>;
/**
 * A leaf's package attributes: buildGoModule's ldflags, tags, env, doCheck and
 * meta, in that order. `{version}` in an ldflag stands for the leaf's version
 * without its `v` (rendered as `${finalAttrs.version}`).
 */
export type LeafPackage = z.output<z.ZodObject<typeof packageFields>>;
/** `license`: SPDX identifiers, each one nix/licenses.json maps to a nixpkgs `lib.licenses` name. */
export type LeafMeta = z.output<typeof meta>;

export interface LeavesFile {
  readonly leaves: readonly LeafSpec[];
  /** Raise a module to at least this version in every leaf that has it. */
  readonly pins: ReadonlyMap<ModulePath, Version>;
}

export function parseLeavesFile(text: string, file: string): LeavesFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const fail = (message: string, offset: number | undefined): never => {
    const line = offset === undefined ? 1 : lines.linePos(offset).line;
    throw new GosetError("GOSET_LEAVES_INVALID", `${file}:${line}: ${message}`, {
      hint: "leaves.yaml maps leaf names to { module, version } or { path }; see the README's 'leaves.yaml' section",
    });
  };
  const firstError = doc.errors[0];
  if (firstError) fail(firstError.message.split("\n")[0] ?? "invalid YAML", firstError.pos[0]);
  if (!isMap(doc.contents)) fail("expected a mapping with a `leaves` key", undefined);
  const result = leavesDocument.safeParse(doc.toJS());
  if (result.success) return result.data;
  const { message, path } = describeIssue(result.error.issues[0]);
  return fail(message, offsetOf(doc, path));
}

/** An issue's message, and the path of the node it is about (an unknown key's own node). */
function describeIssue(issue: z.core.$ZodIssue | undefined): { message: string; path: PropertyKey[] } {
  if (issue === undefined) return { message: "invalid", path: [] };
  const inner = issue.code === "invalid_key" ? issue.issues[0] : undefined;
  const path = issue.code === "unrecognized_keys" ? [...issue.path, ...issue.keys.slice(0, 1)] : issue.path;
  const [top, leaf] = path;
  const where = top === "leaves" && path.length > 2 ? `leaf "${String(leaf)}": ` : "";
  return { message: where + (inner?.message ?? issue.message), path };
}

/** Where `path` is in the file: its node, else its key, else the nearest enclosing node. */
function offsetOf(doc: ReturnType<typeof parseDocument>, path: readonly PropertyKey[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const at = path.slice(0, n);
    const node: unknown = doc.getIn(at, true);
    if (isNode(node) && node.range) return node.range[0];
    const parent: unknown = doc.getIn(at.slice(0, -1), true);
    const pair = isMap(parent) ? parent.items.find((i) => isScalar(i.key) && i.key.value === at[n - 1]) : undefined;
    if (isNode(pair?.key) && pair.key.range) return pair.key.range[0];
  }
  return undefined;
}

// The schema. An error function's issue carries the path of the value it is about.

const NIX_ATTR = /^[A-Za-z_][A-Za-z0-9_'-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Issue = z.core.$ZodRawIssue;
/** The key `up` steps above the value an issue is about (0: its own key). */
const keyOf = (iss: Issue, up = 0): string => String(iss.path?.[iss.path.length - 1 - up]);
const unknownKey = (iss: Issue): string | undefined => (iss.code === "unrecognized_keys" ? `unknown key "${String(iss.keys[0])}"` : undefined);
const byKey = <T>([a]: [string, T], [b]: [string, T]): number => compareStrings(a, b);

const text = (message: string) => z.string({ error: message });
const nonEmpty = (message: string) => z.string({ error: message }).min(1, { error: message });
const strings = (message: string) => z.array(text(message), { error: message }).readonly();
const version = (error: (iss: Issue) => string) => z.string({ error }).startsWith("v", { error });

const hold = z.preprocess(
  (v) => (typeof v === "string" ? { version: v } : v),
  z.strictObject({
    version: version((iss) => `hold of ${keyOf(iss, 1)} needs a version such as v1.2.3`),
    reason: z.string({ error: (iss) => `hold of ${keyOf(iss, 1)}: reason must be a string` }).exactOptional(),
  }, { error: (iss) => `hold of ${keyOf(iss)}${iss.code === "unrecognized_keys" ? `: ${unknownKey(iss)}` : " must be a version or { version, reason }"}` }),
).transform(({ version, reason }) => ({ version, ...(reason === undefined || reason === "" ? {} : { reason }) }));

const smokeCheck = z.strictObject({
  args: strings("check.args must be a list of strings"),
  expect: text("check.expect must be a string").exactOptional(),
}, { error: (iss) => (iss.code === "unrecognized_keys" ? `check: ${unknownKey(iss)}` : `check must be { args: [...], expect: "..." }`) });

const LICENSE = "meta.license must be an SPDX identifier or a list of them";
const metaFields = {
  description: nonEmpty("meta.description must be a non-empty string").exactOptional(),
  homepage: nonEmpty("meta.homepage must be a non-empty string").exactOptional(),
  license: z.preprocess(
    (v) => (typeof v === "string" ? [v] : v),
    z.array(
      text(LICENSE).refine((id) => nixpkgsLicense(id) !== undefined, {
        error: (iss) => `meta.license "${String(iss.input)}" is not an SPDX identifier goset maps to nixpkgs' lib.licenses (nix/licenses.json lists them)`,
      }),
      { error: LICENSE },
    ).min(1, { error: LICENSE }).readonly(),
  ).exactOptional(),
  mainProgram: nonEmpty("meta.mainProgram must be a non-empty string").exactOptional(),
};
const meta = z.strictObject(metaFields, {
  error: (iss) => (iss.code === "unrecognized_keys" ? `meta: ${unknownKey(iss)} (known: ${Object.keys(metaFields).join(", ")})` : `meta must be { ${Object.keys(metaFields).join(", ")} }`),
});

/** ldflags, tags, env, doCheck and meta: buildGoModule's attributes of the same names. */
const packageFields = {
  ldflags: strings("ldflags must be a list of strings").exactOptional(),
  tags: strings("tags must be a list of strings").exactOptional(),
  env: z.record(
    z.string().regex(ENV_NAME, { error: (iss) => `env: "${String(iss.input)}" is not a variable name` }),
    z.union([z.string(), z.number()], { error: (iss) => `env.${keyOf(iss)} must be a string (quote it)` }).transform(String),
    { error: "env must map variable names to strings" },
  ).transform((env) => Object.fromEntries(Object.entries(env).sort(byKey))).exactOptional(),
  doCheck: z.boolean({ error: "doCheck must be true or false" }).exactOptional(),
  meta: meta.exactOptional(),
};

/** How a version of leaves.yaml is written wrong, as the message says it. */
const leafVersion = (iss: Issue): string => {
  const v = iss.input;
  return typeof v === "number" || (typeof v === "string" && /^\d/.test(v)) ? `version ${String(v)} needs its leading v (write v${String(v)})` : "version must be a string such as v1.2.3";
};

const leaf = z.strictObject({
  module: z.string({ error: (iss) => `module must be a module path such as github.com/junegunn/fzf, not ${JSON.stringify(iss.input)}` })
    .min(1, { error: 'module must be a module path such as github.com/junegunn/fzf, not ""' }).exactOptional(),
  version: version(leafVersion).exactOptional(),
  path: nonEmpty("path must be a non-empty string").exactOptional(),
  subPackages: z.array(
    nonEmpty("subPackages must be a non-empty list of package directories")
      .refine((s) => !s.startsWith("/") && !s.split("/").includes(".."), { error: (iss) => `subPackage "${String(iss.input)}" leaves the module` }),
    { error: "subPackages must be a non-empty list of package directories" },
  ).min(1, { error: "subPackages must be a non-empty list of package directories" }).readonly().default(["."]),
  /** `hold: { path: version }` or `hold: { path: { version, reason } }`. */
  hold: z.record(z.string(), hold, { error: "hold must map module paths to versions" }).nullish(),
  check: smokeCheck.nullish(),
  ...packageFields,
}, { error: (iss) => unknownKey(iss) ?? `leaf "${keyOf(iss)}" must be a mapping` }).transform((l, ctx): Omit<LeafSpec, "name"> => {
  const { module, version, path, subPackages, hold, check, ...pkg } = l;
  const source = sourceOf(module, version, path);
  if ("wrong" in source) {
    ctx.issues.push({ code: "custom", message: source.wrong, input: l, path: [source.key] });
    return z.NEVER;
  }
  return {
    source,
    subPackages,
    holds: new Map(Object.entries(hold ?? {}).sort(byKey)),
    ...(check === undefined || check === null ? {} : { check }),
    package: pkg,
  };
});

/** A local path, or a module and its version; else what is wrong, and with which key. */
function sourceOf(module: string | undefined, version: string | undefined, path: string | undefined): LeafSource | { wrong: string; key: string } {
  if (path !== undefined) {
    if (module === undefined && version === undefined) return { kind: "path", path };
    return { wrong: "give either path or module+version, not both", key: module === undefined ? "version" : "module" };
  }
  if (module === undefined) return { wrong: "module is required (or path)", key: "module" };
  if (version === undefined) return { wrong: "version must be a string such as v1.2.3", key: "version" };
  return { kind: "module", module, version };
}

const leavesDocument = z.strictObject({
  leaves: z.record(
    z.string().regex(NIX_ATTR, { error: (iss) => `leaf name "${String(iss.input)}" is not a plain Nix attribute name` }),
    leaf,
    { error: "`leaves` must be a non-empty mapping of leaf names" },
  ).refine((leaves) => Object.keys(leaves).length > 0, { error: "`leaves` must be a non-empty mapping of leaf names" })
    .transform((leaves) => Object.entries(leaves).sort(byKey).map(([name, spec]): LeafSpec => ({ name, ...spec }))),
  pins: z.record(z.string(), version((iss) => `pin "${keyOf(iss)}" must be a version string such as v1.2.3`), { error: "`pins` must map module paths to versions" })
    .nullish()
    .transform((pins): ReadonlyMap<ModulePath, Version> => new Map(Object.entries(pins ?? {}))),
}, { error: (iss) => (iss.code === "unrecognized_keys" ? `unknown top-level key "${String(iss.keys[0])}"` : "expected a mapping with a `leaves` key") });
