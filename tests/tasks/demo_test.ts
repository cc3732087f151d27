import { deepEqual, equal, match, ok } from "node:assert/strict";
import { reportMatchesMetrics } from "../pipeline/_fixtures.ts";
import { runTask } from "./_run_task.ts";

// The real demo (32x32, 200 iterations) takes ~30 s here; the suite runs the same code path
// smaller and checks that each report shows the numbers of its metrics.json.
Deno.test("demo task: ORL runs with reports whose numbers match metrics.json", async () => {
  const out = await Deno.makeTempDir();
  const r = await runTask("demo", ["--out", out, "--size", "12", "--max-iter", "20"]);
  equal(r.code, 0, r.stderr);
  match(r.stdout, /model +layer +cluster acc +NMI +probe acc +raw-pixel +majority/);
  const reports = r.stdout.split("\n").filter((l) => l.endsWith("report.html")).map((l) =>
    l.trim()
  );
  equal(reports.length, 2);
  match(reports[0], /-nmf-[0-9a-f]{8}\/report\.html$/);
  match(reports[1], /-deep-semi-nmf-[0-9a-f]{8}\/report\.html$/);
  match(r.stdout, /\ndeep-semi-nmf +H1 +[\d.]+ +[\d.]+ .*\ndeep-semi-nmf +H2 +[\d.]+/);
  for (const path of reports) {
    const dir = path.slice(0, -"/report.html".length);
    const metrics = JSON.parse(Deno.readTextFileSync(`${dir}/metrics.json`));
    deepEqual(reportMatchesMetrics(Deno.readTextFileSync(path), metrics), []);
    for (const c of metrics.clustering) {
      equal(c.k, 40);
      ok(c.nmi > 0.5, `${path} ${c.layer}: NMI ${c.nmi}`);
    }
  }
  const bad = await runTask("demo", ["--size", "3"]);
  equal(bad.code, 2);
  match(bad.stderr, /^demo: --size must be a whole number in 8\.\.112, got 3 \(see --help\)\n$/);
  const help = await runTask("demo", ["-h"]);
  match(help.stdout, /^Usage: deno task demo/);
  await Deno.remove(out, { recursive: true });
});
