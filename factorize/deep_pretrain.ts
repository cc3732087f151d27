/**
 * Deep Semi-NMF's layer-wise pretraining: semi-NMF's fit of X into Z₁H₁, of H₁
 * into Z₂H₂, …, each with its layer's graph term (Trigeorgis et al.).
 *
 * @module
 */

import type { Gpu } from "../gpu/gpu.ts";
import type { DataInput } from "./data_matrix.ts";
import type { ResolvedDeepSemiNmfOptions } from "./deep_semi_nmf_options.ts";
import type { HostMatrix } from "./factorization_result.ts";
import { openSemiNmfFit } from "./semi_nmf.ts";

/** How one layer's pretraining went. */
export interface PretrainReport {
  /** Iterations run. */
  nIter: number;
  /** Cost at each checked iteration. */
  loss: number[];
  /** Whether the tolerance rule stopped it. */
  converged: boolean;
}

/** Layer-wise pretraining: semi-NMF (with the layer's graph term) of X, then of H₁, …. */
export async function deepPretrain(
  gpu: Gpu,
  data: DataInput,
  o: ResolvedDeepSemiNmfOptions,
): Promise<{ Z: HostMatrix[]; H: HostMatrix[]; reports: PretrainReport[]; messages: string[] }> {
  const out = { Z: [] as HostMatrix[], H: [] as HostMatrix[], reports: [] as PretrainReport[] };
  const messages: string[] = [];
  for (let i = 0; i < o.layers.length; i++) {
    const v: DataInput = i === 0
      ? data
      : { data: out.H[i - 1].data, d: o.layers[i - 1], n: data.n };
    const stage = `pretraining layer ${i + 1}/${o.layers.length}`;
    const report = (done: number, summary?: string) =>
      o.onStage?.({ stage, done, total: o.pretrainMaxIter, unit: "iteration", summary });
    report(0);
    const fit = await openSemiNmfFit(gpu, v, {
      rank: o.layers[i],
      init: o.pretrainInit,
      seed: o.seed + i,
      maxIter: o.pretrainMaxIter,
      tol: o.tol,
      checkEvery: o.checkEvery,
      ridge: o.ridge,
      graph: o.graphs[i],
      lambda: o.lambdas[i],
    });
    let r;
    try {
      // In stretches of checkEvery, each ending at a check (one readback), to report progress.
      while (fit.stopReason === null) {
        await fit.run(o.checkEvery);
        if (fit.stopReason === null) report(fit.iteration);
      }
      r = await fit.result();
    } finally {
      fit.close();
    }
    out.Z.push(r.factors.W);
    out.H.push(r.factors.H);
    out.reports.push({ nIter: r.nIter, loss: r.loss, converged: r.converged });
    messages.push(...r.messages.map((s) => `Layer ${i} pretraining: ${s}`));
    const summary = `${r.nIter} iterations, cost ${r.loss[0]?.toPrecision(5)} -> ` +
      `${r.loss.at(-1)?.toPrecision(5)}${r.converged ? " (converged)" : ""}`;
    messages.push(`Pretraining layer ${i + 1}/${o.layers.length}: ${summary}`);
    report(r.nIter, summary);
  }
  return { ...out, messages };
}
