/**
 * update-set from leaves.yaml to a written set: load the leaves, select
 * each leaf's build list, choose one version per module path, fetch and
 * verify what the set needs, find cycles, render, and write atomically.
 */
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { readGoSettings } from "./env/goenv.js";
import { GosetError, isGosetError } from "./errors.js";
import { createModuleStore, forgetIfRejected } from "./fetch/store.js";
import type { ModuleStore } from "./fetch/store.js";
import { parseGoMod } from "./gomod/gomodfile.js";
import { compare } from "./gomod/semver.js";
import { selectBuildList } from "./graph/buildlist.js";
import { findCycles } from "./graph/cycles.js";
import type { Cycle } from "./graph/cycles.js";
import { applyHolds, heldBuilds, heldCycle, holdsAgainst, variantHolds, withoutHolds } from "./graph/holds.js";
import type { HeldSelection } from "./graph/holds.js";
import { likelyMembers, modulesProvidingPackages } from "./graph/needed.js";
import { badSubPackages, leafImports, memberImports, packagesBuiltBySet } from "./graph/packages.js";
import type { PackageIndex } from "./packages/packageindex.js";
import { selectSetVersions } from "./graph/setselect.js";
import { compareStrings, sortByKey } from "./order.js";
import type { LeafSelection, SetSelection } from "./graph/setselect.js";
import { findReplacement, leafGoModLoader, loadLeaf } from "./leaves/loadleaf.js";
import type { LoadedLeaf } from "./leaves/loadleaf.js";
import { parseLeavesFile } from "./leaves/leavesfile.js";
import type { Hold, LeavesFile } from "./leaves/leavesfile.js";
import type { LeafPackages } from "./graph/packages.js";
import type { LockedLeaf, LockedLeafSource, LockedModule, LockedReplacement, LockedSet, Verification } from "./model.js";
import { createHttpSetup } from "./proxy/agent.js";
import { readCaCertificates } from "./proxy/ca.js";
import { createModuleProxy } from "./proxy/client.js";
import { createSumdbVerifier } from "./sumdb/index.js";
import { LOCK_FILE, listDigests, parseLock, renderLock, type KnownDigest } from "./render/lock.js";
import { renderNixFiles } from "./render/nix.js";
import { diffSets, renderFailedLeaves, renderReport } from "./render/report.js";
import { renderAuditChange } from "./render/audit.js";
import { auditChange } from "./audit.js";
import { applyLeafBumps, findLeafBumps } from "./leaves/latest.js";
import type { ModulePath, ModuleVersion } from "./types.js";
import { moduleKey } from "./types.js";
import { acquireSetLock, applyPlan, planChanges, recoverInterrupted } from "./write/setdir.js";
import type { Plan } from "./write/setdir.js";

export interface UpdateOptions {
  readonly setDir: string;
  readonly jobs: number;
  /** Idle timeout of one proxy request, and retries after the first attempt. */
  readonly timeoutMs?: number;
  readonly retries?: number;
  /** Compare only, without the network: write nothing. */
  readonly check: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly onEvent?: (event: UpdateEvent) => void;
  /** Test hook: runs after staging, before the renames that apply the change. */
  readonly beforeApply?: () => Promise<void>;
  /** Refuse modules verified neither by a go.sum nor by the checksum database. */
  readonly strict?: boolean;
  /** Move every module leaf to its latest release first (rewrites leaves.yaml). */
  readonly updateLeaves?: boolean;
  /** Write the Markdown change report here. */
  readonly reportFile?: string;
  /** Add to the report the vulnerability findings this regeneration fixes and introduces (goset audit's database). */
  readonly auditReport?: { readonly vulndb?: string };
  /**
   * A leaf whose graph cannot be resolved or verified keeps its previous
   * locked state (a new leaf is left out) and the rest regenerates; the
   * result's failedLeaves names them.
   */
  readonly keepGoing?: boolean;
}

/** Verifies a module version's hashes: the leaves' go.sum files first, then the checksum database. */
type SumChecker = (m: ModuleVersion, hashes: { readonly sum?: string; readonly goModSum: string }, goSums: readonly NamedGoSum[]) => Promise<Verification>;

export type UpdateEvent =
  | { readonly kind: "phase"; readonly phase: string; readonly total?: number }
  | { readonly kind: "zip"; readonly module: ModuleVersion }
  | { readonly kind: "done-module"; readonly module: ModuleVersion }
  | { readonly kind: "warning"; readonly message: string }
  | { readonly kind: "info"; readonly message: string }
  | { readonly kind: "recovered" };

