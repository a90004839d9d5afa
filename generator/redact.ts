/**
 * Credentials must never reach output: URLs lose their userinfo, and any
 * secret registered at run time (netrc passwords, URL passwords) is masked
 * wherever it appears.
 */
const secrets = new Set<string>();

export function registerSecret(secret: string): void {
  if (secret.length >= 3) secrets.add(secret);
}

export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, "$1***@");
}

export function redact(text: string): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, "$1***@");
  for (const s of secrets) out = out.split(s).join("***");
  return out;
}
