/**
 * Files that Nix's builders must read. Fixed-output builders run as the build
 * users (group nixbld) even when root runs nix-build, so a NETRC or
 * SSL_CERT_FILE handed to them through impureEnvVars must be readable by that
 * group: group nixbld where it exists, else world-readable.
 */
import { execFile } from "node:child_process";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Writes `parent/<dirName>/<fileName>` readable by the build users (and lets them traverse `parent`). */
export async function writeBuildUserFile(parent: string, dirName: string, fileName: string, text: string): Promise<string> {
  await chmod(parent, 0o711);
  const dir = join(parent, dirName);
  const file = join(dir, fileName);
  await mkdir(dir, { recursive: true });
  await writeFile(file, text);
  const grouped = await run("chgrp", ["nixbld", dir, file]).then(
    () => true,
    () => false,
  );
  await chmod(dir, grouped ? 0o750 : 0o755);
  await chmod(file, grouped ? 0o640 : 0o644);
  return file;
}
