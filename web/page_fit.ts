/**
 * The fits the browser page runs (web/app.ts): NMF (MU or HALS), semi-NMF and Deep Semi-NMF
 * (linear, or relu between layers with Adam), on facet's own kernels, run in chunks so the page
 * can redraw and stop between them. No DOM and no file I/O: the same code runs under Deno.
 *
 * @module
 */

import type { Gpu } from "../gpu/gpu.ts";
import type { DataInput } from "../factorize/data_matrix.ts";
import { openDeepSemiNmfFit } from "../factorize/deep_semi_nmf.ts";
import type { HostMatrix } from "../factorize/factorization_result.ts";
import type { Fit } from "../factorize/fit.ts";
import type { StageListener } from "../factorize/stage_progress.ts";
import { openNmfFit } from "../factorize/nmf.ts";
import { openSemiNmfFit } from "../factorize/semi_nmf.ts";

/** The models of the page. */
export const PAGE_MODELS = {
  "nmf-mu": "NMF, multiplicative updates (Lee & Seung 2001)",
  "nmf-hals": "NMF, HALS (Cichocki & Phan 2009)",
  "semi-nmf": "Semi-NMF (Ding, Li & Jordan 2010)",
  "deep-linear": "Deep Semi-NMF, linear (Trigeorgis et al. 2014)",
  "deep-relu": "Deep Semi-NMF, relu between layers, Adam (the authors' dsnmf.py)",
} as const;

/** One of {@linkcode PAGE_MODELS}. */
export type PageModel = keyof typeof PAGE_MODELS;

/** Options of {@linkcode runPageFit}. */
export interface PageFitOptions extends PageFitHooks {
  /** The model. */
  model: PageModel;
  /** The rank (NMF, semi-NMF) or the layer sizes, widest first (Deep Semi-NMF). */
  sizes: number[];
  /** Iterations (fine-tuning iterations for Deep Semi-NMF, after its pretraining). */
  maxIter: number;
  /** Seed of the init. Default 0. */
  seed?: number;
  /** Iterations between redraws (and loss checks). Default 10. */
  every?: number;
}

/** What the page draws after each chunk. */
export interface PageFitProgress {
  /** Iterations done. */
  iteration: number;
  /** The loss at each check, first at iteration 0. */
  loss: number[];
  /** The iteration of each loss entry. */
  lossIterations: number[];
  /** The factors read back: W and H, or Z1.., H1... */
  factors: Record<string, HostMatrix>;
}

/** Callbacks of {@linkcode runPageFit}. */
export interface PageFitHooks {
  /** Called after the first loss and after each chunk. */
  onProgress?: (p: PageFitProgress) => void | Promise<void>;
  /** Polled between chunks: true ends the fit there (stop reason "stopped"). */
  stopped?: () => boolean;
  /** Deep Semi-NMF's pretraining, layer by layer, before the first `onProgress`. */
  onStage?: StageListener;
}

/** What {@linkcode runPageFit} returns. */
export interface PageFitResult extends PageFitProgress {
  /** Why it ended: the fit's stop reason, or "stopped" by the page. */
  stopReason: string;
  /** Messages of the fit (cost rises, solver notes). */
  messages: string[];
  /** Seconds from opening the fit (init and pretraining included) to its end. */
  seconds: number;
}

function checkOptions(o: PageFitOptions): void {
  if (!(o.model in PAGE_MODELS)) {
    throw new RangeError(
      `Model "${o.model}" is unknown: use ${Object.keys(PAGE_MODELS).join(", ")}`,
    );
  }
  const deep = o.model.startsWith("deep");
  if (o.sizes.length === 0 || o.sizes.some((k) => !Number.isInteger(k) || k < 1)) {
    throw new RangeError(
      `${deep ? "Layers" : "Rank"} must be ${deep ? "sizes like 128,40" : "an integer >= 1"}`,
    );
  }
  if (!deep && o.sizes.length > 1) {
    throw new RangeError(`Model ${o.model} takes one rank, got ${o.sizes.join(",")}`);
  }
  if (!Number.isInteger(o.maxIter) || o.maxIter < 1) {
    throw new RangeError(`Iterations must be an integer >= 1, got ${o.maxIter}`);
  }
}