export interface UpdateResult {
  readonly setDir: string;
  readonly modules: number;
  readonly cycles: number;
  readonly leaves: number;
  readonly written: readonly string[];
  readonly removed: readonly string[];
  readonly upToDate: boolean;
  readonly zipDownloads: number;
  readonly goModFetches: number;
  readonly warnings: readonly string[];
  readonly verified: Readonly<Record<Verification, number>>;
  /** With keepGoing: the leaves that were not regenerated, each with its error. */
  readonly failedLeaves: readonly FailedLeaf[];
}

export interface FailedLeaf {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  /** Whether the leaf kept its previous locked state (else, a new leaf, it was left out). */
  readonly kept: boolean;
}

/** The leaves that failed so far in a --keep-going run, and the lock they fall back on. */
interface KeepGoing {
  readonly previous: LockedSet | undefined;
  readonly failed: Map<string, GosetError>;
}

/** A set member could not be fetched or verified: the leaves whose build lists hold it. */
class MemberFailure extends Error {
  constructor(readonly leaves: readonly string[], readonly error: GosetError) {
    super(error.message);
  }
}

export async function updateSet(options: UpdateOptions): Promise<UpdateResult> {
  const setDir = resolve(options.setDir);
  const emit = options.onEvent ?? (() => undefined);
  const leavesPath = join(setDir, "leaves.yaml");
  const leavesText = await readFile(leavesPath, "utf8").catch((cause: unknown) => {
    throw new GosetError("GOSET_LEAVES_NOT_FOUND", `cannot read ${leavesPath}`, {
      hint: "create leaves.yaml in the set directory (see the README), or pass --set DIR",
      cause,
    });
  });
  let leavesFile = parseLeavesFile(leavesText, leavesPath);
  if (options.check) return checkSet(setDir, leavesFile);

  const release = await acquireSetLock(setDir);
  try {
    if (await recoverInterrupted(setDir)) emit({ kind: "recovered" });
    const previousLock = await readFile(join(setDir, LOCK_FILE), "utf8").catch(() => undefined);
    // Read once: the digests it knows, the leaves --keep-going keeps, the report's "before".
    const previousSet = previousLock === undefined ? undefined : parseLock(previousLock);
    const env = options.env ?? process.env;
    const settings = await readGoSettings(env);
    const http = createHttpSetup(settings.netrcPath, {
      caCertificates: readCaCertificates(env),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.retries === undefined ? {} : { retries: options.retries }),
    });
    const proxy = createModuleProxy(settings, { env, http });
    const warnings: string[] = [];
    const warn = (message: string) => {
      warnings.push(message);
      emit({ kind: "warning", message });
    };
    const sumdb = createSumdbVerifier(settings, { http });
    try {
      const known = previousSet === undefined ? new Map<string, KnownDigest>() : listDigests(previousSet);
      const store = createModuleStore({
        cacheDir: settings.cacheDir,
        proxy,
        jobs: options.jobs,
        onZip: (module) => emit({ kind: "zip", module }),
      });
      const checkSums: SumChecker = async (m, hashes, goSums) => forgetIfRejected(store, m, async () => {
        if (verifyAgainstGoSums(m, hashes, goSums) === "go.sum") return "go.sum";
        const before = known.get(moduleKey(m));
        // A module can be both a leaf (zip and go.mod hashed) and go.mod-only in another leaf's graph: what is asked must match.
        if (before?.verified === "sumdb" && (hashes.sum === undefined || before.sum === hashes.sum) && before.goModSum === hashes.goModSum) return "sumdb";
        return (await sumdb.verify(m, hashes)) === "sumdb" ? "sumdb" : "none";
      });
      let newLeavesText = leavesText;
      if (options.updateLeaves) {
        emit({ kind: "phase", phase: "latest releases" });
        const bumps = await findLeafBumps(leavesFile, (path) => proxy.listVersions(path));
        for (const b of bumps) emit({ kind: "info", message: `leaf ${b.name}: ${b.module} ${b.from} -> ${b.to}` });
        newLeavesText = applyLeafBumps(leavesText, bumps);
        leavesFile = parseLeavesFile(newLeavesText, leavesPath);
      }
      const keep: KeepGoing | undefined = options.keepGoing ? { previous: previousSet, failed: new Map() } : undefined;
      const set = await computeWithKeepGoing(() => computeSet(leavesFile, setDir, store, checkSums, emit, warn, keep), keep);
      const unverified = listUnverified(set);
      if (options.strict && unverified.length > 0) {
        throw new GosetError("GOSET_UNVERIFIED", `${unverified.length} module(s) verified neither by a go.sum nor by the checksum database: ${unverified.slice(0, 5).join(", ")}${unverified.length > 5 ? ", ..." : ""}`, {
          hint: "--strict refuses them; check GOSUMDB, GONOSUMDB and GOPRIVATE, or run without --strict",
        });
      }
      const files = renderNixFiles(set);
      files.set(LOCK_FILE, renderLock(set));
      if (newLeavesText !== leavesText) files.set("leaves.yaml", newLeavesText);
      const plan: Plan = await planChanges(setDir, files);
      const failedLeaves = [...(keep?.failed ?? [])].map(([name, e]) => ({ name, code: e.code, message: e.message, kept: set.leaves.has(name) }));
      if (options.reportFile !== undefined) {
        const audit = options.auditReport === undefined ? "" : renderAuditChange(await auditChange(previousSet, set, { env, ...(options.auditReport.vulndb === undefined ? {} : { vulndb: options.auditReport.vulndb }) }));
        await writeFile(options.reportFile, renderReport(diffSets(previousSet, set), set) + renderFailedLeaves(failedLeaves) + audit);
      }
      emit({ kind: "phase", phase: "write" });
      await applyPlan(setDir, plan, options.beforeApply ? { beforeRename: options.beforeApply } : {});
      return { ...summarize(setDir, set, plan, store.stats, warnings), failedLeaves };
    } finally {
      await Promise.all([proxy.close(), sumdb.close()]);
      await http.close();
    }
  } finally {
    await release?.();
  }
}

