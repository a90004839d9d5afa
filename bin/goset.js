#!/usr/bin/env -S node --max-old-space-size=1024 --max-semi-space-size=2
import { run } from "./run-ts.js";

await run("generator/cli/goset.ts");
