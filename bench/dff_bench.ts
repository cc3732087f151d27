// Deep Feature Factorization's two costs: feature extraction (InceptionV3 on tfjs wasm, images
// per second, no cache) and the factorization of the stacked activations on the GPU (NMF and the
// sigmoid Deep Semi-NMF, k = 3, 200 iterations), on the first N ORL faces.
// deno run -A bench/dff_bench.ts [--images 40] [--layer mixed7]; in bench:tables as one table.
import { parseArgs } from "node:util";
import { cachedFeatures } from "../data_prep/feature_cache.ts";
import { openInceptionV3 } from "../data_prep/inception_features.ts";
import { deepFeatureFactorization } from "../factorize/deep_feature_factorization.ts";
import type { Gpu } from "../gpu/gpu.ts";
import { taskGpu } from "../tasks/_cli.ts";
import { adapterLine, markdownTable } from "./_bench_utils.ts";

/** The markdown table of extraction rate and factorization times. */
export async function dffTable(gpu: Gpu, options: { images?: number; layer?: string } = {}) {
  const count = options.images ?? 40;
  const files = Array.from(
    { length: count },
    (_, i) => `data/att_faces/s${1 + (i % 40)}/${1 + Math.floor(i / 40) % 10}.pgm`,
  );
  const t0 = performance.now();
  const net = await openInceptionV3({ layer: options.layer ?? "mixed7" });
  const load = (performance.now() - t0) / 1000;
  const cacheDir = await Deno.makeTempDir();
  const t1 = performance.now();
  const feats = await cachedFeatures(net, files, { cacheDir, log: () => {} });
  const extract = (performance.now() - t1) / 1000;
  net.dispose();
  await Deno.remove(cacheDir, { recursive: true });
  const m = feats.maps[0];
  const rows = [[
    `features, ${net.layer} (${m.height}x${m.width}x${m.channels}), ${net.backend}`,
    `${count} images`,
    `${extract.toFixed(1)} s (${(count / extract).toFixed(2)} images/s; model load ${
      load.toFixed(1)
    } s)`,
  ]];
  for (const model of ["nmf", "deep-semi-nmf"] as const) {
    const t = performance.now();
    const r = await deepFeatureFactorization(gpu, feats.maps, {
      k: 3,
      model,
      maxIter: 200,
      tol: 0,
    });
    const s = (performance.now() - t) / 1000;
    rows.push([
      `factorize: ${model}, k = 3`,
      `${count * m.height * m.width} x ${m.channels}`,
      `${s.toFixed(2)} s (${r.nIter} iterations, ${
        (1000 * s / r.nIter).toFixed(1)
      } ms/it incl. upload)`,
    ]);
  }
  return `${adapterLine(gpu)}\n\n` + markdownTable(["step", "size", "time"], rows);
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { images: { type: "string" }, layer: { type: "string" } },
  });
  const gpu = await taskGpu("dff_bench", null);
  console.log(await dffTable(gpu, { images: Number(values.images ?? 40), layer: values.layer }));
  gpu.destroy();
}
