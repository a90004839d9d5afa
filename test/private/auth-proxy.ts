/**
 * A private module proxy for tests: serves a proxy tree (buildFixtureProxy's
 * layout) over https on 127.0.0.1, only below one path prefix, and only to
 * requests with the right basic auth. Everything else is 404, as a GOPROXY
 * entry that serves only private paths answers.
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { join, normalize, sep } from "node:path";

export interface AuthProxyOptions {
  readonly root: string;
  readonly tls: { readonly key: string; readonly cert: string };
  readonly user: string;
  readonly password: string;
  /** Module path prefix served, e.g. "corp.example/". */
  readonly prefix: string;
}

export interface ServedRequest {
  readonly path: string;
  readonly status: number;
  /** What the Authorization header held: "valid", "invalid" or "none". */
  readonly auth: "valid" | "invalid" | "none";
}

export interface AuthProxy {
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly requests: ServedRequest[];
  close(): Promise<void>;
}

function authOf(header: string | undefined, user: string, password: string): ServedRequest["auth"] {
  if (header === undefined) return "none";
  return header === "Basic " + Buffer.from(`${user}:${password}`).toString("base64") ? "valid" : "invalid";
}

export async function startAuthProxy(options: AuthProxyOptions): Promise<AuthProxy> {
  const requests: ServedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer(options.tls, (req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/");
    const auth = authOf(req.headers.authorization, options.user, options.password);
    const answer = (status: number, body: string | Buffer): void => {
      requests.push({ path, status, auth });
      res.writeHead(status, { "content-type": "application/octet-stream", ...(status === 401 ? { "www-authenticate": 'Basic realm="private"' } : {}) });
      res.end(body);
    };
    if (!path.startsWith("/" + options.prefix)) return answer(404, "not served here\n");
    if (auth !== "valid") return answer(401, "unauthorized\n");
    const file = normalize(join(options.root, path));
    if (!file.startsWith(options.root + sep)) return answer(404, "not found\n");
    readFile(file).then(
      (body) => answer(200, body),
      () => answer(404, "not found\n"),
    );
  });
  server.on("secureConnection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
