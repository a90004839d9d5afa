/** Progress: one live line on a terminal, plain lines elsewhere (CI logs). */
import type { WriteStream } from "node:tty";
import { moduleKey } from "../types.js";
import type { UpdateEvent } from "../update.js";

export interface Reporter {
  onEvent: (event: UpdateEvent) => void;
  close: () => void;
}

export function createReporter(out: NodeJS.WriteStream | WriteStream, opts: { quiet: boolean }): Reporter {
  const live = out.isTTY === true && !opts.quiet;
  let phase = "";
  let total = 0;
  let done = 0;
  let zips = 0;
  let lastLine = "";
  const draw = () => {
    const line = `update-set: ${phase}${total > 0 ? ` ${done}/${total}` : ""}${zips > 0 ? `, ${zips} zips` : ""}`;
    if (line !== lastLine) out.write(`\r\x1b[K${line}`);
    lastLine = line;
  };
  return {
    onEvent(event) {
      switch (event.kind) {
        case "phase":
          phase = event.phase;
          total = event.total ?? 0;
          done = 0;
          if (live) draw();
          else if (!opts.quiet) out.write(`update-set: ${phase}${total ? ` (${total})` : ""}\n`);
          break;
        case "zip":
          zips++;
          if (live) draw();
          else if (!opts.quiet) out.write(`update-set: download ${moduleKey(event.module)}\n`);
          break;
        case "done-module":
          done++;
          if (live) draw();
          break;
        case "warning":
          if (live) out.write("\r\x1b[K");
          if (!opts.quiet) out.write(`warning: ${event.message}\n`);
          break;
        case "info":
          if (live) out.write("\r\x1b[K");
          if (!opts.quiet) out.write(`update-set: ${event.message}\n`);
          break;
        case "recovered":
          if (!opts.quiet) out.write("update-set: rolled back an interrupted run\n");
          break;
      }
    },
    close() {
      if (live) out.write("\r\x1b[K");
    },
  };
}
