/**
 * `goset why MODULE|PACKAGE`: arguments and output; the answer is graph/why.ts.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readLockedSet } from "../audit.js";
import { GosetError } from "../errors.js";
import { renderWhy, whyInSet } from "../graph/why.js";
import { parseLeavesFile } from "../leaves/leavesfile.js";
import { runCommand } from "./main.js";

export const WHY_USAGE = `goset why MODULE|PACKAGE [--set DIR] [--json]
  which leaves build against the module (or the package's module) and through which
  chain of modules, which leaves' requirements selected its version (and what each
  leaf asked for), and whether a leaf holds it or a pin raises it`;

export async function whyMain(argv: readonly string[]): Promise<number> {
  return runCommand(argv, WHY_USAGE, {
    options: { set: { type: "string", default: "set" }, json: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } },
    allowPositionals: true,
  }, async ({ values, positionals }, json) => {
    const [target, ...extra] = positionals;
    if (target === undefined || extra.length > 0) throw new GosetError("GOSET_USAGE", "goset why takes one module or package path", { hint: WHY_USAGE });
    const set = await readLockedSet(values.set);
    const leavesPath = join(values.set, "leaves.yaml");
    const pins = parseLeavesFile(await readFile(leavesPath, "utf8"), leavesPath).pins;
    const answer = whyInSet(set, target, pins);
    if (json) process.stdout.write(JSON.stringify({ ok: true, ...answer }, null, 2) + "\n");
    else process.stdout.write(renderWhy(answer));
    return answer.kind === "absent" ? 1 : 0;
  });
}