/**
 * `--check` without the network: the lock must have been generated from these
 * inputs, and the lock must render to exactly the files on disk.
 */
async function checkSet(setDir: string, leavesFile: LeavesFile): Promise<UpdateResult> {
  const lockText = await readFile(join(setDir, LOCK_FILE), "utf8").catch(() => undefined);
  const set = lockText === undefined ? undefined : parseLock(lockText);
  const inputs = await digestInputs(leavesFile, setDir);
  const noDownloads = { zipDownloads: 0, goModFetches: 0 };
  if (set === undefined || set.inputs !== inputs) {
    const why = set === undefined ? "set.lock.yaml is missing or unreadable" : "leaves.yaml (or a path leaf's go.mod/go.sum) changed since set.lock.yaml was generated";
    const empty: LockedSet = { inputs, modules: new Map(), goModOnly: new Map(), cycles: [], leaves: new Map(), held: new Map() };
    return summarize(setDir, set ?? empty, { write: new Map([[LOCK_FILE, ""]]), remove: [] }, noDownloads, [why]);
  }
  const files = renderNixFiles(set);
  files.set(LOCK_FILE, renderLock(set));
  return summarize(setDir, set, await planChanges(setDir, files), noDownloads, []);
}

function summarize(setDir: string, set: LockedSet, plan: Plan, stats: { zipDownloads: number; goModFetches: number }, warnings: readonly string[]): UpdateResult {
  const verified: Record<Verification, number> = { "go.sum": 0, sumdb: 0, none: 0 };
  for (const v of verifications(set).values()) verified[v]++;
  return {
    setDir,
    modules: set.modules.size,
    cycles: set.cycles.length,
    leaves: set.leaves.size,
    written: [...plan.write.keys()],
    removed: plan.remove,
    upToDate: plan.write.size === 0 && plan.remove.length === 0,
    zipDownloads: stats.zipDownloads,
    goModFetches: stats.goModFetches,
    warnings,
    verified,
    failedLeaves: [],
  };
}

/**
 * computeSet, rerun without the leaves a member's failure is attributed to
 * (keep-going), until it succeeds or a failure names no new leaf.
 */
async function computeWithKeepGoing(compute: () => Promise<LockedSet>, keep: KeepGoing | undefined): Promise<LockedSet> {
  for (;;) {
    try {
      return await compute();
    } catch (e) {
      if (!(e instanceof MemberFailure)) throw e;
      const fresh = e.leaves.filter((l) => !keep?.failed.has(l));
      if (keep === undefined || fresh.length === 0) throw e.error;
      for (const l of fresh) keep.failed.set(l, e.error);
    }
  }
}

/**
 * The locked set from leaves.yaml, in its stages: load the leaves, select
 * versions, fetch and verify the members, index their packages, find
 * cycles, lock held versions, lock the leaves.
 */
