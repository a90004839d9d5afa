/**
 * go.sum files: `path version h1:...` for a module zip and
 * `path version/go.mod h1:...` for its go.mod, one per line.
 */
import { GosetError } from "../errors.js";
import type { GoSumEntry } from "../types.js";
import { isValid } from "./semver.js";

/** A hash cmd/go once wrote for modules without go.mod (an empty file); it drops them when reading. */
const EMPTY_GO_MOD_HASH = "h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=";
const H1_RE = /^h1:[A-Za-z0-9+/]{43}=$/;
/** A hash algorithm newer than h1: cmd/go keeps such lines without understanding them. */
const OTHER_HASH_RE = /^h[0-9]+:\S+$/;

type Field = "sum" | "goModSum";

function parseError(file: string, line: number, what: string): GosetError {
  return new GosetError("GOSET_GOSUM_PARSE", `${file}:${line}: ${what}`, {
    hint: `Regenerate ${file} with \`go mod tidy\` (or remove the line) and rerun.`,
  });
}

/** Parses go.sum text into entries keyed by `path@version`. Throws GOSET_GOSUM_PARSE with file:line. */
export function parseGoSum(text: string, file: string): Map<string, GoSumEntry> {
  const entries = new Map<string, { sum?: string; goModSum?: string }>();
  const lines = text.split("\n");
  for (const [i, raw] of lines.entries()) {
    const lineNo = i + 1;
    const fields = raw.split(/[ \t\r\v\f]+/).filter((f) => f !== "");
    if (fields.length === 0) continue;
    const [path = "", versionField = "", hash = ""] = fields;
    if (fields.length !== 3) throw parseError(file, lineNo, `wrong number of fields ${fields.length}`);
    if (hash === EMPTY_GO_MOD_HASH) continue;
    const isGoMod = versionField.endsWith("/go.mod");
    const version = isGoMod ? versionField.slice(0, -"/go.mod".length) : versionField;
    if (!isValid(version)) throw parseError(file, lineNo, `invalid version ${JSON.stringify(versionField)}`);
    if (!H1_RE.test(hash)) {
      if (OTHER_HASH_RE.test(hash) && !hash.startsWith("h1:")) continue;
      throw parseError(file, lineNo, `malformed hash ${JSON.stringify(hash)}`);
    }
    const key = `${path}@${version}`;
    const field: Field = isGoMod ? "goModSum" : "sum";
    const entry = entries.get(key) ?? {};
    const previous = entry[field];
    if (previous !== undefined && previous !== hash) {
      throw parseError(file, lineNo, `${path} ${versionField}: second hash ${hash} differs from ${previous}`);
    }
    entry[field] = hash;
    entries.set(key, entry);
  }
  return entries;
}

/** One parsed go.sum and where it came from, for conflict reports. */
export interface GoSumSource {
  readonly file: string;
  readonly entries: ReadonlyMap<string, GoSumEntry>;
}

export interface GoSumConflict {
  /** `path@version`. */
  readonly key: string;
  readonly field: Field;
  /** Every distinct hash with the files that record it, in input order. */
  readonly hashes: readonly { readonly hash: string; readonly files: readonly string[] }[];
}

export interface MergedGoSums {
  /** Sorted by key. A field two sources disagree on is left out here and reported in conflicts. */
  readonly entries: Map<string, GoSumEntry>;
  /** Sorted by key, then field. */
  readonly conflicts: readonly GoSumConflict[];
}

/** Merges go.sum files; different hashes for one key come back as conflicts, never silently resolved. */
export function mergeGoSums(sources: readonly GoSumSource[]): MergedGoSums {
  const seen = new Map<string, Map<Field, Map<string, string[]>>>();
  for (const { file, entries } of sources) {
    for (const [key, entry] of entries) {
      const fields = seen.get(key) ?? new Map<Field, Map<string, string[]>>();
      seen.set(key, fields);
      for (const field of ["sum", "goModSum"] as const) {
        const hash = entry[field];
        if (hash === undefined) continue;
        const byHash = fields.get(field) ?? new Map<string, string[]>();
        fields.set(field, byHash);
        const files = byHash.get(hash) ?? [];
        if (!files.includes(file)) files.push(file);
        byHash.set(hash, files);
      }
    }
  }

  const merged = new Map<string, GoSumEntry>();
  const conflicts: GoSumConflict[] = [];
  for (const key of [...seen.keys()].sort()) {
    const entry: { sum?: string; goModSum?: string } = {};
    for (const field of ["sum", "goModSum"] as const) {
      const byHash = seen.get(key)?.get(field);
      if (byHash === undefined) continue;
      const [only, ...others] = byHash.keys();
      if (only !== undefined && others.length === 0) {
        entry[field] = only;
      } else {
        conflicts.push({ key, field, hashes: [...byHash].map(([hash, files]) => ({ hash, files })) });
      }
    }
    merged.set(key, entry);
  }
  return { entries: merged, conflicts };
}
