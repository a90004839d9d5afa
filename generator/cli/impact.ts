/**
 * `goset impact MODULE@VERSION`: arguments and output; the work is generator/impact.ts.
 */
import type { Finding } from "../vuln/audit.js";
import { GosetError } from "../errors.js";
import { impactOfPin } from "../impact.js";
import { updateSet } from "../update.js";
import { auditChange } from "../audit.js";
import { defaultJobs, runCommand } from "./main.js";

export const IMPACT_USAGE = `goset impact MODULE@VERSION [--set DIR] [--audit] [--vulndb SOURCE] [--json]
  what a pin of MODULE at VERSION would change, without building and without writing
  the set (it regenerates a scratch copy): the module versions that move, the
  derivations that rebuild (modules, cycles, leaves), packages added or dropped,
  and with --audit the vulnerability findings fixed or introduced`;

export async function impactMain(argv: readonly string[]): Promise<number> {
  return runCommand(argv, IMPACT_USAGE, {
    options: {
      set: { type: "string", default: "set" },
      audit: { type: "boolean", default: false },
      vulndb: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: true,
  }, async ({ values, positionals }, json) => {
    const [target, ...extra] = positionals;
    const at = target?.lastIndexOf("@") ?? -1;
    if (target === undefined || extra.length > 0 || at <= 0 || !target.slice(at + 1).startsWith("v")) {
      throw new GosetError("GOSET_USAGE", "goset impact takes one MODULE@VERSION, such as golang.org/x/net@v0.45.0", { hint: IMPACT_USAGE });
    }
    const path = target.slice(0, at);
    const version = target.slice(at + 1);
    const result = await impactOfPin(values.set, path, version, async (dir) => {
      await updateSet({ setDir: dir, jobs: defaultJobs(), check: false });
    });
    const audit = values.audit || values.vulndb !== undefined ? await auditChange(result.before, result.after, values.vulndb === undefined ? {} : { vulndb: values.vulndb }) : undefined;
    const { report } = result;
    if (json) {
      process.stdout.write(JSON.stringify({ ok: true, pin: result.pin, ...report, ...(audit === undefined ? {} : { audit }) }, null, 2) + "\n");
      return 0;
    }
    const lines = [
      `pin ${path}@${version}: ${report.bumped.length} modules move, ${report.added.length} added, ${report.removed.length} removed, ${report.repackaged.length} compile other packages`,
      `rebuilds ${report.totalRebuilds.modules} module derivations and ${report.totalRebuilds.leaves} leaves`,
      ...report.bumped.map((c) => `  ${c.path} ${c.from} -> ${c.to}`),
      ...(audit === undefined ? [] : [`findings fixed: ${describe(audit.fixed)}`, `findings introduced: ${describe(audit.introduced)}`]),
      "",
      result.markdown,
    ];
    process.stdout.write(lines.join("\n"));
    return 0;
  });
}

function describe(findings: readonly Finding[]): string {
  return findings.length === 0 ? "none" : findings.map((f) => `${f.id} (${f.module}@${f.version})`).join(", ");
}

