// MU vs HALS vs projected gradient vs ALS on the ORL faces: loss against wall time, one SVG.
// deno run -A examples/solver_comparison.ts [out.svg]
// Every solver starts from the same NNDSVDA init and runs in 10-iteration stretches, timed.
import { fileURLToPath } from "node:url";
import { Gpu, lossCurveSvg, nmf, type NmfSolver, openDataset, prepDataset } from "../mod.ts";

const out = Deno.args[0] ?? "solver_comparison.svg";
const faces = fileURLToPath(new URL("../data/att_faces", import.meta.url));
const cache = await Deno.makeTempDir({ prefix: "facet-orl-" });
await prepDataset(faces, { out: cache, size: { width: 32, height: 32 }, log: null });
const ds = await openDataset(cache, { log: null });
const input = { data: ds.rawRows(0, ds.n), d: ds.d, n: ds.n, samplesAsRows: true };
const gpu = await Gpu.create();
const rank = 40;
const start = (await nmf(gpu, input, { rank, maxIter: 0 })).factors;
const seconds = Number(Deno.env.get("SECONDS_PER_SOLVER") ?? 8);
const series = [];
for (const [name, solver] of [["MU", "mu"], ["HALS", "cd"], ["PGD", "pgd"], ["ALS", "als"]]) {
  let { W, H } = start;
  const x = [0];
  const values: number[] = [];
  let elapsed = 0;
  while (elapsed < seconds) {
    const t0 = performance.now();
    const r = await nmf(gpu, input, {
      rank,
      solver: solver as NmfSolver,
      init: "custom",
      W,
      H,
      maxIter: 10,
      tol: 0,
    });
    elapsed += (performance.now() - t0) / 1000;
    if (values.length === 0) values.push(r.loss[0]);
    values.push(r.loss.at(-1)!);
    x.push(elapsed);
    ({ W, H } = r.factors);
  }
  console.log(
    `${name}: error ${values.at(-1)!.toFixed(3)} after ${(x.length - 1) * 10} iterations`,
  );
  series.push({ name, values, x });
}
await Deno.writeTextFile(
  out,
  lossCurveSvg(series, {
    title: `NMF solvers on ORL 32x32, k=${rank}`,
    xLabel: "seconds",
    yLabel: "‖X − WH‖",
  }),
);
console.log(`Wrote ${out}`);
ds.close();
gpu.destroy();
await Deno.remove(cache, { recursive: true });