async function computeSet(
  leavesFile: LeavesFile,
  setDir: string,
  store: ModuleStore,
  checkSums: SumChecker,
  emit: (e: UpdateEvent) => void,
  warn: (message: string) => void,
  keep?: KeepGoing,
): Promise<LockedSet> {
  const run: SetRun = { store, checkSums, emit, warn, keep };
  const loaded = await loadLeaves(leavesFile, setDir, run);
  const chosen = await selectVersions(loaded, leavesFile.pins, run);
  const fetched = await fetchMembers(chosen, run);
  const indexed = indexPackages(chosen.selections, fetched.members);
  const { cycles, modules, inCycle } = findMemberCycles(indexed);
  const held = await lockHeld(
    indexed.leafPackages.map((packages, i) => ({ packages, holds: variantHolds(chosen.holds[i] ?? new Map(), chosen.selection.versions) })),
    indexed.memberPackages,
    indexed.imports,
    inCycle,
    fetched.lock,
  );
  const lockedLeaves = await lockLeaves(chosen, fetched, indexed, run);
  for (const k of chosen.kept) for (const [key, m] of k.held) held.set(key, m);
  const allLeaves = new Map([...lockedLeaves, ...chosen.kept.map((k) => [k.leaf.name, k.leaf] as const)].sort(([a], [b]) => compareStrings(a, b)));
  // A set regenerated without some leaf is not what leaves.yaml describes: --check calls it stale.
  const inputs = (chosen.kept.length > 0 || (keep?.failed.size ?? 0) > 0 ? "partial " : "") + (await digestInputs(leavesFile, setDir));
  return { inputs, modules, goModOnly: fetched.goModOnly, cycles, leaves: allLeaves, held: sortByKey(held) };
}

/** What computeSet's stages share: the module store, verification, progress, and keep-going's failed leaves. */
interface SetRun {
  readonly store: ModuleStore;
  readonly checkSums: SumChecker;
  readonly emit: (e: UpdateEvent) => void;
  readonly warn: (message: string) => void;
  readonly keep: KeepGoing | undefined;
}

type SelectedLeaf = HeldSelection & { readonly leaf: LoadedLeaf };

/** A failed leaf kept as the previous lock has it (keep-going). */
interface KeptLeaf {
  readonly leaf: LockedLeaf;
  readonly selection: HeldSelection;
  readonly members: ModulePath[];
  readonly held: Map<string, LockedModule>;
}

/** Each leaf's go.mod and go.sum (undefined for a leaf keep-going set aside); the likely members' zips start downloading. */
async function loadLeaves(leavesFile: LeavesFile, setDir: string, run: SetRun): Promise<(LoadedLeaf | undefined)[]> {
  const { store, emit, warn, keep } = run;
  emit({ kind: "phase", phase: "leaves", total: leavesFile.leaves.length });
  const loaded = await Promise.all(leavesFile.leaves.map((spec) => isolateLeaf(spec.name, () => loadLeaf(spec, setDir, store), keep)));
  for (const leaf of loaded) {
    if (leaf?.source.kind === "path" && leaf.goSum.size === 0 && leaf.goMod.requires.length > 0) {
      warn(`leaf ${leaf.spec.name} has no go.sum: its modules are verified by the checksum database alone (run go mod tidy in ${leaf.spec.source.kind === "path" ? leaf.spec.source.path : ""})`);
    }
  }
  // Fetch and hash the zips the set will most likely need while selection walks the graphs.
  for (const m of likelyMembers(loaded.flatMap((l) => (l === undefined ? [] : [l.goSum])))) store.zipDigest(m).catch(() => undefined);
  return loaded;
}

interface ChosenVersions {
  /** The leaves selected, in leaves.yaml's order. */
  readonly selections: readonly SelectedLeaf[];
  /** The failed leaves kept from the previous lock (keep-going). */
  readonly kept: readonly KeptLeaf[];
  /** One version per module path for the set. */
  readonly selection: SetSelection;
  /** Each selected leaf's holds that differ from the set's versions, aligned with `selections`. */
  readonly holds: readonly Map<ModulePath, Hold>[];
}

/** Each leaf's build list (pins and holds applied), then one version per module path for the set. */
async function selectVersions(loaded: readonly (LoadedLeaf | undefined)[], pins: ReadonlyMap<ModulePath, string>, run: SetRun): Promise<ChosenVersions> {
  const { store, emit, warn, keep } = run;
  emit({ kind: "phase", phase: "select" });
  const selected = await Promise.all(loaded.map(async (leaf) => (leaf === undefined ? undefined : isolateLeaf(leaf.spec.name, () => selectLeaf(leaf, pins, store, warn), keep))));
  const selections = selected.filter((s): s is NonNullable<typeof s> => s !== undefined);
  const kept = keptLeaves(keep);
  const usedPins = new Set(selections.flatMap((s) => [...s.pinned.keys()]));
  for (const path of pins.keys()) if (!usedPins.has(path)) warn(`pin ${path} matches no module in any leaf's build list; ignored`);
  const shared = withoutHolds(selections, warn);
  const selection = selectSetVersions([...shared, ...kept.map((k) => k.selection)]);
  for (const [path, version] of pins) {
    const set = selection.versions.get(path);
    if (usedPins.has(path) && set !== undefined && compare(version, set) < 0) warn(`pin ${path} ${version} is below the set's version ${set}: a pin only raises a module, so it has no effect`);
  }
  const holds = shared.map((sel) => holdsAgainst(sel, selection.versions, warn));
  return { selections, kept, selection, holds };
}

