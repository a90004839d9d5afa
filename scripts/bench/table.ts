/**
 * One Markdown table per section: each figure beside its reference, the
 * ratio, the target and whether it was met.
 */

export type Verdict = "met" | "missed" | "n/a" | "";

export interface Row {
  readonly measure: string;
  readonly goset: string;
  readonly reference: string;
  readonly ratio: string;
  readonly target: string;
  readonly result: Verdict;
}

export interface Section {
  readonly title: string;
  readonly rows: readonly Row[];
  /** Lines printed under the table (method details, what a run did). */
  readonly notes: readonly string[];
}

export function renderSection(s: Section): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const lines = [`### ${s.title}`, "", "| measure | goset | reference | ratio | target | result |", "|---|---|---|---|---|---|"];
  for (const r of s.rows) lines.push(`| ${[r.measure, r.goset, r.reference, r.ratio, r.target, r.result].map(cell).join(" | ")} |`);
  if (s.notes.length > 0) lines.push("", ...s.notes.map((n) => `- ${n}`));
  return lines.join("\n") + "\n";
}

/** The targets of every section in one table, for the end of the output. */
export function renderTargets(sections: readonly Section[]): string {
  const lines = ["### Targets", "", "| section | target | figure | result |", "|---|---|---|---|"];
  for (const s of sections) {
    const section = s.title.split(" ")[0]?.replace(/\.$/, "") ?? "";
    for (const r of s.rows) if (r.target !== "" && r.target !== "—") lines.push(`| ${section} | ${r.target} | ${r.goset} | ${r.result} |`);
  }
  return lines.join("\n") + "\n";
}

export function formatSeconds(s: number): string {
  return s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`;
}

export function formatMegabytes(kib: number | undefined): string {
  return kib === undefined ? "n/a" : `${((kib * 1024) / 1e6).toFixed(0)} MB`;
}

export function formatRatio(a: number, b: number): string {
  return b > 0 ? (a / b).toFixed(2) : "n/a";
}

export function formatPercent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : "n/a";
}

export function verdict(ok: boolean): Verdict {
  return ok ? "met" : "missed";
}
