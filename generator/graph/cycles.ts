/**
 * Module cycles as data: the strongly connected components of the set's
 * derivation graph (a member depends on the members whose packages it
 * imports) that have more than one member. Packages never import in a
 * cycle, but modules can: a's package imports b while b's bridge imports a.
 * A cycle builds as one derivation, so its id derives from its sorted
 * members, never a counter.
 */
import { createHash } from "node:crypto";
import { DirectedGraph } from "graphology";
import { stronglyConnectedComponents } from "graphology-components";
import type { ModulePath } from "../types.js";
import { compareStrings } from "../order.js";

export interface Cycle {
  readonly id: string;
  readonly members: readonly ModulePath[];
}

/** `edges` maps every set member to the set members it depends on. */
export function findCycles(edges: ReadonlyMap<ModulePath, readonly ModulePath[]>): Cycle[] {
  const graph = new DirectedGraph();
  for (const path of edges.keys()) graph.mergeNode(path);
  for (const [from, tos] of edges) {
    for (const to of tos) if (to !== from && edges.has(to)) graph.mergeEdge(from, to);
  }
  return stronglyConnectedComponents(graph)
    .filter((component) => component.length > 1)
    .map((component) => {
      const members = [...component].sort(compareStrings);
      return { id: cycleId(members), members };
    })
    .sort((a, b) => compareStrings(a.id, b.id));
}

export function cycleId(sortedMembers: readonly ModulePath[]): string {
  const digest = createHash("sha256").update(sortedMembers.join("\n")).digest("hex").slice(0, 10);
  const first = sortedMembers[0] ?? "cycle";
  return `${safeName(first)}-cycle-${digest}`;
}

/** A store-path-safe name for a module path: `github.com/spf13/cobra` -> `github.com-spf13-cobra`. */
export function safeName(path: string): string {
  return path.replace(/[^A-Za-z0-9+._?=-]/g, "-").replace(/^\.+/, "");
}
