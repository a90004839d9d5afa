/**
 * The Go vulnerability database's entries: OSV JSON (schema 1.x) as
 * golang.org/x/vulndb's data/osv/GO-*.json and vuln.go.dev's ID/<id>.json
 * serve them. Versions in `ranges` are semantic versions without the `v`;
 * the module `stdlib` is the standard library (Go's release as a version),
 * `toolchain` the go command and tools.
 */
import { GosetError } from "../errors.js";
import { compare } from "../gomod/semver.js";
import type { ModulePath, Version } from "../types.js";

export const STDLIB = "stdlib";
export const TOOLCHAIN = "toolchain";

export interface OsvEntry {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  readonly modified: string;
  /** Set when the entry was withdrawn: it then affects nothing. */
  readonly withdrawn?: string;
  readonly affected: readonly Affected[];
}

export interface Affected {
  readonly module: ModulePath;
  /** SEMVER ranges, each a list of events in the entry's order. */
  readonly ranges: readonly (readonly RangeEvent[])[];
  /** The vulnerable packages and their symbols; empty: the whole module. */
  readonly packages: readonly AffectedPackage[];
}

export type RangeEvent = { readonly introduced: string } | { readonly fixed: string };

export interface AffectedPackage {
  readonly path: string;
  readonly symbols: readonly string[];
  /** The platforms the vulnerability is limited to; empty: every one. */
  readonly goos: readonly string[];
  readonly goarch: readonly string[];
}

export interface Platform {
  readonly goos: string;
  readonly goarch: string;
}

/** An OSV entry from its JSON text; `source` names it in errors. */
export function parseOsv(text: string, source: string): OsvEntry {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw invalid(source, `not JSON: ${(e as Error).message}`);
  }
  if (!isRecord(doc) || typeof doc["id"] !== "string") throw invalid(source, "no id");
  const affected = Array.isArray(doc["affected"]) ? doc["affected"] : [];
  return {
    id: doc["id"],
    aliases: strings(doc["aliases"]),
    summary: typeof doc["summary"] === "string" ? doc["summary"] : typeof doc["details"] === "string" ? doc["details"].split("\n")[0] ?? "" : "",
    modified: typeof doc["modified"] === "string" ? doc["modified"] : "",
    ...(typeof doc["withdrawn"] === "string" ? { withdrawn: doc["withdrawn"] } : {}),
    affected: affected.filter(isRecord).map((a) => readAffected(a, source)),
  };
}

function readAffected(a: Record<string, unknown>, source: string): Affected {
  const pkg = a["package"];
  if (!isRecord(pkg) || typeof pkg["name"] !== "string") throw invalid(source, "an affected entry without package.name");
  const ranges = (Array.isArray(a["ranges"]) ? a["ranges"] : [])
    .filter((r): r is Record<string, unknown> => isRecord(r) && r["type"] === "SEMVER")
    .map((r) =>
      (Array.isArray(r["events"]) ? r["events"] : []).filter(isRecord).flatMap((e): RangeEvent[] => {
        if (typeof e["introduced"] === "string") return [{ introduced: e["introduced"] }];
        if (typeof e["fixed"] === "string") return [{ fixed: e["fixed"] }];
        return [];
      }),
    );
  const specific = a["ecosystem_specific"];
  const imports = isRecord(specific) && Array.isArray(specific["imports"]) ? specific["imports"] : [];
  return {
    module: pkg["name"],
    ranges,
    packages: imports.filter(isRecord).flatMap((i) => (typeof i["path"] === "string" ? [{ path: i["path"], symbols: strings(i["symbols"]), goos: strings(i["goos"]), goarch: strings(i["goarch"]) }] : [])),
  };
}

/** An OSV version ("1.2.3", "0") as a Go module version ("v1.2.3"). */
function goVersion(osv: string): Version {
  return osv === "0" ? "v0.0.0-0" : `v${osv}`;
}

/**
 * Whether `version` lies in one of the ranges: events in version order,
 * an `introduced` at or below it opens, a `fixed` at or below it closes
 * (OSV's rule). Versions compare as Go's do: pseudo-versions are
 * pre-releases, `+incompatible` is build metadata.
 */
export function affectsVersion(a: Affected, version: Version): boolean {
  if (a.ranges.length === 0) return true;
  return a.ranges.some((events) => {
    const sorted = [...events].sort((x, y) => compareEvents(x, y));
    let inside = false;
    for (const e of sorted) {
      const at = goVersion("introduced" in e ? e.introduced : e.fixed);
      if (compare(version, at) < 0) break;
      inside = "introduced" in e;
    }
    return inside;
  });
}

function compareEvents(x: RangeEvent, y: RangeEvent): number {
  const vx = "introduced" in x ? x.introduced : x.fixed;
  const vy = "introduced" in y ? y.introduced : y.fixed;
  if (vx === "0" || vy === "0") return vx === vy ? 0 : vx === "0" ? -1 : 1;
  return compare(goVersion(vx), goVersion(vy));
}

/**
 * The affected block as it stands on `platform`: its packages limited to
 * other platforms dropped; undefined when it named packages and none is left.
 */
export function onPlatform(a: Affected, platform: Platform): Affected | undefined {
  if (a.packages.length === 0) return a;
  const packages = a.packages.filter((p) => (p.goos.length === 0 || p.goos.includes(platform.goos)) && (p.goarch.length === 0 || p.goarch.includes(platform.goarch)));
  return packages.length === 0 ? undefined : { ...a, packages };
}

/** The lowest `fixed` above `version` in the ranges that hold it, as a Go version. */
export function fixedVersion(a: Affected, version: Version): Version | undefined {
  const fixes = a.ranges
    .flatMap((events) => events.flatMap((e) => ("fixed" in e ? [goVersion(e.fixed)] : [])))
    .filter((f) => compare(f, version) > 0)
    .sort(compare);
  return fixes[0];
}

function invalid(source: string, why: string): GosetError {
  return new GosetError("GOSET_VULNDB_INVALID", `${source}: not a vulnerability database entry: ${why}`, {
    hint: "--vulndb takes a directory of OSV JSON files, a vuln.go.dev-style URL, or nothing (golang.org/x/vulndb through the proxy)",
  });
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
