/**
 * Extra certificate authorities for https proxies and go-import pages:
 * `SSL_CERT_FILE`, the variable Go's crypto/x509 reads on Unix. Go uses it
 * instead of the system roots; update-set adds it to Node's roots, so a
 * private CA works for both go and update-set.
 */
import { readFileSync } from "node:fs";
import { GosetError } from "../errors.js";

/** The PEM text of `$SSL_CERT_FILE`, or undefined when it is unset or empty. */
export function readCaCertificates(env: NodeJS.ProcessEnv): string | undefined {
  const file = env["SSL_CERT_FILE"];
  if (file === undefined || file === "") return undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new GosetError("GOSET_ENV_INVALID", `SSL_CERT_FILE=${file}: cannot read it: ${(e as Error).message}`, {
      hint: "Point SSL_CERT_FILE at a readable PEM file of CA certificates, or unset it.",
      cause: e,
    });
  }
  if (!text.includes("-----BEGIN CERTIFICATE-----")) {
    throw new GosetError("GOSET_ENV_INVALID", `SSL_CERT_FILE=${file} holds no PEM certificate`, {
      hint: "Point SSL_CERT_FILE at a PEM file of CA certificates, or unset it.",
    });
  }
  return text;
}
