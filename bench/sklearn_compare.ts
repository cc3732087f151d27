// facet's nmf against scikit-learn's NMF, side by side in one run: the same data and
// settings (solvers mu and cd, init nndsvda, tol 0, a fixed number of iterations) through
// both, printing seconds per iteration ((t(N2) − t(N1)) / (N2 − N1), so init and setup
// cancel), the final relative error ‖X − WH‖_F / ‖X‖_F after N2 iterations, and the ratios.
//
// `deno run -A bench/sklearn_compare.ts [--large]`. Data: the ORL faces (data/att_faces,
// prepared at 64x64: n=400, d=4096, k=40) and, with --large or on a hardware adapter, a
// seeded synthetic non-negative matrix n=5000, d=4096 (rank-20 product plus uniform noise,
// k=100). Data go to Python as .npy files in a temporary folder. Python is FACET_PYTHON,
// else the first of python3, /usr/bin/python3 that imports sklearn; without one, the
// comparison is skipped with a message.

import { parseArgs } from "node:util";
import { join } from "node:path";
import { openDataset } from "../data_prep/open_dataset.ts";
import { prepDataset } from "../data_prep/prep_dataset.ts";
import { Gpu } from "../gpu/gpu.ts";
import { nmf } from "../factorize/nmf.ts";
import type { NmfSolver } from "../factorize/nmf_options.ts";
import { randomArray, seededRandom } from "../factorize/seeded_random.ts";
import { adapterLine, markdownTable, ms } from "./_bench_utils.ts";

/** One comparison dataset: n samples x d features, row-major (scikit-learn's layout). */
interface CompareData {
  label: string;
  x: Float32Array;
  n: number;
  d: number;
  k: number;
  /** Iteration counts N1 < N2 of the two timed fits. */
  iters: [number, number];
  /** Repeats of each fit (best kept). */
  runs: number;
}

/** Writes `x` (rows x cols, f32) as a version 1.0 .npy file, atomically. */
export async function writeNpyF32(
  path: string,
  x: Float32Array,
  rows: number,
  cols: number,
): Promise<void> {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  // Magic (6) + version (2) + header length (2) + header, padded with spaces to 64 bytes.
  header += " ".repeat(63 - ((10 + header.length) % 64)) + "\n";
  const head = new TextEncoder().encode(header);
  const bytes = new Uint8Array(10 + head.length + x.byteLength);
  bytes.set([0x93, ..."NUMPY".split("").map((ch) => ch.charCodeAt(0)), 1, 0]);
  new DataView(bytes.buffer).setUint16(8, head.length, true);
  bytes.set(head, 10);
  const body = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new Error("writeNpyF32 needs a little-endian host");
  }
  bytes.set(body, 10 + head.length);
  const tmp = `${path}.tmp-${Deno.pid}`;
  await Deno.writeFile(tmp, bytes);
  await Deno.rename(tmp, path);
}

/** A Python that imports sklearn, or null. */
export async function findSklearnPython(): Promise<string | null> {
  const env = Deno.env.get("FACET_PYTHON");
  for (const py of env ? [env] : ["python3", "/usr/bin/python3"]) {
    try {
      const r = await new Deno.Command(py, {
        args: ["-c", "import sklearn"],
        stdout: "null",
        stderr: "null",
      }).output();
      if (r.success) return py;
    } catch {
      // not installed: try the next
    }
  }
  return null;
}

async function _orl(tmp: string): Promise<CompareData> {
  const source = new URL("../data/att_faces", import.meta.url).pathname;
  const out = join(tmp, "orl64");
  await prepDataset(source, { out, size: { width: 64, height: 64 }, log: null });
  using ds = await openDataset(out, { log: null });
  const x = ds.rows(0, ds.n).slice();
  return { label: "ORL faces", x, n: ds.n, d: ds.d, k: 40, iters: [20, 100], runs: 3 };
}

function _synthetic(software: boolean): CompareData {
  const [n, d, r] = [5000, 4096, 20];
  const rand = seededRandom(42);
  const a = randomArray(rand, n * r, 0, 1);
  const b = randomArray(rand, r * d, 0, 1);
  const x = randomArray(rand, n * d, 0, 0.1 * r);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < r; j++) {
      const aij = a[i * r + j];
      const row = i * d;
      const bj = j * d;
      for (let f = 0; f < d; f++) x[row + f] += aij * b[bj + f];
    }
  }
  return {
    label: "synthetic",
    x,
    n,
    d,
    k: 100,
    iters: software ? [5, 20] : [20, 100],
    runs: software ? 1 : 3,
  };
}

