/**
 * A directory of OSV files laid out as vuln.go.dev serves the database
 * (index/db.json, index/modules.json, ID/<id>.json): what govulncheck's
 * -db file:// and goset audit's --vulndb URL read.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

export async function writeVulndbLayout(osvDir: string, out: string): Promise<void> {
  await mkdir(join(out, "index"), { recursive: true });
  await mkdir(join(out, "ID"), { recursive: true });
  const modules = new Map<string, { id: string; modified: string; fixed?: string }[]>();
  let newest = "";
  for (const name of (await readdir(osvDir)).filter((n) => n.endsWith(".json")).sort()) {
    const text = await readFile(join(osvDir, name), "utf8");
    const entry = JSON.parse(text) as { id: string; modified?: string; affected?: { package: { name: string }; ranges?: { events: { fixed?: string }[] }[] }[] };
    await writeFile(join(out, "ID", `${entry.id}.json`), text);
    const modified = entry.modified ?? "";
    if (modified > newest) newest = modified;
    for (const a of entry.affected ?? []) {
      const fixed = (a.ranges ?? []).flatMap((r) => r.events.flatMap((e) => (e.fixed === undefined ? [] : [e.fixed]))).pop();
      modules.set(a.package.name, [...(modules.get(a.package.name) ?? []), { id: entry.id, modified, ...(fixed === undefined ? {} : { fixed }) }]);
    }
  }
  await writeFile(join(out, "index", "db.json"), JSON.stringify({ modified: newest }));
  await writeFile(join(out, "index", "modules.json"), JSON.stringify([...modules].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, vulns]) => ({ path, vulns }))));
}
