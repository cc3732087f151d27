// deno task eval --run <run dir> [...]: re-evaluate a run from its saved factors.
import { EVAL_KEYS, evaluateRun } from "../pipeline/evaluate_run.ts";
import { stageLog } from "../pipeline/stage_log.ts";
import { OptionError } from "../factorize/option_schema.ts";
import { flagName, RUN_OPTIONS } from "../pipeline/train_config.ts";
import { optionHelp } from "../pipeline/train_help.ts";
import { errorText, fail, parseCli, taskGpu, usage } from "./_cli.ts";

const HELP = `Usage: deno task eval --run <run dir> [options]

Re-evaluates a run folder from its saved factors (the last checkpoint when the
fit did not finish): clustering, probes, reconstruction, sparsity, pictures.
Rewrites metrics.json, metrics.csv, the pictures, report.html, and config.json
with the evaluation settings used.

Options:
  --run <dir>               run folder (runs/<date>-<model>-<hash>)
${optionHelp(RUN_OPTIONS, EVAL_KEYS)}
  -h, --help                this text
`;

const flags: Record<string, { type: "string" }> = { run: { type: "string" } };
for (const key of EVAL_KEYS) flags[flagName(key).slice(2)] = { type: "string" };
const { values } = parseCli("eval", HELP, flags);
if (!values.run) usage("eval", "--run <run dir> is required");
const overrides: Record<string, unknown> = {};
for (const key of EVAL_KEYS) {
  const v = values[flagName(key).slice(2)];
  if (v !== undefined) overrides[key] = v;
}
const gpu = await taskGpu("eval", (s) => console.error(s));
try {
  const stages = stageLog((l) => console.error(l));
  const r = await evaluateRun(gpu, values.run as string, overrides, { onStage: stages.listener });
  if (!r.complete) {
    console.error("eval: the fit of this run did not finish; evaluated its last checkpoint");
  }
  for (const n of r.notes) console.error(n);
  for (const c of r.metrics.clustering) {
    console.error(
      `${c.layer}: clustering accuracy ${c.accuracy.toFixed(3)}, NMI ${c.nmi.toFixed(3)}`,
    );
  }
  for (const p of r.metrics.probes) {
    console.error(
      `${p.layer} ${p.attribute}: probe accuracy ${p.probe.accuracy.toFixed(3)} ` +
        `(majority ${p.probe.majorityAccuracy.toFixed(3)}, raw pixels ${
          p.rawPixel ? p.rawPixel.accuracy.toFixed(3) : "–"
        })`,
    );
  }
  console.log(r.reportPath);
} catch (e) {
  if (e instanceof OptionError) usage("eval", errorText(e));
  fail("eval", errorText(e));
} finally {
  gpu.destroy();
}
