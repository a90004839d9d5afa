/**
 * `goset why`: why a module (or the module of a package) is in the set at
 * its version. Pure, from the lock: the leaves that build against it and
 * the shortest chain of derivation edges (a module's packages importing the
 * next module's) from each leaf; what each leaf's own selection asked for
 * and so which leaves' requirements set the version; holds and pins.
 */
import type { LockedSet } from "../model.js";
import type { ModulePath, Version } from "../types.js";

export interface WhyLeaf {
  readonly leaf: string;
  /** Leaf, then modules, ending at the module: the shortest chain of imports. */
  readonly chain: readonly string[];
}

export interface WhyAnswer {
  readonly module: ModulePath;
  /** The package asked about, when a package path was given. */
  readonly package?: string;
  readonly version?: Version;
  /** Member (compiled), go.mod-only (selected, never built), or not in the set. */
  readonly kind: "member" | "go.mod only" | "absent";
  readonly packages: readonly string[];
  /** Leaves whose build compiles some package of the module, each with its shortest chain. */
  readonly importedBy: readonly WhyLeaf[];
  /** Per leaf whose build list has the module: the version its own selection asked for. */
  readonly asked: readonly { readonly leaf: string; readonly version: Version }[];
  /** The leaves whose own selection is the set's version: their requirements chose it. */
  readonly selectedBy: readonly string[];
  readonly heldBy: readonly { readonly leaf: string; readonly version: Version; readonly reason?: string }[];
  readonly pinned?: Version;
}

/** `target` is a module path or a package path (the longest member path holding it). */
export function whyInSet(set: LockedSet, target: string, pins: ReadonlyMap<ModulePath, Version>): WhyAnswer {
  const { module, pkg } = resolveTarget(set, target);
  const member = set.modules.get(module);
  const goModOnly = set.goModOnly.get(module);
  const version = member?.version ?? goModOnly?.version;
  const asked: { leaf: string; version: Version }[] = [];
  const heldBy: { leaf: string; version: Version; reason?: string }[] = [];
  for (const leaf of set.leaves.values()) {
    const hold = leaf.holds.get(module);
    if (hold !== undefined) heldBy.push({ leaf: leaf.name, version: hold.version, ...(hold.reason === undefined ? {} : { reason: hold.reason }) });
    if (!leaf.buildList.includes(module) || version === undefined) continue;
    asked.push({ leaf: leaf.name, version: leaf.upgraded.get(module)?.from ?? hold?.version ?? version });
  }
  const pinned = pins.get(module);
  return {
    module,
    ...(pkg === undefined ? {} : { package: pkg }),
    ...(version === undefined ? {} : { version }),
    kind: member !== undefined ? "member" : goModOnly !== undefined ? "go.mod only" : "absent",
    packages: member?.packages ?? [],
    importedBy: member === undefined ? [] : importChains(set, module),
    asked,
    selectedBy: asked.filter((a) => a.version === version && !heldBy.some((h) => h.leaf === a.leaf)).map((a) => a.leaf),
    heldBy,
    ...(pinned === undefined ? {} : { pinned }),
  };
}

function resolveTarget(set: LockedSet, target: string): { module: ModulePath; pkg?: string } {
  if (set.modules.has(target) || set.goModOnly.has(target)) return { module: target };
  const parts = target.split("/");
  for (let n = parts.length - 1; n > 0; n--) {
    const module = parts.slice(0, n).join("/");
    const m = set.modules.get(module);
    if (m !== undefined && (m.packages ?? []).includes(parts.slice(n).join("/"))) return { module, pkg: target };
  }
  return { module: target };
}

/** For each leaf reaching `module`, the shortest chain leaf -> member -> ... -> module over derivation edges. */
function importChains(set: LockedSet, module: ModulePath): WhyLeaf[] {
  const out: WhyLeaf[] = [];
  for (const leaf of set.leaves.values()) {
    const previous = new Map<ModulePath, ModulePath | undefined>(leaf.imports.map((m) => [m, undefined]));
    const queue = [...leaf.imports];
    for (let i = 0; i < queue.length && !previous.has(module); i++) {
      const from = queue[i] as ModulePath;
      for (const next of set.modules.get(from)?.imports ?? []) {
        if (previous.has(next)) continue;
        previous.set(next, from);
        queue.push(next);
      }
    }
    if (!previous.has(module)) continue;
    const chain: string[] = [];
    for (let m: ModulePath | undefined = module; m !== undefined; m = previous.get(m)) chain.unshift(m);
    out.push({ leaf: leaf.name, chain: [leaf.name, ...chain] });
  }
  return out;
}

export function renderWhy(a: WhyAnswer): string {
  const lines = [`${a.package ?? a.module}${a.package === undefined ? "" : ` (module ${a.module})`}: ${a.kind === "absent" ? "not in the set" : `${a.version} (${a.kind})`}`];
  if (a.kind === "absent") return lines.join("\n") + "\n";
  if (a.pinned !== undefined) lines.push(`pinned: at least ${a.pinned} (leaves.yaml pins)`);
  for (const h of a.heldBy) lines.push(`held by ${h.leaf} at ${h.version}${h.reason === undefined ? "" : `: ${h.reason}`}`);
  lines.push(`selected by: ${a.selectedBy.join(", ") || "none (a pin or the set raised it)"}`);
  if (a.asked.length > 0) lines.push(`asked for: ${a.asked.map((x) => `${x.leaf} ${x.version}`).join(", ")}`);
  if (a.importedBy.length === 0) lines.push("imported by no leaf's build");
  for (const w of a.importedBy) {
    const held = a.heldBy.find((h) => h.leaf === w.leaf);
    lines.push(`imported by ${w.leaf}${held === undefined ? "" : ` (at its held ${held.version})`}: ${w.chain.join(" -> ")}`);
  }
  return lines.join("\n") + "\n";
}
