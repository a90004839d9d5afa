/**
 * A path leaf's directory as Nix will copy it: every symbolic link is copied
 * as a link, so one that points outside the directory (or by an absolute
 * path, which the store copy keeps verbatim) would make the build read the
 * host's files or fail in the sandbox. Such links are refused before anything
 * follows them: go reads linked files into packages, and a directory
 * replacement may run through a link.
 */
import { readdir, readlink, realpath } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { GosetError } from "../errors.js";
import { compareStrings } from "../order.js";

/** Throws GOSET_LOCAL_PATH for the first link under `root` that leaves it (version-control metadata aside). */
export async function refuseLinksOutside(leafName: string, root: string): Promise<void> {
  const realRoot = await realpath(root);
  const walk = async (dir: string): Promise<void> => {
    for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => compareStrings(a.name, b.name))) {
      const abs = join(dir, e.name);
      if (e.isDirectory() && e.name !== ".git") await walk(abs);
      else if (e.isSymbolicLink()) await checkLink(leafName, root, realRoot, abs);
    }
  };
  await walk(root);
}

async function checkLink(leafName: string, root: string, realRoot: string, link: string): Promise<void> {
  const target = await readlink(link);
  const shown = relative(root, link);
  const refuse = (why: string) =>
    new GosetError("GOSET_LOCAL_PATH", `leaf "${leafName}": ${shown} is a symbolic link to ${target}, ${why}`, {
      hint: "Nix copies a path leaf's links as they are: replace the link with the file or directory it points to, or point it inside the leaf with a relative path",
    });
  if (isAbsolute(target)) throw refuse("an absolute path the copy in the Nix store would not see");
  // A link that resolves is judged by where it ends, through any further links; a dangling one by where it points.
  const real = await realpath(link).catch(() => undefined);
  const inside = real === undefined ? isInside(root, resolve(dirname(link), target)) : isInside(realRoot, real);
  if (!inside) throw refuse("outside the leaf's directory");
}

function isInside(base: string, path: string): boolean {
  const rel = relative(base, path);
  return rel !== ".." && !rel.startsWith(".." + sep) && !isAbsolute(rel);
}
