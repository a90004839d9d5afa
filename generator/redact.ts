/**
 * Credentials must never reach output: URLs lose their userinfo, and every
 * secret registered at run time (netrc passwords, URL passwords, basic-auth
 * tokens) is masked wherever it appears.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** Masks `secret` from now on; one shorter than 3 characters would mask ordinary text. */
  register(secret: string): void {
    if (secret.length >= 3) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, "$1***@");
    for (const s of this.secrets) out = out.split(s).join("***");
    return out;
  }
}

/**
 * The process's secrets. Credentials are registered where they are read
 * (netrc, GOPROXY's and GOSUMDB's userinfo, basic-auth headers), and errors
 * are redacted when they are built (GosetError, SourceFailure), in code that
 * is handed no context: both sides use this one registry. The CLI's error
 * printer is handed it.
 */
export const processSecrets = new Redactor();

export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, "$1***@");
}
