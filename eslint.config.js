// eslint's settings for goset (`npm run lint`): eslint's and typescript-eslint's
// recommended rules, type-checked, over generator/, test/, scripts/ and bin/
// (about 20 s). The Nix files' check is test/nix/parse.test.ts.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  { ignores: ["node_modules/", "set/", "examples/", "docs/", "templates/"] },
  {
    files: ["**/*.ts", "**/*.js"],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The zip, note and tlog parsers match control characters on purpose (Go's rules for names and notes).
      "no-control-regex": "off",
      // `async` also turns a synchronous throw into a rejection, which callers of async interfaces rely on.
      "@typescript-eslint/require-await": "off",
      // Destructuring a key out with `...rest` is how a key is dropped from a copy.
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }],
      "@typescript-eslint/prefer-promise-reject-errors": [
        "error",
        // @types/node builds ExecFileException with Omit<>, which hides that it is an Error.
        { allow: [{ from: "package", package: "child_process", name: "ExecFileException" }] },
      ],
    },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      // vitest's asymmetric matchers (expect.stringContaining, expect.objectContaining, ...) are typed any.
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
    },
  },
  {
    // bin/*.js and this file are plain JavaScript outside tsconfig.json: no type information.
    files: ["**/*.js"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: "readonly" } },
  },
);
