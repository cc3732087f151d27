// Does GNMF's default α = 100 (Cai's demo) suit the data as facet feeds it? Clustering of a
// Cai-format .mat (default the ORL faces at 32x32, data/ORL_32x32.mat) by GNMF over α, with the
// pixels as stored (0..255 in Cai's files) and after Cai's NormalizeFea (unit-norm samples), each
// beside plain NMF (α = 0, same multiplicative updates, same seeded random init).
// `deno run -A bench/gnmf_alpha_bench.ts [file.mat] [--alphas 0,1,10,100,1000] [--seeds 3]
//   [--max-iter 200]` prints one table: k-means (k = classes, 10 starts) on H, ACC and NMI.
import { parseArgs } from "node:util";
import { readMat } from "../data_prep/read_mat.ts";
import { clusteringAccuracy, gnmf, Gpu, kmeans, nmi } from "../mod.ts";
import { adapterLine, markdownTable } from "./_bench_utils.ts";

// A table, not a `deno bench` case: the clustering takes minutes on a CPU adapter.
if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      alphas: { type: "string", default: "0,1,10,100,1000" },
      seeds: { type: "string", default: "3" },
      "max-iter": { type: "string", default: "200" },
    },
  });
  const path = positionals[0] ?? new URL("../data/ORL_32x32.mat", import.meta.url).pathname;
  const alphas = values.alphas.split(",").map(Number);
  const [seeds, maxIter] = [Number(values.seeds), Number(values["max-iter"])];
  const mat = await readMat(path);
  const { rows: n, cols: d } = mat.matrix;
  const truth = Int32Array.from(mat.labels!);
  const classes = new Set(mat.labels).size;
  const raw = Float32Array.from(mat.matrix.data as ArrayLike<number>);
  const unit = raw.slice();
  for (let i = 0; i < n; i++) {
    const row = unit.subarray(i * d, (i + 1) * d);
    const norm = Math.hypot(...row) || 1;
    for (let j = 0; j < d; j++) row[j] /= norm;
  }
  const gpu = await Gpu.create({ log: null });
  const rows: string[][] = [];
  for (const [label, data] of [["as stored", raw], ["NormalizeFea", unit]] as const) {
    for (const alpha of alphas) {
      const acc: number[] = [];
      const nm: number[] = [];
      for (let seed = 0; seed < seeds; seed++) {
        const r = await gnmf(gpu, { data, d, n, samplesAsRows: true }, {
          rank: classes,
          alpha,
          maxIter,
          tol: 0,
          checkEvery: maxIter,
          seed,
        });
        const h = r.factors.H;
        const codes = new Float32Array(h.rows * h.cols);
        for (let i = 0; i < h.rows; i++) {
          for (let j = 0; j < h.cols; j++) codes[j * h.rows + i] = h.data[i * h.cols + j];
        }
        const { labels } = await kmeans({ data: codes, rows: n, cols: h.rows }, {
          k: classes,
          seed,
        });
        acc.push(clusteringAccuracy(truth, labels));
        nm.push(nmi(truth, labels));
      }
      const mean = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3);
      rows.push([label, alpha === 0 ? "0 (NMF)" : String(alpha), mean(acc), mean(nm)]);
      console.error(`${label} α=${alpha}: ACC ${mean(acc)}, NMI ${mean(nm)}`);
    }
  }
  console.log(
    `${adapterLine(gpu)}; ${path.split("/").at(-1)}: ${n} samples of ${d}, ${classes} classes, ` +
      `k = ${classes}, 5-NN binary graph, ${maxIter} iterations, mean of ${seeds} seeds\n`,
  );
  console.log(markdownTable(["samples", "α", "ACC", "NMI"], rows));
  gpu.destroy();
}
