// deno task dff <image folder> [--masks <folder>] [--k 3] [--layer mixed7] [--model nmf,deep-semi-nmf]:
// Deep Feature Factorization of an image set into concept heatmaps and co-segmentation masks.
import { OptionError } from "../factorize/option_schema.ts";
import { DFF_RUN_OPTIONS, dffRun, resolveDffConfig } from "../pipeline/dff_run.ts";
import { flagName } from "../pipeline/train_config.ts";
import { optionHelp } from "../pipeline/train_help.ts";
import { errorText, fail, parseCli, taskGpu, usage } from "./_cli.ts";

const HELP = `Usage: deno task dff <image folder> [--masks <mask folder>] [options]

Runs the images through InceptionV3 (the weights inside the nsfwjs npm package, on
TensorFlow.js's wasm backend; features cached in <out>/.cache, so a second run or an
interrupted one only extracts what is missing), stacks every position of the chosen
layer's activations into one matrix, factors it into k concepts on the GPU, and writes
runs/<date>-dff-<hash>/ with a coloured overlay and a foreground mask per image and
model, metrics.json and report.html. With --masks (binary images with the images' file
stems, > 127 = foreground) each image is scored: Jaccard and precision of the foreground
concept (least heat on the grid's border), of the best concept and of a centred box.

${optionHelp(DFF_RUN_OPTIONS, Object.keys(DFF_RUN_OPTIONS).filter((k) => k !== "images"))}
  -h, --help                this text
`;

const keys = Object.keys(DFF_RUN_OPTIONS).filter((k) => k !== "images");
const flags: Record<string, { type: "string" }> = {};
for (const key of keys) flags[flagName(key).slice(2)] = { type: "string" };
const { values, positionals } = parseCli("dff", HELP, flags, true);
if (positionals.length !== 1) usage("dff", "give one image folder, e.g. deno task dff photos/");
const cli: Record<string, unknown> = { images: positionals[0] };
for (const key of keys) {
  const v = values[flagName(key).slice(2)];
  if (v !== undefined) cli[key] = v;
}
let config;
try {
  config = resolveDffConfig(cli, { text: true });
} catch (e) {
  if (e instanceof OptionError) usage("dff", e.message);
  throw e;
}
const gpu = await taskGpu("dff", (s) => console.error(s));
try {
  const r = await dffRun(gpu, config, { log: (line) => console.error(line) });
  console.log(r.reportPath);
} catch (e) {
  if (e instanceof OptionError) usage("dff", e.message);
  fail("dff", errorText(e));
} finally {
  gpu.destroy();
}
