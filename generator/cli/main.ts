/**
 * The update-set command line: arguments in, a summary out, and one error
 * handler that prints the message and the hint and sets the exit code.
 */
import { availableParallelism } from "node:os";
import { stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { GosetError, isGosetError } from "../errors.js";
import { processSecrets, type Redactor } from "../redact.js";
import { updateSet } from "../update.js";
import type { UpdateResult } from "../update.js";
import { createReporter } from "./progress.js";

const USAGE = `Usage: update-set [--set DIR] [--jobs N] [--check] [--strict] [--update-leaves] [--keep-going] [--report FILE [--audit] [--vulndb SOURCE]] [--json] [--timeout S] [--retries N]

Regenerates a Go package set for Nix from DIR/leaves.yaml: selects one
version per module path for all leaves, verifies every module against the
leaves' go.sum files, hashes it for Nix, and writes DIR/set.lock.yaml and the
generated Nix files atomically.

Options:
  --set DIR    the set directory holding leaves.yaml (default: set)
  --jobs N     zip downloads at once (default: number of CPUs, at least 4); zips are hashed one at a time
  --timeout S  give up on a proxy request idle for S seconds (default 60)
  --retries N  retry a failed proxy request N times with backoff (default 4); a
               proxy that hangs is reported after about (N + 1) x S seconds plus
               the backoff: about 5 minutes with the defaults, so lower both
               (e.g. --timeout 10 --retries 1) to fail fast
  --check      write nothing and use no network; exit 1 if the lock or the
               generated files are out of date with leaves.yaml
  --update-leaves
               first move every module leaf to its latest release (edits leaves.yaml)
  --keep-going a leaf whose module graph cannot be resolved or verified keeps
               its previous locked state (a new leaf is left out), the rest
               regenerates, and the run exits 3 naming each such leaf
  --report FILE
               write a Markdown change report (modules bumped, added, removed,
               cycles, raised versions, derivations rebuilt) to FILE
  --audit      add to the --report the vulnerabilities this regeneration fixes and
               introduces (the Go vulnerability database, as goset audit reads it)
  --vulndb SOURCE
               the database for --audit (implies it): an OSV directory or a URL
  --strict     fail when a module is verified neither by a go.sum nor by the
               checksum database (GOSUMDB)
  --json       print a machine-readable summary on stdout
  -h, --help   show this help
  --version    print the version

Go settings (GOPROXY, GOPRIVATE, GONOPROXY, GONOSUMDB, GOSUMDB, NETRC) are read
from the environment, then from Go's env file, then Go's defaults.

Exit codes: 0 success (or up to date), 1 out of date (--check), 2 error,
3 some leaves not regenerated (--keep-going).`;

export async function main(argv: readonly string[]): Promise<number> {
  return runCommand(argv, USAGE, {
    options: {
      set: { type: "string", default: "set" },
      jobs: { type: "string" },
      timeout: { type: "string" },
      retries: { type: "string" },
      check: { type: "boolean", default: false },
      strict: { type: "boolean", default: false },
      "update-leaves": { type: "boolean", default: false },
      "keep-going": { type: "boolean", default: false },
      report: { type: "string" },
      audit: { type: "boolean", default: false },
      vulndb: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
      version: { type: "boolean", default: false },
    },
    allowPositionals: false,
  }, async ({ values }, json) => {
    if (values.version) {
      process.stdout.write("update-set 0.1.0\n");
      return 0;
    }
    if (values.check && values["update-leaves"]) throw new GosetError("GOSET_USAGE", "--check writes nothing, so it cannot move leaves (--update-leaves)", { hint: "run one or the other" });
    await checkReportDir(values.report);
    const jobs = parseCount("--jobs", values.jobs, 1, 256) ?? defaultJobs();
    const timeout = parseCount("--timeout", values.timeout, 1, 3600);
    const retries = parseCount("--retries", values.retries, 0, 20);
    const audit = values.audit || values.vulndb !== undefined;
    if (audit && values.report === undefined) throw new GosetError("GOSET_USAGE", "--audit and --vulndb add a section to --report FILE: give --report too", { hint: "update-set --report report.md --audit" });
    const reporter = createReporter(process.stderr, { quiet: json });
    const result = await updateSet({
      setDir: values.set,
      jobs,
      check: values.check,
      strict: values.strict,
      updateLeaves: values["update-leaves"],
      keepGoing: values["keep-going"],
      ...(values.report === undefined ? {} : { reportFile: values.report }),
      ...(audit ? { auditReport: values.vulndb === undefined ? {} : { vulndb: values.vulndb } } : {}),
      onEvent: reporter.onEvent,
      ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
      ...(retries === undefined ? {} : { retries }),
    }).finally(reporter.close);
    if (json) process.stdout.write(JSON.stringify(summarize(result, values.check), null, 2) + "\n");
    else process.stderr.write(describe(result, values.check));
    if (result.failedLeaves.length > 0) return 3;
    return values.check && !result.upToDate ? 1 : 0;
  });
}

/** A --report FILE must be writable where it is asked for: its directory must exist (checked before the work). */
export async function checkReportDir(file: string | undefined): Promise<void> {
  if (file === undefined) return;
  const dir = dirname(resolve(file));
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new GosetError("GOSET_USAGE", `--report ${file}: the directory ${dir} does not exist`, { hint: "create the directory, or give another path" });
}

export function parseCount(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new GosetError("GOSET_USAGE", `${flag} must be an integer from ${min} to ${max}, not "${value}"`, { hint: `for example ${flag} ${Math.max(min, 2)}` });
  }
  return n;
}

