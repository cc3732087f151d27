/**
 * The logistic-probe options of a run, one rule for every probe it fits (each
 * layer, the raw-pixel baseline, the λ sweep): C fixed or chosen by
 * cross-validation on the training split, and where the probe runs.
 *
 * @module
 */

import type { GpuProbeOptions } from "../eval/logistic_probe_gpu.ts";
import type { Gpu } from "../gpu/gpu.ts";
import type { TrainConfig } from "./train_config.ts";

/** Folds of the cross-validation of C (stratified, on the training split). */
export const PROBE_FOLDS = 3;

/**
 * `logisticProbeGpu` options for a run's `probeC` ("auto": C from `probeCGrid` by
 * {@linkcode PROBE_FOLDS}-fold accuracy, seeded by the run's seed) on `gpu`. A
 * software adapter probes on the CPU, which is faster there
 * (bench/probe_bench.ts: 20,000 x 512 binary, 0.32 s on the CPU against 0.93 s).
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * const gpu = await Gpu.create({ log: null });
 * const o = probeOptions(gpu, { probeC: "auto", probeCGrid: [0.1, 1], seed: 3 });
 * console.log(o.cv, o.gpu === undefined); // { cs: [ 0.1, 1 ], folds: 3, seed: 3 } true (on llvmpipe)
 * gpu.destroy();
 * ```
 */
export function probeOptions(
  gpu: Gpu,
  settings: Pick<TrainConfig, "probeC" | "probeCGrid" | "seed">,
): GpuProbeOptions {
  const where = gpu.adapter.isSoftware ? {} : { gpu };
  if (settings.probeC !== "auto") return { c: settings.probeC as number, ...where };
  const cs = settings.probeCGrid as number[];
  return { cv: { cs, folds: PROBE_FOLDS, seed: settings.seed }, ...where };
}
