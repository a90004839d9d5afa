/**
 * A git smart-HTTP server for tests: Debian's `git http-backend` (CGI)
 * behind node:http, basic auth on every git request, and public
 * `?go-get=1` pages with go-import meta tags.
 *
 * In-process: startGitServer(options). As a script (to run inside a
 * network namespace): `node --import tsx git-server.ts '<options JSON>'`
 * prints `listening <port>` and serves until killed.
 */
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { fileURLToPath } from "node:url";

export interface GitServerOptions {
  /** Directory holding the bare repositories (`<name>.git`). */
  readonly projectRoot: string;
  readonly host?: string;
  readonly port?: number;
  readonly user: string;
  readonly password: string;
  /** go-import meta contents ("prefix vcs url"), served on every `?go-get=1` page whose path they cover. */
  readonly goImports: readonly string[];
}

export interface GitServer {
  readonly port: number;
  /** Request lines with the user that authenticated ("-" for none), in order. */
  readonly log: string[];
  close(): Promise<void>;
}

const BACKEND = "/usr/lib/git-core/git-http-backend";

function metaPage(importPath: string, goImports: readonly string[]): string {
  const tags = goImports
    .filter((content) => {
      const prefix = content.split(" ")[0] ?? "";
      return importPath === prefix || importPath.startsWith(prefix + "/");
    })
    .map((content) => `<meta name="go-import" content="${content}">`);
  return `<!DOCTYPE html>\n<html><head>\n${tags.join("\n")}\n</head><body>go get ${importPath}</body></html>\n`;
}

function authorizedUser(req: IncomingMessage, options: GitServerOptions): string | undefined {
  const header = req.headers.authorization ?? "";
  if (!header.startsWith("Basic ")) return undefined;
  const [user, ...rest] = Buffer.from(header.slice(6), "base64").toString("utf8").split(":");
  return user === options.user && rest.join(":") === options.password ? user : undefined;
}

/** Runs git-http-backend for one request and relays its CGI response. */
function serveGit(req: IncomingMessage, res: ServerResponse, url: URL, user: string, projectRoot: string): void {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env["PATH"],
    GIT_PROJECT_ROOT: projectRoot,
    GIT_HTTP_EXPORT_ALL: "1",
    REQUEST_METHOD: req.method ?? "GET",
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.replace(/^\?/, ""),
    CONTENT_TYPE: req.headers["content-type"] ?? "",
    REMOTE_USER: user,
    REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
    GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
    HTTP_CONTENT_ENCODING: String(req.headers["content-encoding"] ?? ""),
  };
  if (req.headers["content-length"] !== undefined) env["CONTENT_LENGTH"] = req.headers["content-length"];
  const cgi = spawn(BACKEND, [], { env, stdio: ["pipe", "pipe", "inherit"] });
  req.pipe(cgi.stdin);
  let head = Buffer.alloc(0);
  let headersDone = false;
  cgi.stdout.on("data", (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === "status") status = Number(value.split(" ")[0]);
      else res.setHeader(name, value);
    }
    res.statusCode = status;
    res.write(head.subarray(end + 4));
  });
  cgi.on("close", () => {
    if (!headersDone) res.statusCode = 500;
    res.end();
  });
}

export async function startGitServer(options: GitServerOptions): Promise<GitServer> {
  const log: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.searchParams.get("go-get") === "1") {
      log.push(`${req.method} ${url.pathname}?go-get=1 -`);
      const host = (req.headers.host ?? "").replace(/:\d+$/, "");
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(metaPage(host + url.pathname.replace(/\/$/, ""), options.goImports));
      return;
    }
    const user = authorizedUser(req, options);
    log.push(`${req.method} ${url.pathname}${url.search} ${user ?? "-"}`);
    if (user === undefined) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="goset test git"', "content-type": "text/plain" });
      res.end("authentication required\n");
      return;
    }
    serveGit(req, res, url, user, options.projectRoot);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const options = JSON.parse(process.argv[2] ?? "{}") as GitServerOptions;
  const server = await startGitServer(options);
  process.stdout.write(`listening ${server.port}\n`);
  const stop = (): void => void server.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
