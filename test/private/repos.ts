/**
 * The git repositories the private-module tests serve, built with the real
 * git at fixed dates so every run makes the same commits.
 *
 * repo.git (go-import prefix git.goset.test/repo):
 *   v1.0.0 (annotated tag, = sub/v1.0.0 = v2.0.0) the root module with what the
 *          zip rules leave out or keep: vendor/ (modules.txt kept below go 1.24),
 *          a nested module, a symlink, an executable file, export-ignore and
 *          export-subst files (cmd/go disables both), a text eol=crlf file;
 *          sub/ (module git.goset.test/repo/sub, no LICENSE: the root one is added)
 *          and v2/ (module git.goset.test/repo/v2, tagged v2.0.0 at the root).
 *   v1.1.0 (lightweight tag) a later commit.
 * plain.git (module git.goset.test/plain.git, found through its .git qualifier):
 *   one untagged commit, used through a pseudo-version.
 */
import { execFile } from "node:child_process";
import { chmod, mkdir, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const HOST = "git.goset.test";

function gitEnv(date: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env["PATH"],
    HOME: "/nonexistent",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_AUTHOR_NAME: "goset test",
    GIT_AUTHOR_EMAIL: "test@goset.test",
    GIT_COMMITTER_NAME: "goset test",
    GIT_COMMITTER_EMAIL: "test@goset.test",
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  };
}

async function git(cwd: string, args: string[], date = "2024-03-01T10:00:00Z"): Promise<string> {
  const { stdout } = await run("git", args, { cwd, env: gitEnv(date) });
  return stdout.trim();
}

async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
}

const LICENSE = "Copyright goset tests. Permission granted to everyone.\n";

async function buildRepo(work: string): Promise<void> {
  await git(work, ["init", "-q", "-b", "main"]);
  await writeFiles(work, {
    "go.mod": `module ${HOST}/repo\n\ngo 1.22\n`,
    "repo.go": 'package repo\n\nfunc Hello() string { return "repo v1.0.0" }\n',
    LICENSE,
    ".gitattributes": "ignored.txt export-ignore\nsubst.txt export-subst\ncrlf.txt text eol=crlf\n",
    "ignored.txt": "kept: cmd/go disables export-ignore\n",
    "subst.txt": "kept verbatim: $Format:%H$\n",
    "crlf.txt": "line one\nline two\n",
    "vendor/modules.txt": "# example.com/v v1.0.0\n",
    "vendor/example.com/v/v.go": "package v\n",
    "nested/go.mod": `module ${HOST}/repo/nested\n\ngo 1.22\n`,
    "nested/nested.go": "package nested\n",
    "sub/go.mod": `module ${HOST}/repo/sub\n\ngo 1.22\n`,
    "sub/sub.go": 'package sub\n\nfunc Name() string { return "sub v1.0.0" }\n',
    "v2/go.mod": `module ${HOST}/repo/v2\n\ngo 1.22\n`,
    "v2/v2.go": 'package v2\n\nfunc Major() string { return "repo/v2 v2.0.0" }\n',
    "tool.sh": "#!/bin/sh\necho tool\n",
  });
  await chmod(join(work, "tool.sh"), 0o755);
  await symlink("repo.go", join(work, "link.go"));
  await git(work, ["add", "-A"]);
  await git(work, ["commit", "-q", "-m", "v1.0.0"]);
  await git(work, ["tag", "-a", "-m", "release v1.0.0", "v1.0.0"]);
  await git(work, ["tag", "sub/v1.0.0"]);
  await git(work, ["tag", "v2.0.0"]);
  await writeFiles(work, { "repo.go": 'package repo\n\nfunc Hello() string { return "repo v1.1.0" }\n' });
  await git(work, ["commit", "-q", "-am", "v1.1.0"], "2024-03-02T10:00:00Z");
  await git(work, ["tag", "v1.1.0"]);
}

async function buildPlain(work: string): Promise<string> {
  await git(work, ["init", "-q", "-b", "main"]);
  await writeFiles(work, {
    "go.mod": `module ${HOST}/plain.git\n\ngo 1.21\n`,
    "plain.go": 'package plain\n\nfunc Word() string { return "plain" }\n',
  });
  await git(work, ["add", "-A"]);
  await git(work, ["commit", "-q", "-m", "untagged"], "2024-03-03T04:05:06Z");
  return git(work, ["rev-parse", "HEAD"]);
}

export interface TestRepos {
  /** Holds repo.git and plain.git (bare). */
  readonly projectRoot: string;
  /** The commit of plain.git's only commit. */
  readonly plainCommit: string;
  /** go-import meta contents for the server. */
  readonly goImports: readonly string[];
}

/** Builds the repositories under `dir` (work trees in dir/work, bare repositories in dir/git). */
export async function buildTestRepos(dir: string): Promise<TestRepos> {
  const projectRoot = join(dir, "git");
  await mkdir(join(dir, "work", "repo"), { recursive: true });
  await mkdir(join(dir, "work", "plain"), { recursive: true });
  await mkdir(projectRoot, { recursive: true });
  await buildRepo(join(dir, "work", "repo"));
  const plainCommit = await buildPlain(join(dir, "work", "plain"));
  await git(dir, ["clone", "-q", "--bare", join(dir, "work", "repo"), join(projectRoot, "repo.git")]);
  await git(dir, ["clone", "-q", "--bare", join(dir, "work", "plain"), join(projectRoot, "plain.git")]);
  return { projectRoot, plainCommit, goImports: [`${HOST}/repo git http://${HOST}/repo.git`] };
}