interface FetchedMembers {
  /** The set's members (modules providing packages) at the set's versions. */
  readonly setVersions: ReadonlyMap<ModulePath, string>;
  readonly goSums: readonly NamedGoSum[];
  /** The selected modules that provide no package: version and go.mod hash. */
  readonly goModOnly: Map<ModulePath, { version: string; goModSum: string; verified: Verification }>;
  readonly members: readonly { module: LockedModule; packages: PackageIndex }[];
  /** Fetches, hashes and verifies one more module version as the members were. */
  readonly lock: (m: ModuleVersion) => Promise<{ module: LockedModule; packages: PackageIndex }>;
}

/** Every member's go.mod, zip hash and package index, verified against the go.sums (else the checksum database); the go.mod-only entries' go.mod hashes. */
async function fetchMembers(chosen: ChosenVersions, run: SetRun): Promise<FetchedMembers> {
  const { store, checkSums, emit, keep } = run;
  const { selections, kept, selection } = chosen;
  const needed = modulesProvidingPackages(selections.map((s) => ({ paths: s.pinned.keys(), goSum: s.leaf.goSum })));
  for (const k of kept) for (const p of k.members) needed.add(p);
  const setVersions = new Map([...selection.versions].filter(([path]) => needed.has(path)));
  const members = [...setVersions].map(([path, version]) => ({ path, version }));
  const goSums = selections.map((s) => ({ name: s.leaf.spec.name, goSum: s.leaf.goSum }));
  const goModOnly = new Map(
    await Promise.all(
      [...selection.versions]
        .filter(([path]) => !needed.has(path))
        .map(async ([path, version]) => {
          const goModSum = await store.goModSum({ path, version });
          return [path, { version, goModSum, verified: await checkSums({ path, version }, { goModSum }, goSums) }] as const;
        }),
    ),
  );
  const lock = (m: ModuleVersion) => lockModule(m, store, checkSums, goSums, setVersions);
  emit({ kind: "phase", phase: "fetch", total: members.length });
  const fetched = await Promise.all(
    members.map(async (m) => {
      const mod = await lock(m).catch((e: unknown) => {
        if (keep === undefined || !isGosetError(e)) throw e;
        throw new MemberFailure(selections.filter((s) => s.pinned.get(m.path) === m.version).map((s) => s.name), e);
      });
      emit({ kind: "done-module", module: m });
      return mod;
    }),
  );
  return { setVersions, goSums, goModOnly, members: fetched, lock };
}

interface IndexedPackages {
  /** Each selected leaf's packages, aligned with the selections. */
  readonly leafPackages: readonly LeafPackages[];
  readonly memberPackages: ReadonlyMap<ModulePath, PackageIndex>;
  /** Each member's imports: the members whose packages it imports. */
  readonly imports: ReadonlyMap<ModulePath, ModulePath[]>;
  /** The members with the packages the set compiles and their imports. */
  readonly locked: readonly LockedModule[];
}

/** Which packages of each member the leaves build, and the members' imports between them. */
function indexPackages(selections: readonly SelectedLeaf[], members: FetchedMembers["members"]): IndexedPackages {
  const leafPackages = selections.map(({ leaf, replaced }) => ({
    modulePath: leaf.goMod.module.path,
    packages: leaf.packages,
    subPackages: leaf.spec.subPackages,
    replaced,
    tags: leaf.spec.package.tags ?? [],
  }));
  for (const [i, lp] of leafPackages.entries()) checkSubPackages(selections[i]?.leaf.spec.name ?? lp.modulePath, lp);
  const memberPackages = new Map(members.map((m) => [m.module.path, m.packages]));
  const builtPackages = packagesBuiltBySet(leafPackages, memberPackages);
  const imports = memberImports(builtPackages, memberPackages);
  const locked = members.map((m) => ({ ...m.module, packages: builtPackages.get(m.module.path) ?? [], imports: imports.get(m.module.path) ?? [] }));
  return { leafPackages, memberPackages, imports, locked };
}

