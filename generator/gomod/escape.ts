/**
 * Case-escaping of module paths and versions, as the proxy protocol and the
 * module cache spell them: every uppercase letter becomes `!` + lowercase.
 */
function escapeCase(s: string): string {
  return s.replace(/[A-Z]/g, (c) => "!" + c.toLowerCase());
}

export function unescapeCase(s: string): string | undefined {
  if (/[A-Z]/.test(s) || /![^a-z]|!$/.test(s)) return undefined;
  return s.replace(/!([a-z])/g, (_, c: string) => c.toUpperCase());
}

export const escapePath = escapeCase;
export const escapeVersion = escapeCase;
