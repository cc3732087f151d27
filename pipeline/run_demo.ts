/**
 * The demo: the embedded ORL faces prepared once (cached), then NMF and a
 * 2-layer Deep Semi-NMF fitted, evaluated (every layer) and reported, each
 * into its own run folder.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { prepDataset } from "../data_prep/prep_dataset.ts";
import type { Gpu } from "../gpu/gpu.ts";
import type { FitProgress } from "./fit_with_checkpoints.ts";
import { resolveTrainConfig } from "./train_config.ts";
import { trainRun, type TrainRunResult } from "./train_run.ts";

/** Options of {@linkcode runDemo}. */
export interface DemoOptions {
  /** Folder of the run folders; the prepared faces are cached in `<out>/.cache`. Default "runs". */
  out?: string;
  /** Side of the square images. Default 32. */
  size?: number;
  /** Iteration limit of each fit. Default 200. */
  maxIter?: number;
  /** Messages. */
  log?: (line: string) => void;
  /** Progress of each fit. */
  onProgress?: (p: FitProgress) => void;
}

/** The embedded ORL faces (data/att_faces). */
export const ORL_FACES = fileURLToPath(new URL("../data/att_faces", import.meta.url));

/**
 * Prepares ORL at `size` x `size` into `<out>/.cache/orl-<size>` (once), then
 * trains NMF (k = 40) and a 2-layer Deep Semi-NMF (layers 128, 40; identity
 * clustering and probes on H1 and H2) and returns both runs.
 *
 * The example is not run by `deno test --doc`: even at its smallest (12 x 12
 * images, since layer 1 has 128 components; 10 iterations) it takes about 12 s
 * on a CPU adapter.
 *
 * @example
 * ```ts ignore
 * import { Gpu } from "../gpu/gpu.ts";
 * const gpu = await Gpu.create({ log: null });
 * const out = await Deno.makeTempDir();
 * const runs = await runDemo(gpu, { out, size: 12, maxIter: 10 });
 * console.log(runs.map((r) => r.config.model)); // ["nmf", "deep-semi-nmf"]
 * await Deno.remove(out, { recursive: true });
 * gpu.destroy();
 * ```
 */
export async function runDemo(gpu: Gpu, options: DemoOptions = {}): Promise<TrainRunResult[]> {
  const out = options.out ?? "runs";
  const size = options.size ?? 32;
  const maxIter = options.maxIter ?? 200;
  const data = join(out, ".cache", `orl-${size}`);
  await prepDataset(ORL_FACES, {
    out: data,
    size: { width: size, height: size },
    log: options.log ?? null,
  });
  const runs: TrainRunResult[] = [];
  const models = [{ model: "nmf", rank: 40 }, { model: "deep-semi-nmf", layers: [128, 40] }];
  for (const values of models) {
    const config = resolveTrainConfig([{
      source: "cli",
      values: { data, out, maxIter, clusterLabel: "class", ...values },
    }]);
    runs.push(await trainRun(gpu, config, { log: options.log, onProgress: options.onProgress }));
  }
  return runs;
}
