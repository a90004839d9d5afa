import { defineConfig } from "vitest/config";

/** Tests that start loopback servers (module proxies, checksum databases, git) or use the real Go module proxy. */
const NETWORK = [
  "test/fixture/fixture.test.ts",
  "test/gomod/gomodfile-differential.test.ts",
  "test/gomod/gosum.test.ts",
  "test/gomod/module.test.ts",
  "test/gomod/semver.test.ts",
  "test/holds/keep-going.test.ts",
  "test/modzip/real-modules.test.ts",
  "test/packages/modules-differential.test.ts",
  "test/private/git-source.test.ts",
  "test/proxy/client.test.ts",
  "test/proxy/real-proxy.test.ts",
  "test/sumdb/go-agrees.test.ts",
  "test/sumdb/real-sumdb.test.ts",
  "test/sumdb/verifier.test.ts",
  "test/update/errors.test.ts",
  "test/update/fixture-set.test.ts",
  "test/update/real-apps.test.ts",
  "test/update/report.test.ts",
  "test/vuln/audit.test.ts",
];

/** Tests that run Nix builds (nix-build in the sandbox). */
const NIX = [
  "test/holds/check.test.ts",
  "test/holds/holds.test.ts",
  "test/nix/bundled.test.ts",
  "test/nix/drop-in.test.ts",
  "test/nix/fixture-build.test.ts",
  "test/nix/leaf-package.test.ts",
  "test/nix/sandbox.test.ts",
  "test/private/direct-git.test.ts",
  "test/private/private-proxy.test.ts",
  "test/vuln/govulncheck.test.ts",
];

// `vitest run --project unit` runs the fast tests; every test file is in exactly one project,
// and one neither list names is a unit test.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
    projects: [
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: [...NETWORK, ...NIX] } },
      { extends: true, test: { name: "network", include: NETWORK } },
      { extends: true, test: { name: "nix", include: NIX } },
    ],
  },
});
