// facet's sparse NMF against scikit-learn's NMF on the same TF-IDF corpus: solvers mu and
// cd (Frobenius) and mu with the KL loss, init nndsvda, tol 0, a fixed number of
// iterations, the same rank. Prints seconds per iteration ((t(N2) − t(N1)) / (N2 − N1), so
// upload, init and setup cancel), the relative Frobenius error ‖X − WH‖ / ‖X‖ after N2
// iterations, and the mean NPMI coherence of the topics' top 10 words over the corpus,
// side by side.
//
// `deno run -A bench/sparse_nmf_compare.ts [term-dataset] [--rank 20] [--iters 10,50]`.
// Without a dataset it builds the installed manual pages corpus (examples/man_pages.ts,
// then prep --layout text --min-df 2 --max-df 0.95 --max-features 20000) in a temporary
// folder. Python is FACET_PYTHON, else the first of python3, /usr/bin/python3 that imports
// sklearn; without one only facet's rows are printed.

import { parseArgs } from "node:util";
import { join } from "node:path";
import { prepText } from "../data_prep/prep_text.ts";
import { openTermDataset, type TermDataset } from "../data_prep/term_dataset.ts";
import { npmiCoherence } from "../eval/npmi_coherence.ts";
import { nmf } from "../factorize/nmf.ts";
import type { NmfOptions } from "../factorize/nmf_options.ts";
import { Gpu } from "../gpu/gpu.ts";
import { topicSummary } from "../pipeline/topic_report.ts";
import { adapterLine, markdownTable, ms } from "./_bench_utils.ts";
import { findSklearnPython } from "./sklearn_compare.ts";

const CASES = [
  { solver: "mu", betaLoss: "frobenius" },
  { solver: "cd", betaLoss: "frobenius" },
  { solver: "mu", betaLoss: "kullback-leibler" },
] as const;

async function _manCorpus(tmp: string): Promise<string> {
  const csv = join(tmp, "man.csv");
  const script = new URL("../examples/man_pages.ts", import.meta.url).pathname;
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", script, csv],
  }).output();
  if (!r.success) {
    throw new Error(`examples/man_pages.ts failed: ${new TextDecoder().decode(r.stderr)}`);
  }
  const out = join(tmp, "man20k");
  await prepText(csv, {
    out,
    labelColumn: "section",
    minDf: 2,
    maxDf: 0.95,
    maxFeatures: 20000,
    log: null,
  });
  return out;
}

function _meanNpmi(top: number[][], ds: TermDataset): number {
  const v = npmiCoherence(top, ds);
  return v.reduce((a, b) => a + b, 0) / v.length;
}

async function _facet(gpu: Gpu, ds: TermDataset, o: NmfOptions, iters: [number, number]) {
  const x = {
    d: ds.vocabulary.length,
    n: ds.n,
    indptr: ds.indptr,
    indices: ds.indices,
    values: ds.values,
  };
  const fit = async (maxIter: number) => {
    const t0 = performance.now();
    const r = await nmf(gpu, x, { ...o, init: "nndsvda", maxIter, tol: 0, checkEvery: 1e9 });
    return { seconds: (performance.now() - t0) / 1000, r };
  };
  await fit(1); // compile outside the timing
  const a = await fit(iters[0]);
  const b = await fit(iters[1]);
  const { W, H } = b.r.factors;
  const s = topicSummary(ds, W, H); // top 10 words per topic, as for scikit-learn's
  return {
    secondsPerIter: Math.max(b.seconds - a.seconds, 0) / (iters[1] - iters[0]),
    relativeError: s.relativeError,
    npmi: s.meanNpmi,
  };
}

async function _sklearn(
  py: string,
  dir: string,
  rank: number,
  c: typeof CASES[number],
  iters: [number, number],
) {
  const script = new URL("./sklearn_sparse_nmf.py", import.meta.url).pathname;
  const args = [script, dir, "--rank", `${rank}`, "--solver", c.solver, "--beta-loss", c.betaLoss];
  args.push("--iters", iters.join(","));
  const r = await new Deno.Command(py, { args, stdout: "piped", stderr: "piped" }).output();
  if (!r.success) {
    throw new Error(`${py} ${args.join(" ")} failed: ${new TextDecoder().decode(r.stderr)}`);
  }
  return JSON.parse(new TextDecoder().decode(r.stdout)) as {
    sklearn: string;
    secondsPerIter: number;
    relativeError: number;
    top: number[][];
  };
}

/** Options of {@linkcode sparseTable}. */
export interface SparseTableOptions {
  /** A term dataset folder; default: the installed manual pages, built in a temporary folder. */
  dataset?: string;
  /** Rank k. Default 20. */
  rank?: number;
  /** Iteration counts N1 < N2 of the two timed fits. Default [10, 50]. */
  iters?: [number, number];
}

/** The comparison table, or a line saying why it was skipped. */
export async function sparseTable(gpu: Gpu, options: SparseTableOptions = {}): Promise<string> {
  const rank = options.rank ?? 20;
  const iters = options.iters ?? [10, 50];
  const tmp = await Deno.makeTempDir({ prefix: "facet-sparse-" });
  try {
    let dir = options.dataset;
    if (!dir) {
      try {
        await Deno.stat("/usr/share/man/man1");
      } catch {
        return "sparse NMF comparison skipped: no /usr/share/man/man1 to build the corpus from " +
          "(give a term dataset)";
      }
      dir = await _manCorpus(tmp);
    }
    const ds = await openTermDataset(dir);
    const py = await findSklearnPython();
    const rows: string[][] = [];
    let version = "none";
    for (const c of CASES) {
      const fa = await _facet(gpu, ds, { rank, solver: c.solver, betaLoss: c.betaLoss }, iters);
      const sk = py ? await _sklearn(py, dir, rank, c, iters) : null;
      if (sk) version = sk.sklearn;
      rows.push([
        `${c.solver}${c.betaLoss === "kullback-leibler" ? " KL" : ""}`,
        sk ? ms(sk.secondsPerIter) : "–",
        ms(fa.secondsPerIter),
        sk ? (fa.secondsPerIter / sk.secondsPerIter).toFixed(2) : "–",
        sk ? sk.relativeError.toFixed(4) : "–",
        fa.relativeError.toFixed(4),
        sk ? _meanNpmi(sk.top, ds).toFixed(3) : "–",
        fa.npmi.toFixed(3),
      ]);
    }
    return `${adapterLine(gpu)}; scikit-learn ${version}${py ? ` (${py})` : " (not found)"}; ` +
      `${ds.n} documents x ${ds.vocabulary.length} terms, ${ds.indices.length} non-zeros ` +
      `(${ds.manifest.source.description}); k = ${rank}, init nndsvda, tol 0, ` +
      `${iters[1]} iterations; time per iteration (t(${iters[1]}) − t(${iters[0]})) / ` +
      `${iters[1] - iters[0]}\n\n` +
      markdownTable(
        [
          "solver",
          "sklearn ms/iter",
          "facet ms/iter",
          "time ratio facet/sklearn",
          "sklearn rel. error",
          "facet rel. error",
          "sklearn NPMI",
          "facet NPMI",
        ],
        rows,
      );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      rank: { type: "string", default: "20" },
      iters: { type: "string", default: "10,50" },
    },
  });
  const gpu = await Gpu.create({ log: null });
  console.log(
    await sparseTable(gpu, {
      dataset: positionals[0],
      rank: Number(values.rank),
      iters: values.iters!.split(",").map(Number) as [number, number],
    }),
  );
  gpu.destroy();
}
