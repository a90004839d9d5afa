/**
 * Verification of computed go.sum hashes against the checksum database, for
 * module versions no leaf's go.sum covers: skipped exactly when cmd/go skips
 * the database (GOSUMDB=off, a GONOSUMDB/GOPRIVATE match), otherwise the
 * database's authenticated lines must agree with both hashes.
 */
import { join } from "node:path";
import { GosetError } from "../errors.js";
import type { GoSettings } from "../env/goenv.js";
import { matchPrefixPatterns } from "../env/patterns.js";
import { moduleKey, type ModuleVersion } from "../types.js";
import { createHttpSetup, type HttpSetup, type HttpSetupOptions } from "../proxy/agent.js";
import { createSumdbClient, type SumdbClient } from "./client.js";
import { parseGoSumdb } from "./config.js";

export interface SumdbVerifierOptions extends HttpSetupOptions {
  /** Where the latest signed tree of each database is kept. Default `<settings.cacheDir>/sumdb`. */
  readonly cacheDir?: string;
  /** A set-up shared with the module proxy client; its settings then replace the others, and its creator closes it. */
  readonly http?: HttpSetup;
}

export interface SumdbHashes {
  /** `h1:` of the module zip; absent for modules whose zip is never fetched. */
  readonly sum?: string;
  /** `h1:` of the go.mod file. */
  readonly goModSum: string;
}

export type SumdbResult = "sumdb" | "skipped";

export interface SumdbVerifier {
  /**
   * "sumdb" when the database's authenticated record holds both hashes,
   * "skipped" when GOSUMDB=off or the path matches GONOSUMDB (or GOPRIVATE).
   * Rejects with GOSET_SUMDB when the database disagrees or its answer does
   * not authenticate, with GOSET_PROXY_* when it cannot be reached.
   */
  verify(m: ModuleVersion, hashes: SumdbHashes): Promise<SumdbResult>;
  close(): Promise<void>;
}

const SAFE_ELEMENT = /^[A-Za-z0-9._~+-]+$/;

function validateModule(m: ModuleVersion): void {
  const pathOk = m.path.split("/").every((e) => SAFE_ELEMENT.test(e) && e !== "." && e !== "..");
  if (!pathOk) {
    throw new GosetError("GOSET_PATH_INVALID", `invalid module path ${JSON.stringify(m.path)}`, {
      hint: "Module paths are slash-separated elements of letters, digits and '-._~'.",
    });
  }
  if (!SAFE_ELEMENT.test(m.version) || !m.version.startsWith("v")) {
    throw new GosetError("GOSET_VERSION_INVALID", `${m.path}@${m.version}: not a module version`, {
      hint: "Use a canonical semantic version with the v prefix, e.g. v1.2.3.",
    });
  }
}

/** Compares one computed hash with the database's line for it, as cmd/go's checkSumDB does. */
function checkLine(m: ModuleVersion, lines: readonly string[], db: string, goMod: boolean, computed: string): void {
  const version = goMod ? `${m.version}/go.mod` : m.version;
  const noun = goMod ? "go.mod" : "module zip";
  const prefix = `${m.path} ${version} h1:`;
  if (lines.includes(`${m.path} ${version} ${computed}`)) return;
  const line = lines.find((l) => l.startsWith(prefix));
  if (line !== undefined) {
    throw new GosetError(
      "GOSET_SUMDB",
      `${moduleKey(m)}: SECURITY ERROR: ${noun} checksum mismatch: computed ${computed}, checksum database ${db} has ${line.slice(prefix.length - 3)}`,
      {
        hint:
          "The bits do not match the ones the checksum database recorded: they may have been replaced on the " +
          "origin server or the proxy, or the download was intercepted. Do not use this module version; see 'go help module-auth'.",
      },
    );
  }
  throw new GosetError("GOSET_SUMDB", `${moduleKey(m)}: SECURITY ERROR: ${noun} checksum missing from checksum database ${db}'s record`, {
    hint: "The database's record for this version lacks the line; the database or its mirror misbehaved. Retry later or report it.",
  });
}

export function createSumdbVerifier(settings: GoSettings, options: SumdbVerifierOptions = {}): SumdbVerifier {
  let client: SumdbClient | undefined;
  let ownHttp: HttpSetup | undefined;
  const clientFor = (): SumdbClient => {
    if (client !== undefined) return client;
    const config = parseGoSumdb(settings.gosumdb);
    if (config.kind === "off") throw new GosetError("GOSET_INTERNAL", "checksum database client requested with GOSUMDB=off");
    const http = options.http ?? (ownHttp = createHttpSetup(settings.netrcPath, options));
    client = createSumdbClient(config, settings, { cacheDir: options.cacheDir ?? join(settings.cacheDir, "sumdb"), http });
    return client;
  };

  return {
    async verify(m, hashes) {
      if (settings.gosumdb === "off" || matchPrefixPatterns(settings.gonosumdb, m.path)) return "skipped";
      validateModule(m);
      const db = clientFor();
      const lines = await db.lookup(m);
      if (hashes.sum !== undefined) checkLine(m, lines, db.name, false, hashes.sum);
      checkLine(m, lines, db.name, true, hashes.goModSum);
      return "sumdb";
    },
    close: async () => {
      await ownHttp?.close();
    },
  };
}
