/**
 * The one order of strings for sorting: UTF-16 code units, as `<` compares.
 * It is Go's byte order for text without characters in U+E000..U+FFFF or
 * beyond U+FFFF; where the bytes are hashed (go.sum's `h1:`, NAR) modzip's
 * compareUtf8 keeps byte order instead.
 */
export function compareStrings(a: string, b: string): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A copy of `m` with its entries in key order. */
export function sortByKey<V>(m: ReadonlyMap<string, V>): Map<string, V> {
  return new Map([...m.entries()].sort(([a], [b]) => compareStrings(a, b)));
}
