// Applies a plan to a set directory and kills itself with SIGKILL after N renames.
import { applyPlan } from "../../generator/write/setdir.js";

const [dir, planJson, after] = process.argv.slice(2) as [string, string, string];
const plan = JSON.parse(planJson) as { write: [string, string][]; remove: string[] };
await applyPlan(dir, { write: new Map(plan.write), remove: plan.remove }, {
  afterRename: async (i) => {
    if (i + 1 >= Number(after)) process.kill(process.pid, "SIGKILL");
  },
});
