// Which representation clusters the ORL identities best? NMF, GNMF (Cai et al.), semi-NMF and
// Deep Semi-NMF (Trigeorgis et al.) with the same final size, each fitted with several seeds;
// k-means (40 clusters, 10 starts) on the last H; accuracy and NMI as mean ± sd, and how often
// each deep model beats semi-NMF fitted with the same seed.
// deno run -A examples/orl_clustering_study.ts [--seeds 10] [--size 32] [--rank 40]
//   [--deep 80,40;120,40] [--max-iter 200]
// Semi-NMF is Deep Semi-NMF with one layer (same unit-norm samples, same code path); NMF and
// GNMF (k = 5 binary kNN graph, α = 100 as in Cai's demo) start from seeded random factors.
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  clusteringAccuracy,
  deepSemiNmf,
  gnmf,
  Gpu,
  type HostMatrix,
  kmeans,
  nmf,
  nmi,
  openDataset,
  prepDataset,
} from "../mod.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    seeds: { type: "string", default: "10" },
    size: { type: "string", default: "32" },
    rank: { type: "string", default: "40" },
    deep: { type: "string", default: "80,40;120,40" },
    "max-iter": { type: "string", default: "200" },
  },
});
const [seeds, size, rank, iters] = [values.seeds, values.size, values.rank, values["max-iter"]].map(
  Number,
);
const deep = values.deep.split(";").filter((s) => s).map((s) => s.split(",").map(Number));
for (const [name, v] of [["--seeds", seeds], ["--size", size], ["--rank", rank]] as const) {
  if (!(Number.isInteger(v) && v >= 1)) {
    console.error(`orl_clustering_study: ${name} must be a positive integer`);
    Deno.exit(2);
  }
}
if (!(Number.isInteger(iters) && iters >= 0)) {
  console.error("orl_clustering_study: --max-iter must be a whole number");
  Deno.exit(2);
}
if (deep.some((l) => l.at(-1) !== rank || l.some((k) => !(Number.isInteger(k) && k >= 1)))) {
  console.error(
    `orl_clustering_study: --deep must be layer lists ending in --rank ${rank}, e.g. ` +
      `"${2 * rank},${rank};${3 * rank},${rank}"`,
  );
  Deno.exit(2);
}

const faces = fileURLToPath(new URL("../data/att_faces", import.meta.url));
const cache = await Deno.makeTempDir({ prefix: "facet-orl-" });
await prepDataset(faces, { out: cache, size: { width: size, height: size }, log: null });
const ds = await openDataset(cache, { log: null });
const input = { data: ds.rows(0, ds.n), d: ds.d, n: ds.n, samplesAsRows: true };
const truth = ds.labelColumn("class").codes;
const classes = new Set(truth).size;
const gpu = await Gpu.create();

/** k-means on the columns of H (samples), scored against the identities. */
async function score(h: HostMatrix): Promise<[number, number]> {
  const rows = new Float32Array(h.rows * h.cols);
  for (let i = 0; i < h.rows; i++) {
    for (let j = 0; j < h.cols; j++) rows[j * h.rows + i] = h.data[i * h.cols + j];
  }
  const { labels } = await kmeans({ data: rows, rows: h.cols, cols: h.rows }, { k: classes });
  return [clusteringAccuracy(truth, labels), nmi(truth, labels)];
}

const fit = { maxIter: iters, tol: 1e-5 };
const models: [string, (seed: number) => Promise<HostMatrix>][] = [
  [
    "NMF (MU)",
    async (seed) => (await nmf(gpu, input, { rank, init: "random", seed, ...fit })).factors.H,
  ],
  [
    "GNMF",
    async (seed) =>
      (await gnmf(gpu, input, { rank, alpha: 100, init: "random", seed, ...fit })).factors.H,
  ],
  ...[[rank], ...deep].map((layers): [string, (seed: number) => Promise<HostMatrix>] => [
    layers.length === 1 ? "semi-NMF" : `Deep Semi-NMF [${layers.join(", ")}]`,
    async (seed) =>
      (await deepSemiNmf(gpu, input, { layers, seed, pretrainMaxIter: iters, ...fit })).factors
        .H.at(-1)!,
  ]),
];

const stats = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(xs.length - 1, 1));
  return `${mean.toFixed(3)} ± ${sd.toFixed(3)}`;
};
console.log(
  `ORL ${ds.n} faces at ${size}x${size}, ${classes} people, final size ${rank}, ${seeds} seeds, ` +
    `${iters} iterations per phase`,
);
const results = new Map<string, [number, number][]>();
for (const [name, run] of models) {
  const t0 = performance.now();
  const per: [number, number][] = [];
  for (let seed = 0; seed < seeds; seed++) per.push(await score(await run(seed)));
  results.set(name, per);
  console.error(`${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const semi = results.get("semi-NMF")!;
const pad = Math.max(...models.map(([name]) => name.length));
console.log(
  `${"model".padEnd(pad)}  ACC            NMI            seeds beating semi-NMF (ACC, NMI)`,
);
for (const [name, per] of results) {
  const wins = name.startsWith("Deep")
    ? `${per.filter(([a], s) => a > semi[s][0]).length}/${seeds}, ${
      per.filter(([, b], s) => b > semi[s][1]).length
    }/${seeds}`
    : "";
  const line = `${name.padEnd(pad)}  ${stats(per.map(([a]) => a))}  ${
    stats(per.map(([, b]) => b))
  }  ${wins}`;
  console.log(line.trimEnd());
}
ds.close();
gpu.destroy();
await Deno.remove(cache, { recursive: true });
