/**
 * Signed notes (golang.org/x/mod/sumdb/note): a text ending in a newline, an
 * empty line, then signature lines `— <name> <base64(keyhash[4] || sig)>`.
 * Verifier keys are `<name>+<hex keyhash>+<base64(alg || public key)>`; the
 * only algorithm is Ed25519 (alg 1), and the key hash is the first four bytes
 * of SHA-256(name || "\n" || alg || key).
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { decodeBase64 } from "./tlog.js";

const ALG_ED25519 = 1;
const SIG_PREFIX = "\u2014 ";
const MAX_SIGNATURES = 100;

export interface NoteVerifier {
  readonly name: string;
  readonly keyHash: number;
  /** The key as configured, for messages. */
  readonly key: string;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

export interface NoteSigner {
  readonly name: string;
  readonly keyHash: number;
  readonly privateKey: KeyObject;
}

export interface NoteSignature {
  readonly name: string;
  readonly keyHash: number;
  readonly base64: string;
}

export interface OpenedNote {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
  readonly unverified: readonly NoteSignature[];
}

export type NoteErrorKind = "malformed-key" | "malformed-note" | "invalid-signature" | "unverified";

export class NoteError extends Error {
  constructor(
    readonly kind: NoteErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "NoteError";
  }
}

/** A signer or verifier name: non-empty, no white space, no `+`. */
function isValidKeyName(name: string): boolean {
  return name !== "" && !/[\s+\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u.test(name);
}

function computeKeyHash(name: string, key: Uint8Array): number {
  return createHash("sha256").update(`${name}\n`).update(key).digest().readUInt32BE(0);
}

const hex8 = (n: number): string => n.toString(16).padStart(8, "0");

function ed25519PublicKey(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") }, format: "jwk" });
}

export function parseVerifierKey(vkey: string): NoteVerifier {
  const [name = "", hash16 = "", key64 = ""] = splitKey(vkey, 3);
  const key = decodeBase64(key64);
  if (!/^[0-9a-fA-F]{8}$/.test(hash16) || key === undefined || key.length === 0 || !isValidKeyName(name)) {
    throw new NoteError("malformed-key", `malformed verifier key ${JSON.stringify(vkey)}`);
  }
  const keyHash = parseInt(hash16, 16);
  if (keyHash !== computeKeyHash(name, key)) {
    throw new NoteError("malformed-key", `verifier key ${JSON.stringify(vkey)}: the key hash ${hash16} does not match the key`);
  }
  if (key[0] !== ALG_ED25519) throw new NoteError("malformed-key", `verifier key ${JSON.stringify(vkey)}: unknown algorithm ${key[0]}`);
  const raw = key.subarray(1);
  if (raw.length !== 32) throw new NoteError("malformed-key", `verifier key ${JSON.stringify(vkey)}: not a 32-byte Ed25519 key`);
  const publicKey = ed25519PublicKey(raw);
  return {
    name,
    keyHash,
    key: vkey,
    verify(message, signature) {
      try {
        return verify(null, message, publicKey, signature);
      } catch {
        return false;
      }
    },
  };
}

/** Splits at the first `parts - 1` plus signs, as Go's strings.Cut does one at a time. */
function splitKey(s: string, parts: number): string[] {
  const out: string[] = [];
  let rest = s;
  for (let i = 1; i < parts; i++) {
    const at = rest.indexOf("+");
    if (at < 0) {
      out.push(rest);
      rest = "";
    } else {
      out.push(rest.slice(0, at));
      rest = rest.slice(at + 1);
    }
  }
  out.push(rest);
  return out;
}

/** The verifier key string for an Ed25519 public key. */
export function formatVerifierKey(name: string, publicKey: KeyObject): string {
  if (!isValidKeyName(name)) throw new NoteError("malformed-key", `invalid key name ${JSON.stringify(name)}`);
  const x = publicKey.export({ format: "jwk" }).x;
  if (publicKey.asymmetricKeyType !== "ed25519" || typeof x !== "string") {
    throw new NoteError("malformed-key", "not an Ed25519 public key");
  }
  const key = Buffer.concat([Uint8Array.of(ALG_ED25519), Buffer.from(x, "base64url")]);
  return `${name}+${hex8(computeKeyHash(name, key))}+${key.toString("base64")}`;
}

/** A signer whose signatures verify with `formatVerifierKey(name, public key)`. */
export function createNoteSigner(name: string, privateKey: KeyObject): NoteSigner {
  const vkey = formatVerifierKey(name, createPublicKey(privateKey));
  return { name, keyHash: parseVerifierKey(vkey).keyHash, privateKey };
}

/** Signs `text` (which must end in a newline): the note's bytes. */
export function signNote(text: string, ...signers: readonly NoteSigner[]): Buffer {
  if (!text.endsWith("\n")) throw new NoteError("malformed-note", "note text must end in a newline");
  const message = Buffer.from(text, "utf8");
  const lines = signers.map((s) => {
    const sig = sign(null, message, s.privateKey);
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(s.keyHash >>> 0);
    return `${SIG_PREFIX}${s.name} ${Buffer.concat([prefix, sig]).toString("base64")}\n`;
  });
  return Buffer.concat([message, Buffer.from(`\n${lines.join("")}`, "utf8")]);
}

const fatalUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Opens a signed note with one known verifier: every signature by that key
 * must verify, at least one must be present; signatures by other keys are
 * returned as unverified.
 */
export function openNote(msg: Uint8Array, verifier: NoteVerifier): OpenedNote {
  let all: string;
  try {
    all = fatalUtf8.decode(msg);
  } catch {
    throw new NoteError("malformed-note", "malformed note: not UTF-8");
  }
  if (/[\x00-\x09\x0b-\x1f]/.test(all)) throw new NoteError("malformed-note", "malformed note: control characters");
  const split = all.lastIndexOf("\n\n");
  if (split < 0) throw new NoteError("malformed-note", "malformed note: no signature block");
  const text = all.slice(0, split + 1);
  const block = all.slice(split + 2);
  if (block === "" || !block.endsWith("\n")) throw new NoteError("malformed-note", "malformed note: bad signature block");

  const message = Buffer.from(text, "utf8");
  const signatures: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const lines = block.slice(0, -1).split("\n");
  if (lines.length > MAX_SIGNATURES) throw new NoteError("malformed-note", "malformed note: too many signatures");
  for (const line of lines) {
    if (!line.startsWith(SIG_PREFIX)) throw new NoteError("malformed-note", "malformed note: bad signature line");
    const body = line.slice(SIG_PREFIX.length);
    const space = body.indexOf(" ");
    const name = space < 0 ? body : body.slice(0, space);
    const b64 = space < 0 ? "" : body.slice(space + 1);
    const raw = decodeBase64(b64);
    if (raw === undefined || raw.length < 5 || !isValidKeyName(name)) {
      throw new NoteError("malformed-note", "malformed note: bad signature line");
    }
    const signature: NoteSignature = { name, keyHash: raw.readUInt32BE(0), base64: b64 };
    const seen = (list: readonly NoteSignature[]): boolean =>
      list.some((s) => s.name === name && s.keyHash === signature.keyHash && (list === signatures || s.base64 === b64));
    if (name !== verifier.name || signature.keyHash !== verifier.keyHash) {
      if (!seen(unverified)) unverified.push(signature);
      continue;
    }
    if (seen(signatures)) continue;
    if (!verifier.verify(message, raw.subarray(4))) {
      throw new NoteError("invalid-signature", `invalid signature for key ${name}+${hex8(signature.keyHash)}`);
    }
    signatures.push(signature);
  }
  if (signatures.length === 0) {
    const by = unverified.map((s) => `${s.name}+${hex8(s.keyHash)}`).join(", ");
    throw new NoteError("unverified", `note has no signature by ${verifier.name}+${hex8(verifier.keyHash)} (signed by ${by})`);
  }
  return { text, signatures, unverified };
}