/** The import cycles between members; each member in one names its cycle. */
function findMemberCycles(indexed: IndexedPackages): { cycles: Cycle[]; modules: Map<ModulePath, LockedModule>; inCycle: Set<ModulePath> } {
  const cycles = findCycles(indexed.imports);
  const cycleOf = new Map(cycles.flatMap((c) => c.members.map((p) => [p, c.id] as const)));
  const modules = new Map(indexed.locked.map((m) => {
    const cycle = cycleOf.get(m.path);
    return [m.path, cycle === undefined ? m : { ...m, cycle }];
  }));
  return { cycles, modules, inCycle: new Set(cycleOf.keys()) };
}

/** Each selected leaf's lock entry: its source verified, its requirements, imports, upgrades, replacements and holds. */
async function lockLeaves(chosen: ChosenVersions, fetched: FetchedMembers, indexed: IndexedPackages, run: SetRun): Promise<(readonly [string, LockedLeaf])[]> {
  const { store, checkSums } = run;
  const { selections, selection, holds } = chosen;
  const { goSums, setVersions } = fetched;
  return Promise.all(
    selections.map(async (sel, i) => {
      const { leaf } = sel;
      const replaces = await lockReplacements(leaf, sel, store, checkSums, goSums, setVersions);
      const buildList = [...new Set([...(selection.members.get(leaf.spec.name) ?? []), ...(holds[i]?.keys() ?? [])])].sort();
      const ownPackages = indexed.leafPackages[i];
      if (ownPackages === undefined) throw new Error("internal: leaf packages missing");
      const ownImports = leafImports(ownPackages, indexed.memberPackages);
      const lockedLeaf: LockedLeaf = {
        name: leaf.spec.name,
        source: await verifyLeafSource(leaf.source, checkSums),
        modulePath: leaf.goMod.module.path,
        ...(leaf.goMod.go === undefined ? {} : { go: leaf.goMod.go }),
        subPackages: leaf.spec.subPackages,
        buildList,
        imports: replaces.size === 0 ? ownImports : [...new Set([...ownImports, ...buildList.filter((p) => setVersions.has(p))])].sort(),
        upgraded: selection.upgraded.get(leaf.spec.name) ?? new Map(),
        replaces,
        holds: holds[i] ?? new Map(),
        package: leaf.spec.package,
      };
      return [leaf.spec.name, lockedLeaf] as const;
    }),
  );
}

/** Runs one leaf's loading or selection; with keep-going, a failure marks the leaf failed instead of ending the run. */
async function isolateLeaf<T>(name: string, work: () => Promise<T>, keep: KeepGoing | undefined): Promise<T | undefined> {
  if (keep?.failed.has(name)) return undefined;
  try {
    return await work();
  } catch (e) {
    if (keep === undefined || !isGosetError(e)) throw e;
    keep.failed.set(name, e);
    return undefined;
  }
}

/**
 * The failed leaves the previous lock has, as they were: their locked entry,
 * their held versions, and a selection of the set members they built against
 * at the versions they had, so those stay in the set.
 */
function keptLeaves(keep: KeepGoing | undefined): KeptLeaf[] {
  if (keep?.previous === undefined) return [];
  const prev = keep.previous;
  return [...keep.failed.keys()].flatMap((name) => {
    const leaf = prev.leaves.get(name);
    if (leaf === undefined) return [];
    const versions = new Map<ModulePath, string>();
    for (const p of leaf.buildList) {
      const v = leaf.holds.has(p) ? undefined : (prev.modules.get(p)?.version ?? prev.goModOnly.get(p)?.version);
      if (v !== undefined) versions.set(p, v);
    }
    const held = new Map([...leaf.holds].flatMap(([p, h]) => {
      const key = moduleKey({ path: p, version: h.version });
      const m = prev.held.get(key);
      return m === undefined ? [] : [[key, m] as const];
    }));
    const selection: HeldSelection = { name, own: versions, pinned: versions, replaced: new Set(leaf.replaces.keys()), holds: new Map() };
    return [{ leaf, selection, members: leaf.buildList.filter((p) => prev.modules.has(p) && !leaf.holds.has(p)), held }];
  });
}

/**
 * Locks every held module version once, however many leaves hold it: its
 * hashes and verification as for any module, the packages its holding leaves
 * build and the members those import.
 */