async function _facet(gpu: Gpu, data: CompareData, solver: NmfSolver) {
  const input = { data: data.x, d: data.d, n: data.n, samplesAsRows: true };
  const fit = async (maxIter: number) => {
    const t0 = performance.now();
    const r = await nmf(gpu, input, {
      rank: data.k,
      solver,
      init: "nndsvda",
      maxIter,
      tol: 0,
      checkEvery: 1e9,
    });
    if (r.nIter !== maxIter) throw new Error(`facet ${solver} ran ${r.nIter} of ${maxIter}`);
    return { seconds: (performance.now() - t0) / 1000, error: r.loss.at(-1)! };
  };
  await fit(1); // compile outside the timing
  const [n1, n2] = data.iters;
  let [best1, best2, error] = [Infinity, Infinity, NaN];
  for (let r = 0; r < data.runs; r++) {
    best1 = Math.min(best1, (await fit(n1)).seconds);
    const f = await fit(n2);
    best2 = Math.min(best2, f.seconds);
    error = f.error;
  }
  return { secondsPerIter: Math.max(best2 - best1, 0) / (n2 - n1), error };
}

async function _sklearn(py: string, npy: string, data: CompareData, solver: NmfSolver) {
  const script = new URL("./sklearn_nmf.py", import.meta.url).pathname;
  const args = [script, npy, "--rank", `${data.k}`, "--solver", solver];
  args.push("--iters", data.iters.join(","), "--runs", `${data.runs}`);
  const r = await new Deno.Command(py, { args, stdout: "piped", stderr: "piped" }).output();
  const err = new TextDecoder().decode(r.stderr);
  if (!r.success) throw new Error(`${py} ${args.join(" ")} failed: ${err}`);
  return JSON.parse(new TextDecoder().decode(r.stdout)) as {
    sklearn: string;
    secondsPerIter: number;
    error: number;
    relativeError: number;
  };
}

function _norm(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** Options of {@linkcode sklearnTable}. */
export interface SklearnTableOptions {
  /** Include the n=5000 synthetic matrix on a software adapter. Default false. */
  large?: boolean;
}

/** The comparison table, or a line saying why it was skipped. */
export async function sklearnTable(gpu: Gpu, options: SklearnTableOptions = {}): Promise<string> {
  const py = await findSklearnPython();
  if (!py) {
    return "scikit-learn comparison skipped: no Python with scikit-learn found " +
      "(tried FACET_PYTHON, python3, /usr/bin/python3; Debian: apt-get install python3-sklearn)";
  }
  const tmp = await Deno.makeTempDir({ prefix: "facet-sklearn-" });
  const rows: string[][] = [];
  let version = "";
  try {
    const sets = [await _orl(tmp)];
    if (options.large || !gpu.adapter.isSoftware) sets.push(_synthetic(gpu.adapter.isSoftware));
    for (const data of sets) {
      const npy = join(tmp, `${data.label.replaceAll(" ", "_")}.npy`);
      await writeNpyF32(npy, data.x, data.n, data.d);
      const norm = _norm(data.x);
      for (const solver of ["mu", "cd"] as const) {
        const sk = await _sklearn(py, npy, data, solver);
        version = sk.sklearn;
        const fa = await _facet(gpu, data, solver);
        const faRel = fa.error / norm;
        rows.push([
          `${data.label} n=${data.n} d=${data.d} k=${data.k}`,
          solver,
          `${data.iters[1]}`,
          ms(sk.secondsPerIter),
          ms(fa.secondsPerIter),
          (fa.secondsPerIter / sk.secondsPerIter).toFixed(2),
          sk.relativeError.toFixed(5),
          faRel.toFixed(5),
          (faRel / sk.relativeError).toFixed(4),
        ]);
      }
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
  const skipped = options.large || !gpu.adapter.isSoftware
    ? ""
    : "; synthetic n=5000 skipped on a software adapter (pass --large)";
  return `${adapterLine(gpu)}; scikit-learn ${version} (${py}, float32 data); ` +
    `init nndsvda, tol 0; time per iteration (t(N2) − t(N1)) / (N2 − N1)${skipped}\n\n` +
    markdownTable(
      [
        "data",
        "solver",
        "iterations",
        "sklearn ms/iter",
        "facet ms/iter",
        "time ratio facet/sklearn",
        "sklearn rel. error",
        "facet rel. error",
        "error ratio",
      ],
      rows,
    );
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { large: { type: "boolean" } } });
  const gpu = await Gpu.create({ log: null });
  console.log(await sklearnTable(gpu, { large: values.large }));
  gpu.destroy();
}
