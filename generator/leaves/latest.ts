/**
 * `--update-leaves`: move every module leaf to its latest release, editing
 * leaves.yaml in place so comments and layout survive.
 */
import { parseDocument } from "yaml";
import { compare, isValid, prerelease } from "../gomod/semver.js";
import type { ModulePath, Version } from "../types.js";
import type { LeavesFile } from "./leavesfile.js";

/** The highest release (no pre-release, no pseudo-version) in a version list, if any. */
export function latestRelease(versions: readonly Version[]): Version | undefined {
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
  return doc.toString({ lineWidth: 0 });
}
