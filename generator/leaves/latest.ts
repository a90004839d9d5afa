/**
 * `--update-leaves`: move every module leaf to its latest release, editing
 * leaves.yaml in place so comments and layout survive.
 */
import { parseDocument } from "yaml";
import { compare, isValid, prerelease } from "../gomod/semver.js";
import type { ModulePath, Version } from "../types.js";
import type { LeavesFile } from "./leavesfile.js";

/** The highest release (no pre-release, no pseudo-version) in a version list, if any. */
function latestRelease(versions: readonly Version[]): Version | undefined {
  return versions.filter((v) => isValid(v) && prerelease(v) === "").sort(compare).at(-1);
}

export interface LeafBump {
  readonly name: string;
  readonly module: ModulePath;
  readonly from: Version;
  readonly to: Version;
}

export async function findLeafBumps(leaves: LeavesFile, listVersions: (path: ModulePath) => Promise<Version[]>): Promise<LeafBump[]> {
  const bumps = await Promise.all(
    leaves.leaves.map(async (leaf): Promise<LeafBump | undefined> => {
      if (leaf.source.kind !== "module") return undefined;
      const latest = latestRelease(await listVersions(leaf.source.module));
      if (latest === undefined || compare(latest, leaf.source.version) <= 0) return undefined;
      return { name: leaf.name, module: leaf.source.module, from: leaf.source.version, to: latest };
    }),
  );
  return bumps.filter((b): b is LeafBump => b !== undefined);
}

/** leaves.yaml with the bumped versions, everything else byte for byte. */
export function applyLeafBumps(text: string, bumps: readonly LeafBump[]): string {
  if (bumps.length === 0) return text;
  const doc = parseDocument(text);
  for (const b of bumps) doc.setIn(["leaves", b.name, "version"], b.to);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** leaves.yaml with `leaf` holding `path` at `version` (comments and layout kept). */
export function setHold(text: string, leaf: string, path: string, version: string, reason: string): string {
  const doc = parseDocument(text);
  doc.setIn(["leaves", leaf, "hold", path], doc.createNode({ version, reason }, { flow: true }));
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** leaves.yaml without `leaf`'s hold of `path` (and without an emptied `hold`). */
export function dropHold(text: string, leaf: string, path: string): string {
  const doc = parseDocument(text);
  doc.deleteIn(["leaves", leaf, "hold", path]);
  const rest = doc.getIn(["leaves", leaf, "hold"]) as { items?: unknown[] } | undefined;
  if (rest?.items !== undefined && rest.items.length === 0) doc.deleteIn(["leaves", leaf, "hold"]);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** leaves.yaml with a module leaf set to another version. */
export function setLeafVersion(text: string, leaf: string, version: string): string {
  const doc = parseDocument(text);
  doc.setIn(["leaves", leaf, "version"], version);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** leaves.yaml with a set-wide pin of `path` at `version`. */
export function setPin(text: string, path: string, version: string): string {
  const doc = parseDocument(text);
  doc.setIn(["pins", path], version);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
