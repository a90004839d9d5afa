/**
 * `goset audit`'s findings as text: a table per module for a terminal
 * (reachable first) and Markdown for a report. Pure.
 */
import type { Finding } from "../vuln/audit.js";

export interface AuditView {
  readonly database: string;
  readonly goVersion: string;
  readonly platform: { readonly goos: string; readonly goarch: string };
  readonly findings: readonly Finding[];
}

function counts(v: AuditView): string {
  const reachable = v.findings.filter((f) => f.reachable).length;
  const modules = new Set(v.findings.map((f) => `${f.module}@${f.version}`)).size;
  return `${v.findings.length} findings in ${modules} module versions: ${reachable} reachable (an affected package is compiled), ${v.findings.length - reachable} present`;
}

function fixLabel(f: Finding): string {
  return f.fixed === undefined ? "no fix" : `fixed in ${f.fixed}`;
}

function packagesLabel(f: Finding): string {
  if (f.packages.length === 0) return "whole module";
  return f.packages.map((p) => (p.symbols.length === 0 ? p.path : `${p.path} (${p.symbols.slice(0, 4).join(", ")}${p.symbols.length > 4 ? ", ..." : ""})`)).join("; ");
}

export function renderAuditText(v: AuditView): string {
  const lines = [`database: ${v.database}`, `go: ${v.goVersion} ${v.platform.goos}/${v.platform.goarch}`, counts(v), ""];
  let current = "";
  for (const f of v.findings) {
    const key = `${f.module}@${f.version}${f.held ? " (held)" : ""}`;
    if (key !== current) {
      lines.push(key);
      current = key;
    }
    const ids = [f.id, ...f.aliases].join(" ");
    lines.push(`  ${f.reachable ? "reachable" : "present  "} ${ids}: ${f.summary}`);
    lines.push(`            ${fixLabel(f)}; ${packagesLabel(f)}; leaves: ${f.leaves.join(", ") || "none"}`);
  }
  return lines.join("\n") + "\n";
}

export function renderAuditMarkdown(v: AuditView): string {
  const out = ["## goset audit", "", `Database: ${v.database}; Go ${v.goVersion}, ${v.platform.goos}/${v.platform.goarch}.`, "", counts(v) + ".", ""];
  if (v.findings.length === 0) return out.join("\n") + "\n";
  out.push("| module | finding | status | fixed in | affected packages | leaves |", "|---|---|---|---|---|---|");
  for (const f of v.findings) {
    const cells = [
      `\`${f.module}@${f.version}\`${f.held ? " (held)" : ""}`,
      `${f.id} (${f.aliases.join(", ")}): ${f.summary}`,
      f.reachable ? "reachable" : "present",
      f.fixed ?? "no fix",
      packagesLabel(f),
      f.leaves.join(", "),
    ].map((c) => c.replace(/\|/g, "\\|").replace(/\n/g, " "));
    out.push(`| ${cells.join(" | ")} |`);
  }
  return out.join("\n") + "\n";
}

/** The change report's section: the findings this regeneration fixes and introduces. */
export function renderAuditChange(change: { readonly database: string; readonly fixed: readonly Finding[]; readonly introduced: readonly Finding[]; readonly now: number }): string {
  const row = (f: Finding) => `| ${f.id} | \`${f.module}@${f.version}\` | ${f.reachable ? "reachable" : "present"} | ${f.leaves.join(", ")} |`;
  const table = (title: string, list: readonly Finding[]) =>
    list.length === 0 ? [`${title}: none.`, ""] : [`${title} (${list.length}):`, "", "| finding | module | status | leaves |", "|---|---|---|---|", ...list.map(row), ""];
  return ["", "### Vulnerabilities", "", `Database: ${change.database}; ${change.now} findings now.`, "", ...table("Fixed by this change", change.fixed), ...table("Introduced by this change", change.introduced)].join("\n");
}
