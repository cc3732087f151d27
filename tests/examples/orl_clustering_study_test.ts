import { equal, match } from "node:assert/strict";
import { runExample } from "./_run_example.ts";

const study = (args: string[]) => runExample("orl_clustering_study.ts", args);

Deno.test("ORL clustering study: one row per model with mean ± sd, deep rows count wins; bad options are one line", async () => {
  const r = await study([
    "--seeds",
    "2",
    "--size",
    "12",
    "--rank",
    "10",
    "--deep",
    "20,10",
    "--max-iter",
    "5",
  ]);
  equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  match(lines[0], /^ORL 400 faces at 12x12, 40 people, final size 10, 2 seeds, 5 iterations/);
  match(lines[1], /^model +ACC +NMI +seeds beating semi-NMF/);
  const num = "0\\.\\d{3} ± 0\\.\\d{3}";
  for (const [i, name] of ["NMF \\(MU\\)", "GNMF", "semi-NMF"].entries()) {
    match(lines[2 + i], new RegExp(`^${name} +${num} +${num}$`));
  }
  match(lines[5], new RegExp(`^Deep Semi-NMF \\[20, 10\\] +${num} +${num} +[0-2]/2, [0-2]/2$`));
  equal(lines.length, 6);

  for (const bad of [["--seeds", "0"], ["--deep", "20,12"]]) {
    const b = await study(bad);
    equal(b.code, 2);
    match(b.stderr, /^orl_clustering_study: --(seeds|deep) /m);
  }
});
