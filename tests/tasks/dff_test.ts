import { equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { cosegSet } from "../pipeline/_coseg_set.ts";
import { runTask } from "./_run_task.ts";

Deno.test("dff CLI: writes a run folder and prints its report; bad options exit 2, a failure 1", async () => {
  const dir = await Deno.makeTempDir();
  const set = await cosegSet(dir, 3, { size: 96 });
  const broken = join(dir, "broken");
  await Deno.mkdir(broken);
  await Deno.writeTextFile(join(broken, "a.png"), "not a png");
  const ok0 = await runTask("dff", [
    set.images,
    "--masks",
    set.masks,
    "--k",
    "2",
    "--max-iter",
    "20",
    "--out",
    join(dir, "runs"),
  ]);
  equal(ok0.code, 0, ok0.stderr);
  ok(ok0.stdout.trim().endsWith("report.html"), ok0.stdout);
  match(ok0.stderr, /features \(mixed7\): 3 in/);
  match(ok0.stderr, /nmf: \d+ iterations .* mean Jaccard [\d.]+/);
  for (
    const [args, msg, code] of [
      [[set.images, "--k", "0"], /^dff: --k must be an integer >= 1, got "0"/, 2],
      [[set.images, "--layer", "conv9"], /^dff: --layer must be one of mixed0, /, 2],
      [[set.images, "--model", "pca"], /^dff: --model must be a list of nmf, deep-semi-nmf/, 2],
      [[], /^dff: give one image folder/, 2],
      [[join(dir, "none")], /^dff: Cannot read image folder .*none/, 2],
      [[broken, "--out", join(dir, "runs")], /^dff: No image of .*broken could be read/, 1],
    ] as const
  ) {
    const bad = await runTask("dff", [...args]);
    equal(bad.code, code, bad.stderr);
    const lines = bad.stderr.trim().split("\n").filter((l) => !l.startsWith("facet: GPU"));
    // usage errors are the only line; a failure ends the progress it printed
    if (code === 2) equal(lines.length, 1, bad.stderr);
    match(lines.at(-1)!, msg);
  }
  await Deno.remove(dir, { recursive: true });
});