async function lockHeld(
  leaves: readonly { readonly packages: LeafPackages; readonly holds: ReadonlyMap<ModulePath, Hold> }[],
  members: ReadonlyMap<ModulePath, PackageIndex>,
  imports: ReadonlyMap<ModulePath, readonly ModulePath[]>,
  inCycle: ReadonlySet<ModulePath>,
  lock: (m: ModuleVersion) => Promise<{ module: LockedModule; packages: PackageIndex }>,
): Promise<Map<string, LockedModule>> {
  const versions = new Map<string, ModuleVersion>();
  for (const leaf of leaves) for (const [path, h] of leaf.holds) versions.set(moduleKey({ path, version: h.version }), { path, version: h.version });
  const fetched = new Map(await Promise.all([...versions].map(async ([key, m]) => [key, await lock(m)] as const)));
  const builds = heldBuilds(leaves, members, new Map([...fetched].map(([key, f]) => [key, f.packages])));
  const out = new Map<string, LockedModule>();
  for (const [key, build] of builds) {
    const f = fetched.get(key);
    if (f === undefined) continue;
    const loop = heldCycle(f.module.path, build.imports, imports, inCycle);
    if (loop !== undefined) {
      throw new GosetError("GOSET_HOLD_CYCLE", `the hold of ${key} cannot be built on its own: ${loop === f.module.path ? `${key} is in an import cycle of the set` : `${loop} imports it back`}`, {
        hint: "hold the cycle's other members too, or drop the hold",
      });
    }
    out.set(key, { ...f.module, packages: build.packages, imports: build.imports });
  }
  return out;
}

/** Every module version the set names (members, held versions, go.mod-only entries, leaf sources, replacements), once, with how it was verified. */
function verifications(set: LockedSet): Map<string, Verification> {
  return new Map([...listDigests(set)].map(([key, d]) => [key, d.verified]));
}

/** Every module version in the set that nothing verified. */
function listUnverified(set: LockedSet): string[] {
  return [...verifications(set)].filter(([, v]) => v === "none").map(([key]) => key).sort();
}

/** A module leaf's own zip is covered by no go.sum: only the checksum database can vouch for it. */
async function verifyLeafSource(source: LockedLeafSource, checkSums: SumChecker): Promise<LockedLeafSource> {
  if (source.kind !== "module") return source;
  const m = { path: source.module, version: source.version };
  return { ...source, verified: await checkSums(m, { sum: source.sum, goModSum: source.goModSum }, []) };
}

/**
 * A leaf's build list, and the same with the set's pins and the leaf's holds
 * as extra roots (a held module's requirements count, as after `go get
 * path@version`), its held modules forced to their held versions.
 */
async function selectLeaf(leaf: LoadedLeaf, pins: ReadonlyMap<ModulePath, string>, store: ModuleStore, warn: (m: string) => void): Promise<HeldSelection & { leaf: LoadedLeaf }> {
  const load = leafGoModLoader(leaf, store);
  const own = await selectBuildList(leaf.goMod, load);
  const holds = leaf.spec.holds;
  const extraRoots = [
    ...[...pins].filter(([path, version]) => {
      const selected = own.selected.get(path);
      return selected !== undefined && !holds.has(path) && compare(version, selected) > 0;
    }),
    ...[...holds].filter(([path]) => own.selected.has(path)).map(([path, h]) => [path, h.version] as const),
  ].map(([path, version]) => ({ path, version }));
  const pinned = extraRoots.length === 0 ? own : await selectBuildList(leaf.goMod, load, extraRoots);
  const replaced = new Set<ModulePath>();
  for (const [path, version] of pinned.selected) {
    if (findReplacement(leaf.goMod.replaces, { path, version }) !== undefined) replaced.add(path);
  }
  const sel: LeafSelection = { name: leaf.spec.name, own: own.selected, pinned: pinned.selected, replaced };
  return { ...applyHolds(sel, holds, warn), leaf };
}

interface NamedGoSum {
  readonly name: string;
  readonly goSum: ReadonlyMap<string, { readonly sum?: string; readonly goModSum?: string }>;
}

async function lockModule(
  m: ModuleVersion,
  store: ModuleStore,
  checkSums: SumChecker,
  goSums: readonly NamedGoSum[],
  setVersions: ReadonlyMap<ModulePath, string>,
): Promise<{ module: LockedModule; packages: PackageIndex }> {
  const [goModBytes, digest, goModSum] = await Promise.all([store.goMod(m), store.zipDigest(m), store.goModSum(m)]);
  const verified = await checkSums(m, { sum: digest.sum, goModSum }, goSums);
  const goMod = parseGoMod(goModBytes.toString("utf8"), `${moduleKey(m)}/go.mod`, { strict: false });
  const requires = [...new Set(goMod.requires.map((r) => r.path))].filter((p) => p !== m.path && setVersions.has(p)).sort();
  const module: LockedModule = {
    path: m.path,
    version: m.version,
    hash: digest.hash,
    sum: digest.sum,
    goModSum,
    verified,
    ...(goMod.go === undefined ? {} : { go: goMod.go }),
    requires,
  };
  return { module, packages: digest.packages };
}

