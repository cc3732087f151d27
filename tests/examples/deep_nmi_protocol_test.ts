import { equal, match, ok } from "node:assert/strict";
import { runExample } from "./_run_example.ts";

const run = (args: string[]) => runExample("deep_nmi_protocol.ts", args);

Deno.test("notebook protocol: raw, semi-NMF, linear and relu deep rows with NMI per seed; bad options are one line", async () => {
  const r = await run(["--layers", "20,10", "--steps", "20", "--mu-iter", "5", "--seeds", "2"]);
  equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  match(lines[0], /^ORL_32x32\.mat: 400 samples of 1024, 40 classes, .*layers 20,10, 20 Adam/);
  equal(lines.length, 6, r.stdout);
  for (const [i, name] of ["raw pixels", "semi-NMF", "linear", "relu"].entries()) {
    match(
      lines[2 + i],
      new RegExp(`${name}.* (0|1)\\.\\d{3} ± \\d\\.\\d{3} +\\d\\.\\d{3} \\d\\.\\d{3}$`),
    );
  }
  const nmis = lines.slice(2).map((l) => Number(l.split(/\s+/).at(-1)));
  ok(nmis.every((v) => v > 0.2 && v <= 1), lines.join("\n"));
  const bad = await run(["--steps", "1.5"]);
  equal(bad.code, 2);
  match(bad.stderr, /^deep_nmi_protocol: --steps must be a whole number, got 1.5$/m);
});
