/**
 * `goset audit`: arguments, output and exit code. The work is generator/audit.ts.
 */
import { writeFile } from "node:fs/promises";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { AuditFix } from "../audit.js";
import { auditSetDir, planFixes, readLockedSet } from "../audit.js";
import { setPin } from "../leaves/latest.js";
import { diffSets, renderReport } from "../render/report.js";
import { updateSet } from "../update.js";
import type { Finding } from "../vuln/audit.js";
import { GosetError } from "../errors.js";
import { renderAuditMarkdown, renderAuditText } from "../render/audit.js";
import { failsOn } from "../vuln/audit.js";
import { checkReportDir, defaultJobs, runCommand } from "./main.js";

export const AUDIT_USAGE = `goset audit [--set DIR] [--vulndb SOURCE] [--go VERSION] [--platform OS/ARCH] [--fail-on none|module|package] [--fix] [--report FILE] [--json]
  --vulndb SOURCE  a directory of OSV JSON files, a URL in vuln.go.dev's layout, or (default)
                   the newest golang.org/x/vulndb through GOPROXY, verified by the checksum database
  --go VERSION     the set's Go release for stdlib findings (default: go env GOVERSION)
  --platform OS/ARCH  what the set builds for: entries limited to other platforms do not
                   count (default: go env GOOS/GOARCH)
  --fail-on LEVEL  exit 1 when there is a finding (module) or a reachable one (package); default none
  --fix            pin each affected module at the lowest version that fixes its findings
                   (when the proxy serves it), regenerate, and print what rebuilds; held
                   leaves that stay vulnerable are listed
  --report FILE    write the findings as Markdown
  --json           the findings as JSON on stdout
Exit codes: 0, 1 (--fail-on met), 2 error.`;

const LEVELS = ["none", "module", "package"] as const;

export async function auditMain(argv: readonly string[]): Promise<number> {
  return runCommand(argv, AUDIT_USAGE, {
    options: {
      set: { type: "string", default: "set" },
      vulndb: { type: "string" },
      go: { type: "string" },
      platform: { type: "string" },
      "fail-on": { type: "string", default: "none" },
      report: { type: "string" },
      fix: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: false,
  }, async ({ values }, json) => {
    await checkReportDir(values.report);
    const level = LEVELS.find((l) => l === values["fail-on"]);
    if (level === undefined) throw new GosetError("GOSET_USAGE", `--fail-on ${values["fail-on"]}: not one of ${LEVELS.join(", ")}`, { hint: AUDIT_USAGE });
    const [goos, goarch, ...extra] = (values.platform ?? "").split("/");
    if (values.platform !== undefined && (goos === "" || goarch === undefined || goarch === "" || extra.length > 0)) {
      throw new GosetError("GOSET_USAGE", `--platform ${values.platform}: expected OS/ARCH such as linux/amd64`, { hint: AUDIT_USAGE });
    }
    const result = await auditSetDir({
      setDir: values.set,
      ...(values.vulndb === undefined ? {} : { vulndb: values.vulndb }),
      ...(values.go === undefined ? {} : { goVersion: values.go }),
      ...(goos === undefined || goarch === undefined || values.platform === undefined ? {} : { platform: { goos, goarch } }),
    });
    if (values.report !== undefined) await writeFile(values.report, renderAuditMarkdown(result));
    const fixed = values.fix ? await applyFixes(values.set, result.findings, values.vulndb) : undefined;
    if (json) process.stdout.write(JSON.stringify({ ok: true, ...result, ...(fixed === undefined ? {} : { fix: fixed }) }, null, 2) + "\n");
    else process.stdout.write(renderAuditText(result) + (fixed === undefined ? "" : renderFix(fixed)));
    return failsOn(fixed?.remaining ?? result.findings, level) ? 1 : 0;
  });
}

interface AppliedFix extends AuditFix {
  readonly rebuilds: { readonly modules: number; readonly leaves: number };
  readonly report: string;
  /** Findings after the regeneration. */
  readonly remaining: readonly Finding[];
}

/** Pins written into leaves.yaml, the set regenerated, and what that rebuilds and leaves vulnerable. */
async function applyFixes(setDir: string, findings: readonly Finding[], vulndb: string | undefined): Promise<AppliedFix> {
  const plan = await planFixes(findings);
  const before = await readLockedSet(setDir);
  const leavesPath = join(setDir, "leaves.yaml");
  let text = await readFile(leavesPath, "utf8");
  for (const p of plan.pins) text = setPin(text, p.path, p.to);
  if (plan.pins.length > 0) {
    await writeFile(leavesPath, text);
    await updateSet({ setDir, jobs: defaultJobs(), check: false });
  }
  const after = await readLockedSet(setDir);
  const report = diffSets(before, after);
  const remaining = (await auditSetDir({ setDir, ...(vulndb === undefined ? {} : { vulndb }) })).findings;
  return { ...plan, rebuilds: report.totalRebuilds, report: renderReport(report, after), remaining };
}

function renderFix(f: AppliedFix): string {
  const lines = ["", `fix: ${f.pins.length} pins written into leaves.yaml; the set rebuilds ${f.rebuilds.modules} module derivations and ${f.rebuilds.leaves} leaves`];
  for (const p of f.pins) lines.push(`  pin ${p.path} ${p.from} -> ${p.to} (fixes ${p.fixes.join(", ")})`);
  for (const u of f.unfixable) lines.push(`  left ${u.path}@${u.version}: ${u.why}`);
  const held = f.remaining.filter((r) => r.held === true);
  for (const h of held) lines.push(`  still vulnerable, held by ${h.leaves.join(", ")}: ${h.module}@${h.version} ${h.id}`);
  return lines.join("\n") + "\n";
}
