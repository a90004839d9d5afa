/** Real loopback HTTP(S) servers for the proxy client tests. */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { GoSettings } from "../../generator/env/goenv.js";

export interface RecordedRequest {
  readonly url: string;
  readonly authorization: string | undefined;
  /** process.hrtime.bigint() when the request arrived. */
  readonly at: bigint;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, index: number) => void;

export interface TestServer {
  /** Base URL without a trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** How many TCP connections were accepted. */
  connections(): number;
  close(): Promise<void>;
}

export interface TlsMaterial {
  readonly key: string;
  readonly cert: string;
}

export async function startServer(handler: Handler, tls?: TlsMaterial): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  let connections = 0;
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    requests.push({ url: req.url ?? "", authorization: req.headers.authorization, at: process.hrtime.bigint() });
    handler(req, res, requests.length - 1);
  };
  const server = tls === undefined ? http.createServer(listener) : https.createServer(tls, listener);
  server.on(tls === undefined ? "connection" : "secureConnection", () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls === undefined ? "http" : "https"}://127.0.0.1:${port}`,
    port,
    requests,
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Serves exact paths with 200 and everything else with 404. */
export function routes(files: Record<string, string | Buffer>): Handler {
  return (req, res) => {
    const body = files[req.url ?? ""];
    if (body === undefined) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end(`not found: ${req.url}`);
      return;
    }
    res.writeHead(200, { "content-length": String(Buffer.byteLength(body)) });
    res.end(body);
  };
}

/** A self-signed certificate for 127.0.0.1. */
export async function makeCertificate(): Promise<TlsMaterial> {
  const dir = await mkdtemp(join(tmpdir(), "goset-cert-"));
  try {
    await promisify(execFile)("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "2",
      "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
    ]);
    return { key: await readFile(join(dir, "key.pem"), "utf8"), cert: await readFile(join(dir, "cert.pem"), "utf8") };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function settingsFor(goproxy: string, extra: Partial<GoSettings> = {}): GoSettings {
  return {
    goproxy,
    gonoproxy: "",
    gonosumdb: "",
    goprivate: "",
    gosumdb: "sum.golang.org",
    goinsecure: "",
    goflags: "",
    netrcPath: join(tmpdir(), "goset-no-such-netrc"),
    cacheDir: join(tmpdir(), "goset-cache-unused"),
    ...extra,
  };
}
