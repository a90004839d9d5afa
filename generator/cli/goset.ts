/**
 * The goset command line: `goset update` (update-set, same options) and
 * `goset check` (build and smoke-check the leaves, find and hold what broke
 * them). One error handler, as update-set's.
 */
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { checkSet, renderCheckReport } from "../check/check.js";
import type { CheckResult } from "../check/check.js";
import { GosetError } from "../errors.js";
import { updateSet } from "../update.js";
import { AUDIT_USAGE, auditMain } from "./audit.js";
import { IMPACT_USAGE, impactMain } from "./impact.js";
import { WHY_USAGE, whyMain } from "./why.js";
import { checkReportDir, defaultJobs, main as updateMain, parseCount, reportError, runCommand } from "./main.js";
import { processSecrets } from "../redact.js";

const USAGE = `Usage: goset <command> [options]

Commands:
  update   regenerate the set from DIR/leaves.yaml (update-set; \`goset update --help\`)
  check    build every leaf of the set with Nix and smoke-check it
  audit    the known vulnerabilities the set ships (Go vulnerability database)
  why      why a module or package is in the set, at its version
  impact   what a pin MODULE@VERSION would change (rebuilds, versions, findings), no writes

goset check [--set DIR] [--changed] [--fix] [--prune-holds] [--previous LOCK] [--jobs N] [--report FILE] [--json] [LEAF...]
  LEAF...         only these leaves (default: every leaf of the set)
  --set DIR       the set directory (default: set)
  --changed       only the leaves the last regeneration changed: against --previous
  --fix           for each failing leaf, find by bisection the module bumps that broke
                  it, hold them in leaves.yaml (reason: Go's first error) and
                  regenerate; when no hold helps, keep a module leaf at its
                  previous release
  --prune-holds   drop the holds a leaf builds and passes without
  --previous LOCK the lock of the last state where the leaves built (default: the
                  set's set.lock.yaml in git's HEAD, when the set is in a git work tree)
  --jobs N        Nix builds at once (nix-build --max-jobs)
  --report FILE   write the check as Markdown (for a pull-request body)
  --json          print per-leaf results as JSON on stdout

Each leaf's smoke check is leaves.yaml's \`check: { args: [...], expect: "..." }\`,
else its first binary answering --version, or --help, with exit 0.
Nix runs with the caller's settings (NIX_CONFIG, nix.conf).

Exit codes: 0 every leaf builds and passes (held or kept back included),
1 some leaf fails, 2 error.

${AUDIT_USAGE}

${WHY_USAGE}

${IMPACT_USAGE}`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "update") return updateMain(rest);
  if (command === "check") return checkMain(rest);
  if (command === "audit") return auditMain(rest);
  if (command === "why") return whyMain(rest);
  if (command === "impact") return impactMain(rest);
  if (command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  return reportError(new GosetError("GOSET_USAGE", command === undefined ? "no command given" : `unknown command "${command}"`, { hint: "goset update | goset check; see goset --help" }), false, processSecrets);
}

async function checkMain(argv: readonly string[]): Promise<number> {
  return runCommand(argv, USAGE, {
    options: {
      set: { type: "string", default: "set" },
      changed: { type: "boolean", default: false },
      fix: { type: "boolean", default: false },
      "prune-holds": { type: "boolean", default: false },
      previous: { type: "string" },
      jobs: { type: "string" },
      report: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: true,
  }, async ({ values, positionals }, json) => {
    await checkReportDir(values.report);
    const maxJobs = parseCount("--jobs", values.jobs, 1, 256);
    const previousLock = values.previous !== undefined ? await readText(values.previous) : await lockInGitHead(values.set);
    const result = await checkSet({
      setDir: values.set,
      env: process.env,
      fix: values.fix,
      pruneHolds: values["prune-holds"],
      changed: values.changed,
      ...(positionals.length === 0 ? {} : { only: positionals }),
      ...(previousLock === undefined ? {} : { previousLock }),
      ...(maxJobs === undefined ? {} : { maxJobs }),
      update: async (setDir) => {
        await updateSet({ setDir, jobs: defaultJobs(), check: false });
      },
      onProgress: (m) => process.stderr.write(m + "\n"),
    });
    if (values.report !== undefined) await writeFile(values.report, renderCheckReport(result));
    if (json) process.stdout.write(JSON.stringify({ ok: passed(result), ...result }, null, 2) + "\n");
    else process.stderr.write(describe(result));
    return passed(result) ? 0 : 1;
  });
}

function passed(result: CheckResult): boolean {
  return result.leaves.every((l) => l.status !== "failed");
}

function describe(result: CheckResult): string {
  const lines = result.leaves.map((l) => {
    const extra = [
      ...l.holdsAdded.map((h) => `held ${h.path} at ${h.version} (set: ${h.from})`),
      ...l.holdsPruned.map((p) => `pruned the hold of ${p}`),
      ...(l.keptBack === undefined ? [] : [`kept back at ${l.keptBack.to} (${l.keptBack.from} fails)`]),
      ...(l.status === "failed" ? [l.reason ?? ""] : []),
    ];
    return `${l.status.padEnd(9)} ${l.name}${extra.length > 0 ? ": " + extra.join("; ") : ""}`;
  });
  return lines.join("\n") + "\n";
}

function readText(file: string): Promise<string> {
  return readFile(file, "utf8").catch((cause: unknown) => {
    throw new GosetError("GOSET_USAGE", `cannot read --previous ${file}`, { hint: "give the path of a set.lock.yaml", cause });
  });
}

/** The set's lock as git's HEAD has it, when the set is in a git work tree. */
function lockInGitHead(setDir: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("git", ["-C", setDir, "show", "HEAD:./set.lock.yaml"], { maxBuffer: 256 << 20 }, (error, stdout) => resolve(error === null ? String(stdout) : undefined));
  });
}
