// The protocol of Trigeorgis et al.'s notebook (trigeorgis/Deep-Semi-NMF) on any Cai-format .mat
// (a data matrix fea or X, samples as rows, and labels gnd): samples scaled to unit L2 norm,
// k-means with k = the classes on the last H, NMI, over several seeds, for raw pixels, semi-NMF
// (one layer of the last size), the authors' linear MATLAB Deep Semi-NMF and their non-linear
// Python one (relu between layers, H = relu(H̃), Adam at lr 1e-3 for 1000 full-batch steps). Both
// deep models pretrain layer by layer with the authors' SVD-based approximate semi-NMF; the
// MATLAB model then runs its own semi-NMF iterations and sweeps.
// deno run -A examples/deep_nmi_protocol.ts [data/ORL_32x32.mat] [--layers 400,100]
//   [--steps 1000] [--mu-iter 100] [--seeds 5] [--first-seed 0] [--only semi,relu] (rows whose
//   name has a part); seeds run from --first-seed, so a long study can be split across runs
import { parseArgs } from "node:util";
import { deepSemiNmf, Gpu, type HostMatrix, kmeans, nmi } from "../mod.ts";
import { readMat } from "../data_prep/read_mat.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    layers: { type: "string", default: "400,100" },
    steps: { type: "string", default: "1000" },
    "mu-iter": { type: "string", default: "100" },
    seeds: { type: "string", default: "5" },
    "first-seed": { type: "string", default: "0" },
    only: { type: "string" },
  },
});
const path = positionals[0] ?? new URL("../data/ORL_32x32.mat", import.meta.url).pathname;
const layers = values.layers.split(",").map(Number);
const [steps, muIter, seeds, firstSeed] = [
  values.steps,
  values["mu-iter"],
  values.seeds,
  values["first-seed"],
].map(Number);
for (
  const [name, v] of [
    ["--steps", steps],
    ["--mu-iter", muIter],
    ["--seeds", seeds],
    ["--first-seed", firstSeed],
  ] as const
) {
  if (!(Number.isInteger(v) && v >= 0)) {
    console.error(`deep_nmi_protocol: ${name} must be a whole number, got ${v}`);
    Deno.exit(2);
  }
}
if (layers.some((k) => !(Number.isInteger(k) && k >= 1))) {
  console.error(`deep_nmi_protocol: --layers must be positive integers, e.g. 400,100`);
  Deno.exit(2);
}
let mat;
try {
  mat = await readMat(path);
} catch (e) {
  console.error(`deep_nmi_protocol: ${(e as Error).message}`);
  Deno.exit(1);
}
if (!mat.labels) {
  console.error(`deep_nmi_protocol: ${path} has no label variable (gnd); it is needed for NMI`);
  Deno.exit(1);
}
const { rows: n, cols: d } = mat.matrix;
const truth = Int32Array.from(mat.labels);
const classes = new Set(mat.labels).size;
// Samples as rows, each scaled to unit L2 norm (the notebook's normalize(X)).
const x = new Float32Array(n * d);
for (let i = 0; i < n; i++) {
  let s = 0;
  for (let j = 0; j < d; j++) s += Number(mat.matrix.data[i * d + j]) ** 2;
  const norm = Math.sqrt(s) || 1;
  for (let j = 0; j < d; j++) x[i * d + j] = Number(mat.matrix.data[i * d + j]) / norm;
}
const input = { data: x, d, n, samplesAsRows: true };
const gpu = await Gpu.create();

/** NMI of k-means (k = classes) on the samples of `rows` (n x f). */
async function score(rows: Float32Array, f: number, seed: number): Promise<number> {
  const { labels } = await kmeans({ data: rows, rows: n, cols: f }, { k: classes, seed });
  return nmi(truth, labels);
}
/** H (k x n) to samples as rows. */
function samples(h: HostMatrix): Float32Array {
  const out = new Float32Array(h.rows * h.cols);
  for (let i = 0; i < h.rows; i++) {
    for (let j = 0; j < h.cols; j++) out[j * h.rows + i] = h.data[i * h.cols + j];
  }
  return out;
}
const last = async (options: Parameters<typeof deepSemiNmf>[2]) =>
  (await deepSemiNmf(gpu, input, { normalize: false, tol: 0, ...options })).factors.H.at(-1)!;

const models: [string, (seed: number) => Promise<number>][] = [
  ["raw pixels", (seed) => score(x, d, seed)],
  [
    `semi-NMF [${layers.at(-1)}]`,
    async (seed) => {
      const h = await last({
        layers: [layers.at(-1)!],
        pretrainInit: "svd",
        pretrainMaxIter: muIter,
        maxIter: 0,
        seed,
      });
      return await score(samples(h), h.rows, seed);
    },
  ],
  [
    `Deep Semi-NMF, linear (MATLAB) [${layers}]`,
    async (seed) => {
      const h = await last({
        layers,
        pretrainInit: "svd",
        pretrainMaxIter: muIter,
        maxIter: muIter,
        seed,
      });
      return await score(samples(h), h.rows, seed);
    },
  ],
  [
    `Deep Semi-NMF, relu + Adam (Python) [${layers}]`,
    async (seed) => {
      const h = await last({
        layers,
        pretrainInit: "svd",
        pretrainMaxIter: 0,
        optimizer: "adam",
        activation: "relu",
        lr: 1e-3,
        maxIter: steps,
        checkEvery: Math.max(steps, 1),
        seed,
      });
      return await score(samples(h), h.rows, seed);
    },
  ],
];

console.log(
  `${path.split("/").at(-1)}: ${n} samples of ${d}, ${classes} classes, unit-norm samples, ` +
    `layers ${layers}, ${steps} Adam steps, ${muIter} MU iterations per phase, seeds ${firstSeed}..${
      firstSeed + seeds - 1
    }`,
);
const only = values.only?.split(",");
const rows = models.filter(([name]) => !only || only.some((part) => name.includes(part)));
const pad = Math.max(...rows.map(([name]) => name.length));
console.log(`${"representation".padEnd(pad)}  NMI (mean ± sd)  per seed`);
for (const [name, run] of rows) {
  const t0 = performance.now();
  const per: number[] = [];
  for (let seed = firstSeed; seed < firstSeed + seeds; seed++) per.push(await run(seed));
  const mean = per.reduce((a, b) => a + b, 0) / per.length;
  const sd = Math.sqrt(per.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(per.length - 1, 1));
  console.log(
    `${name.padEnd(pad)}  ${mean.toFixed(3)} ± ${sd.toFixed(3)}   ${
      per.map((v) => v.toFixed(3)).join(" ")
    }`,
  );
  console.error(`${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
gpu.destroy();