function summarize(r: UpdateResult, check: boolean): Record<string, unknown> {
  return {
    ok: (!check || r.upToDate) && r.failedLeaves.length === 0,
    upToDate: r.upToDate,
    setDir: r.setDir,
    modules: r.modules,
    cycles: r.cycles,
    leaves: r.leaves,
    [check ? "outOfDate" : "written"]: r.written,
    removed: r.removed,
    zipDownloads: r.zipDownloads,
    goModFetches: r.goModFetches,
    verified: r.verified,
    warnings: r.warnings,
    failedLeaves: r.failedLeaves,
  };
}

function describe(r: UpdateResult, check: boolean): string {
  const lines = [`${r.leaves} leaves, ${r.modules} modules, ${r.cycles} cycles; ${r.zipDownloads} zips downloaded`];
  lines.push(`verified: ${r.verified["go.sum"]} by go.sum, ${r.verified.sumdb} by checksum database, ${r.verified.none} not verified`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  for (const f of r.failedLeaves) lines.push(`leaf ${f.name} not regenerated (${f.kept ? "previous state kept" : "left out"}): error ${f.code}: ${f.message}`);
  if (r.upToDate) lines.push(check ? "up to date" : "nothing changed");
  else {
    const verb = check ? "out of date" : "wrote";
    for (const f of r.written) lines.push(`${verb}: ${f}`);
    for (const f of r.removed) lines.push(`${check ? "stale" : "removed"}: ${f}`);
    if (check) lines.push("run update-set to regenerate the set");
  }
  return lines.join("\n") + "\n";
}

/** node:util parseArgs' errors (unknown option, missing or ambiguous value): the user's, not a bug. */
function usageError(e: unknown): GosetError | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  if (!(e instanceof TypeError) || typeof code !== "string" || !code.startsWith("ERR_PARSE_ARGS")) return undefined;
  return new GosetError("GOSET_USAGE", e.message, { hint: "see --help for the options" });
}

/** The one error handler: the error printed (and as JSON under --json), with `redactor`'s secrets masked; exit code 2. */
export function reportError(e: unknown, json: boolean, redactor: Redactor): number {
  const error = isGosetError(e) ? e : usageError(e) ?? new GosetError("GOSET_INTERNAL", e instanceof Error ? (e.stack ?? e.message) : String(e), { hint: "this is a bug in update-set; please report it with the command you ran" });
  const message = redactor.redact(error.message);
  const hint = error.hint === undefined ? undefined : redactor.redact(error.hint);
  if (json) {
    process.stdout.write(JSON.stringify({ ok: false, error: { code: error.code, message, hint: hint ?? null } }, null, 2) + "\n");
  }
  process.stderr.write(`error ${error.code}: ${message}\n` + (hint ? `  hint: ${hint}\n` : ""));
  return 2;
}

/**
 * The frame of every command: its arguments parsed strictly (a mistake is
 * GOSET_USAGE, as JSON when --json is among them, known before they parse),
 * --help printing `usage`, and every error reported once with its code.
 * `config` lists the command's options, --json and --help included.
 */
export async function runCommand<T extends ParseArgsConfig>(argv: readonly string[], usage: string, config: T, run: (args: ReturnType<typeof parseArgs<T>>, json: boolean) => Promise<number>): Promise<number> {
  let json = argv.includes("--json");
  try {
    const args = parseArgs<T>({ ...config, args: [...argv], strict: true });
    const values = args.values as { json?: unknown; help?: unknown };
    json = values.json === true;
    if (values.help === true) {
      process.stdout.write(usage + "\n");
      return 0;
    }
    return await run(args, json);
  } catch (e) {
    return reportError(e, json, processSecrets);
  }
}

/** Zip downloads at once unless --jobs says otherwise: the CPUs, at least 4 (downloads wait on the network). */
export function defaultJobs(): number {
  return Math.max(4, availableParallelism());
}
