#!/usr/bin/env node
// Runs the TypeScript source directly through tsx, so there is no build step to forget.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../generator/cli/goset.ts");
process.exitCode = await main(process.argv.slice(2));
