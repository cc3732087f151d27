// The CelebA attribute study: Deep WSF with layers 512 and 256, the Young graph on layer 1 and
// the Smiling graph on layer 2, then linear probes of Young and Smiling on every layer beside
// the majority-class and raw-pixel baselines.
// deno run -A examples/celeba_attributes.ts <celeba dir> [--limit 20000] [--size 32]
//   [--crop 178x178] [--layers 512,256] [--lambdas 1e-3] [--max-iter 100] [--out runs]
//   [--pretrain-max-iter 100] [--activation relu --lr 1e-3] (the non-linear model, fine-tuned
//   by Adam; default: the linear MATLAB model) [--lambdas auto --lambda-grid 0,0.01,1] (λ chosen
//   on held-out training labels, each λ of the grid a whole fit)
// <celeba dir> holds img_align_celeba/, list_attr_celeba.txt and list_eval_partition.txt.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Gpu, prepDataset, resolveTrainConfig, trainRun } from "../mod.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    limit: { type: "string", default: "20000" },
    crop: { type: "string", default: "178x178" },
    size: { type: "string", default: "32" },
    layers: { type: "string", default: "512,256" },
    lambdas: { type: "string", default: "1e-3" },
    "lambda-grid": { type: "string" },
    "pretrain-max-iter": { type: "string", default: "100" },
    "max-iter": { type: "string", default: "100" },
    out: { type: "string", default: "runs" },
    activation: { type: "string", default: "linear" },
    lr: { type: "string", default: "1e-3" },
  },
});
const dir = positionals[0];
const need = ["img_align_celeba", "list_attr_celeba.txt"];
const missing = dir === undefined ? need : need.filter((f) => {
  try {
    Deno.statSync(join(dir, f));
    return false;
  } catch {
    return true;
  }
});
if (missing.length > 0) {
  console.error(
    `celeba_attributes: ${
      dir === undefined
        ? "no CelebA folder given"
        : `CelebA folder ${dir} lacks ${missing.join(", ")}`
    }; download Align&Cropped CelebA and run: deno run -A examples/celeba_attributes.ts <folder>`,
  );
  Deno.exit(1);
}
const size = Number(values.size);
const [cropW, cropH] = values.crop.split("x").map(Number);
const data = join(values.out, ".cache", `celeba-${size}-${values.limit}`);
await prepDataset(dir, {
  out: data,
  layout: "celeba",
  limit: Number(values.limit),
  crop: { width: cropW, height: cropH },
  size: { width: size, height: size },
  progress: true,
  log: (line) => console.error(line),
});
// Deep WSF: layer 1 learns Young (its kNN graph links samples of the same age class),
// layer 2 learns Smiling.
const config = resolveTrainConfig([{
  source: "cli",
  values: {
    data,
    out: values.out,
    model: "deep-wsf",
    layers: values.layers,
    graphs: ["Young", "Smiling"],
    lambdas: values.lambdas,
    lambdaGrid: values["lambda-grid"],
    maxIter: values["max-iter"],
    pretrainMaxIter: values["pretrain-max-iter"],
    ...(values.activation === "linear"
      ? {}
      : { optimizer: "adam", activation: values.activation, lr: values.lr }),
    clusterLabel: "none",
    probeLabels: ["Young", "Smiling"],
  },
}]);
const gpu = await Gpu.create();
const run = await trainRun(gpu, config, { log: (line) => console.error(line) });
console.log("layer  attribute  probe acc  balanced  AUC    majority  raw pixels");
for (const p of run.metrics!.probes) {
  console.log(
    `${p.layer.padEnd(6)} ${p.attribute.padEnd(10)} ${p.probe.accuracy.toFixed(3).padStart(9)}  ` +
      `${p.probe.balancedAccuracy.toFixed(3).padStart(8)}  ${p.probe.auc?.toFixed(3) ?? "–"}  ` +
      `${p.probe.majorityAccuracy.toFixed(3).padStart(8)}  ${
        p.rawPixel?.accuracy.toFixed(3) ?? "–"
      }`,
  );
}
try {
  const sweep = JSON.parse(await Deno.readTextFile(join(run.runDir, "lambda-sweep.json")));
  for (const t of sweep.trials) {
    console.log(
      `λ ${t.lambda}: held-out ${
        t.layers.map((l: { layer: string; attribute: string; balancedAccuracy: number }) =>
          `${l.layer} ${l.attribute} ${l.balancedAccuracy.toFixed(3)}`
        ).join(", ")
      }`,
    );
  }
  console.log(`kept λ ${sweep.best}`);
} catch (e) {
  if (!(e instanceof Deno.errors.NotFound)) throw e;
}
console.log(`Report: ${run.reportPath}`);
gpu.destroy();
