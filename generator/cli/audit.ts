/**
 * `goset audit`: arguments, output and exit code. The work is generator/audit.ts.
 */
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { auditSetDir } from "../audit.js";
import { GosetError } from "../errors.js";
import { renderAuditMarkdown, renderAuditText } from "../render/audit.js";
import { failsOn } from "../vuln/audit.js";
import { reportError } from "./main.js";

export const AUDIT_USAGE = `goset audit [--set DIR] [--vulndb SOURCE] [--go VERSION] [--platform OS/ARCH] [--fail-on none|module|package] [--report FILE] [--json]
  --vulndb SOURCE  a directory of OSV JSON files, a URL in vuln.go.dev's layout, or (default)
                   the newest golang.org/x/vulndb through GOPROXY, verified by the checksum database
  --go VERSION     the set's Go release for stdlib findings (default: go env GOVERSION)
  --platform OS/ARCH  what the set builds for: entries limited to other platforms do not
                   count (default: go env GOOS/GOARCH)
  --fail-on LEVEL  exit 1 when there is a finding (module) or a reachable one (package); default none
  --report FILE    write the findings as Markdown
  --json           the findings as JSON on stdout
Exit codes: 0, 1 (--fail-on met), 2 error.`;

const LEVELS = ["none", "module", "package"] as const;

export async function auditMain(argv: readonly string[]): Promise<number> {
  let json = false;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        set: { type: "string", default: "set" },
        vulndb: { type: "string" },
        go: { type: "string" },
        platform: { type: "string" },
        "fail-on": { type: "string", default: "none" },
        report: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    json = values.json;
    if (values.help) {
      process.stdout.write(AUDIT_USAGE + "\n");
      return 0;
    }
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
    if (json) process.stdout.write(JSON.stringify({ ok: true, ...result }, null, 2) + "\n");
    else process.stdout.write(renderAuditText(result));
    return failsOn(result.findings, level) ? 1 : 0;
  } catch (e) {
    if (e instanceof TypeError && (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      return reportError(new GosetError("GOSET_USAGE", e.message, { hint: AUDIT_USAGE }), json);
    }
    return reportError(e, json);
  }
}
