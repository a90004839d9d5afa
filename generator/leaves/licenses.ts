/**
 * SPDX licence identifiers and their names in nixpkgs' `lib.licenses`, read
 * from nix/licenses.json (the host package base builds its lib.licenses from
 * the same file).
 */
import table from "../../nix/licenses.json" with { type: "json" };

interface License {
  readonly nixpkgs: string;
  readonly free: boolean;
}

const licenses: Readonly<Record<string, License>> = table;

/** The `lib.licenses` attribute name for an SPDX identifier, if goset knows it. */
export function nixpkgsLicense(spdxId: string): string | undefined {
  return Object.hasOwn(licenses, spdxId) ? licenses[spdxId]?.nixpkgs : undefined;
}
