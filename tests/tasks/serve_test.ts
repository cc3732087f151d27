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

Deno.test("serve CLI: a port in use is one line naming it and the fix, exit 1", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (taken.addr as Deno.NetAddr).port;
    const r = await runTask("serve", ["--port", String(port)]);
    equal(r.code, 1, r.stderr);
    equal(
      r.stderr,
      `serve: port ${port} on 127.0.0.1 is in use: pass another --port (0 picks a free one)\n`,
    );
  } finally {
    taken.close();
  }
});
