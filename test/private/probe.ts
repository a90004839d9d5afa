/**
 * Asks update-set's module source about modules, as a script (so it can run
 * inside a network namespace): `node --import tsx probe.ts <path>...` prints
 * one JSON object { path: { versions | versionsError, latest | latestError } }
 * with the Go settings of the environment.
 */
import { readGoSettings } from "../../generator/env/goenv.js";
import { isGosetError } from "../../generator/errors.js";
import { createModuleProxy } from "../../generator/proxy/client.js";

const describe = (e: unknown): string => (isGosetError(e) ? `${e.code}: ${e.message}` : String(e));
const proxy = createModuleProxy(await readGoSettings(process.env), { retries: 0 });
const out: Record<string, unknown> = {};
try {
  for (const path of process.argv.slice(2)) {
    const [versions, latest] = await Promise.allSettled([proxy.listVersions(path), proxy.latest(path)]);
    out[path] = {
      ...(versions.status === "fulfilled" ? { versions: versions.value } : { versionsError: describe(versions.reason) }),
      ...(latest.status === "fulfilled" ? { latest: latest.value } : { latestError: describe(latest.reason) }),
    };
  }
} finally {
  await proxy.close();
}
process.stdout.write(JSON.stringify(out) + "\n");
