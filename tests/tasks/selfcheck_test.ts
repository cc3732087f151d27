import { equal, match } from "node:assert/strict";
import { runTask } from "./_run_task.ts";

Deno.test("selfcheck CLI: names the adapter and passes its GEMM check with its own permissions", async () => {
  const r = await runTask("selfcheck", []);
  equal(r.code, 0, r.stderr);
  match(r.stdout + r.stderr, /GEMM 256x256x256: max abs error vs float64 CPU \d\.\d\de-\d+/);
});
