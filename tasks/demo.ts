// deno task demo: ORL faces -> NMF and a deep model, evaluated, with reports.
import { runDemo } from "../pipeline/run_demo.ts";
import { errorText, fail, parseCli, taskGpu, usage } from "./_cli.ts";

const HELP = `Usage: deno task demo [--out runs] [--size 32] [--max-iter 200]

Prepares the embedded ORL faces (data/att_faces, cached under <out>/.cache),
fits NMF (k=40) and a 2-layer Deep Semi-NMF (layers 128,40), evaluates identity
clustering (accuracy, NMI) and linear probes beside the majority and raw-pixel
baselines on every layer, and writes one run folder with a report.html for
each. Prints where the reports are.

Options:
  --out <dir>     folder of the run folders (default runs)
  --size N        image side in pixels (default 32)
  --max-iter N    iteration limit of each fit (fine-tuning for the deep model;
                  default 200)
  -h, --help      this text
`;

const { values } = parseCli("demo", HELP, {
  out: { type: "string" },
  size: { type: "string" },
  "max-iter": { type: "string" },
});
function whole(name: string, min: number, max: number): number | undefined {
  const v = values[name] as string | undefined;
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    usage("demo", `--${name} must be a whole number in ${min}..${max}, got ${v}`);
  }
  return Number(v);
}
const size = whole("size", 8, 112);
const maxIter = whole("max-iter", 0, 100000);
const t0 = performance.now();
const gpu = await taskGpu("demo", (s) => console.error(s));
try {
  const runs = await runDemo(gpu, {
    out: values.out as string | undefined,
    size,
    maxIter,
    log: (line) => console.error(line),
    onProgress: (p) =>
      console.error(
        `  iteration ${p.iteration}/${p.maxIter}  loss ${p.loss.toPrecision(6)}  ` +
          `${(p.secondsPerIteration * 1000).toFixed(1)} ms/it`,
      ),
  });
  console.log("\nmodel            layer  cluster acc  NMI    probe acc  raw-pixel  majority");
  for (const r of runs) {
    for (const c of r.metrics!.clustering) {
      const p = r.metrics!.probes.find((x) => x.layer === c.layer);
      console.log(
        `${r.config.model.padEnd(16)} ${c.layer.padEnd(6)} ${
          c.accuracy.toFixed(3).padStart(11)
        }  ` +
          `${c.nmi.toFixed(3)}  ${(p?.probe.accuracy.toFixed(3) ?? "–").padStart(9)}  ` +
          `${(p?.rawPixel?.accuracy.toFixed(3) ?? "–").padStart(9)}  ` +
          `${(p?.probe.majorityAccuracy.toFixed(3) ?? "–").padStart(8)}`,
      );
    }
  }
  console.log("\nReports:");
  for (const r of runs) console.log(`  ${r.reportPath}`);
  console.log(`Done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
} catch (e) {
  fail("demo", errorText(e));
} finally {
  gpu.destroy();
}
