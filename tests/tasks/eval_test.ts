import { deepEqual, equal, match } from "node:assert/strict";
import { resolveTrainConfig } from "../../pipeline/train_config.ts";
import { trainRun } from "../../pipeline/train_run.ts";
import { testGpu } from "../_reference.ts";
import { reportMatchesMetrics, tinyOrl } from "../pipeline/_fixtures.ts";
import { runTask } from "./_run_task.ts";

Deno.test("eval CLI: re-evaluates a run with another split; bad options exit 2", async () => {
  const gpu = await testGpu();
  const out = await Deno.makeTempDir();
  const r = await trainRun(
    gpu,
    resolveTrainConfig([{
      source: "cli",
      values: { data: await tinyOrl(), out, rank: 6, maxIter: 20, rawPixelProbe: false },
    }]),
  );
  const again = await runTask("eval", ["--run", r.runDir, "--test-fraction", "0.5"]);
  equal(again.code, 0, again.stderr);
  equal(again.stdout.trim(), r.reportPath);
  match(again.stderr, /H: clustering accuracy [\d.]+, NMI [\d.]+/);
  const html = Deno.readTextFileSync(r.reportPath!);
  match(html, /seeded stratified split \(seed 0\), 30 train \/ 30 test/);
  const metrics = JSON.parse(Deno.readTextFileSync(`${r.runDir}/metrics.json`));
  deepEqual(reportMatchesMetrics(html, metrics), []);
  equal(JSON.parse(Deno.readTextFileSync(`${r.runDir}/config.json`)).testFraction, 0.5);
  for (
    const [args, msg, code] of [
      [["--run", r.runDir, "--rank", "3"], /^eval: Unknown option '--rank'/, 2],
      [
        ["--run", r.runDir, "--probe-c=-1"],
        /^eval: --probe-c must be a number > 0 or "auto", got "-1"/,
        2,
      ],
      [[], /^eval: --run <run dir> is required/, 2],
      [["--run", `${out}/none`], /^eval: Cannot evaluate .*none.*config\.json is unreadable/, 1],
    ] as const
  ) {
    const bad = await runTask("eval", [...args]);
    equal(bad.code, code, bad.stderr);
    const lines = bad.stderr.trim().split("\n").filter((l) => !l.startsWith("facet: GPU"));
    equal(lines.length, 1, bad.stderr);
    match(lines[0], msg);
  }
  await Deno.remove(out, { recursive: true });
});
