import { runTask } from "./_run_task.ts";
import { equal, match } from "node:assert/strict";

Deno.test("serve CLI: --help, and a bad port is one line with exit 2", async () => {
  const help = await runTask("serve", ["--help"]);
  equal(help.code, 0);
  match(help.stdout, /^Usage: deno task serve \[--port <port>\]/);
  for (const port of ["abc", "70000", "8.5"]) {
    const r = await runTask("serve", ["--port", port]);
    equal(r.code, 2, r.stderr);
    match(r.stderr, /^serve: --port must be an integer in 0..65535, got .* \(see --help\)\n$/);
  }
});