/**
 * Every go.sum that records this module version must agree with what was
 * downloaded. "go.sum" when some go.sum covers the zip (or, for a go.mod-only
 * module, its go.mod).
 */
function verifyAgainstGoSums(m: ModuleVersion, hashes: { readonly sum?: string; readonly goModSum: string }, goSums: readonly NamedGoSum[]): Verification {
  const { sum, goModSum } = hashes;
  let covered = false;
  for (const { name, goSum } of goSums) {
    const entry = goSum.get(moduleKey(m));
    if (entry === undefined) continue;
    for (const [what, expected, actual] of [["zip", entry.sum, sum], ["go.mod", entry.goModSum, goModSum]] as const) {
      if (expected === undefined || actual === undefined) continue;
      if (expected !== actual) {
        throw new GosetError("GOSET_CHECKSUM_MISMATCH", `SECURITY ERROR: ${moduleKey(m)} ${what} has ${actual}, but leaf "${name}"'s go.sum records ${expected}`, {
          hint: "the module proxy served different content than the leaf was built with; do not trust this proxy until this is explained",
        });
      }
      if (what === "zip" || sum === undefined) covered = true;
    }
  }
  return covered ? "go.sum" : "none";
}

async function lockReplacements(
  leaf: LoadedLeaf,
  sel: LeafSelection,
  store: ModuleStore,
  checkSums: SumChecker,
  goSums: readonly NamedGoSum[],
  setVersions: ReadonlyMap<ModulePath, string>,
): Promise<ReadonlyMap<ModulePath, LockedReplacement>> {
  const out = new Map<ModulePath, LockedReplacement>();
  for (const path of sel.replaced) {
    const version = sel.pinned.get(path);
    if (version === undefined) continue;
    const target = findReplacement(leaf.goMod.replaces, { path, version });
    if (target === undefined) continue;
    if (target.kind === "dir") {
      out.set(path, { kind: "dir", dir: target.dir });
      continue;
    }
    const { module } = await lockModule({ path: target.path, version: target.version }, store, checkSums, goSums.filter((g) => g.name === leaf.spec.name), setVersions);
    out.set(path, { kind: "module", ...module });
  }
  return sortByKey(out);
}

/** Every subPackages entry names a main package of the leaf's module (patterns with "..." aside). */
function checkSubPackages(name: string, leaf: LeafPackages): void {
  const { missing, notMain } = badSubPackages(leaf);
  const quoted = (list: readonly string[]) => list.map((m) => JSON.stringify(m)).join(", ");
  if (missing.length > 0) {
    throw new GosetError("GOSET_LEAVES_INVALID", `leaf "${name}": subPackages ${quoted(missing)} name no package of ${leaf.modulePath}`, {
      hint: "list the directories of the leaf's main packages, relative to its module root (\".\" for the root)",
    });
  }
  if (notMain.length > 0) {
    throw new GosetError("GOSET_LEAVES_INVALID", `leaf "${name}": subPackages ${quoted(notMain)} of ${leaf.modulePath} are not package main`, {
      hint: "subPackages lists the commands a leaf installs: directories whose files say `package main`",
    });
  }
}

/**
 * What the set is generated from: leaves.yaml's meaning and the go.mod and
 * go.sum of path leaves. Module leaves are fixed by their version, and module
 * content never changes, so `--check` can tell a stale lock without the network.
 */
async function digestInputs(leavesFile: LeavesFile, setDir: string): Promise<string> {
  const localFiles: Record<string, string> = {};
  for (const leaf of leavesFile.leaves) {
    if (leaf.source.kind !== "path") continue;
    for (const f of ["go.mod", "go.sum"]) {
      const text = await readFile(join(resolve(setDir, leaf.source.path), f), "utf8").catch(() => "");
      localFiles[`${leaf.name}/${f}`] = createHash("sha256").update(text).digest("hex");
    }
  }
  const normal = {
    leaves: leavesFile.leaves.map((l) => ({
      name: l.name,
      source: l.source,
      subPackages: l.subPackages,
      ...(l.holds.size === 0 ? {} : { holds: [...l.holds] }),
      ...(Object.keys(l.package).length === 0 ? {} : { package: l.package }),
    })),
    pins: [...leavesFile.pins].sort(([a], [b]) => compareStrings(a, b)),
    localFiles,
  };
  return "sha256-" + createHash("sha256").update(JSON.stringify(normal)).digest("base64");
}