// deno-lint-ignore no-explicit-any
async function openFit(gpu: Gpu, x: DataInput, o: PageFitOptions): Promise<Fit<any>> {
  const common = { maxIter: o.maxIter, tol: 0, seed: o.seed ?? 0, checkEvery: o.every ?? 10 };
  switch (o.model) {
    case "nmf-mu":
    case "nmf-hals":
      return await openNmfFit(gpu, x, {
        ...common,
        rank: o.sizes[0],
        solver: o.model === "nmf-mu" ? "mu" : "cd",
      });
    case "semi-nmf":
      return await openSemiNmfFit(gpu, x, { ...common, rank: o.sizes[0] });
    case "deep-linear":
      return await openDeepSemiNmfFit(gpu, x, { ...common, layers: o.sizes, onStage: o.onStage });
    case "deep-relu":
      return await openDeepSemiNmfFit(gpu, x, {
        ...common,
        layers: o.sizes,
        onStage: o.onStage,
        activation: "relu",
        optimizer: "adam",
      });
  }
}

/** Named factors of a fit's output: W, H, or Z1.., H1... */
function named(f: { W?: HostMatrix; H?: HostMatrix | HostMatrix[]; Z?: HostMatrix[] }) {
  if (f.Z && Array.isArray(f.H)) {
    return Object.fromEntries([
      ...f.Z.map((z, i) => [`Z${i + 1}`, z]),
      ...f.H.map((h, i) => [`H${i + 1}`, h]),
    ]) as Record<string, HostMatrix>;
  }
  return { W: f.W!, H: f.H as HostMatrix };
}

/**
 * Fits `x` (d x n, or n x d with `samplesAsRows`) with the page's model, `every` iterations
 * at a time, reading the factors back after each chunk for `onProgress` and asking `stopped`
 * whether to go on. NMF minimizes ‖X − WH‖²_F over W, H >= 0; semi-NMF the same with W of any
 * sign; Deep Semi-NMF ‖X − Z₁ g(Z₂ ⋯ g(Z_m H_m))‖²_F (g the identity or relu). How the run is
 * cut into chunks does not change its result: the final loss equals one `run()` of the same fit.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { randomArray, seededRandom } from "../factorize/seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: randomArray(seededRandom(1), 30 * 20, 0, 1), d: 30, n: 20 };
 * const r = await runPageFit(gpu, x, { model: "nmf-hals", sizes: [3], maxIter: 20, every: 5 });
 * console.log(r.iteration, r.lossIterations, r.factors.W.cols); // 20 [0, 5, 10, 15, 20] 3
 * gpu.destroy();
 * ```
 */
export async function runPageFit(
  gpu: Gpu,
  x: DataInput,
  options: PageFitOptions,
): Promise<PageFitResult> {
  const hooks: PageFitHooks = options;
  checkOptions(options);
  const t0 = performance.now();
  const fit = await openFit(gpu, x, options);
  try {
    const every = options.every ?? 10;
    let stopReason: string | null = null;
    for (;;) {
      const factors = named(await fit.factors());
      const progress = {
        iteration: fit.iteration,
        loss: [...fit.loss],
        lossIterations: [...fit.lossIterations],
        factors,
      };
      await hooks.onProgress?.(progress);
      stopReason = fit.stopReason ?? (hooks.stopped?.() ? "stopped" : null);
      if (stopReason) {
        const seconds = (performance.now() - t0) / 1000;
        return { ...progress, stopReason, messages: [...fit.messages], seconds };
      }
      await fit.run(every);
    }
  } finally {
    fit.close();
  }
}
