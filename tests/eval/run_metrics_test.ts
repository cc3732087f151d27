import { deepEqual } from "node:assert/strict";
import { metricsToJson } from "../../eval/run_metrics.ts";

Deno.test("metricsToJson: round-trips, non-finite numbers become null", () => {
  const m = {
    probes: [],
    clustering: [{ layer: "H1", accuracy: 0.5, nmi: NaN, k: 2, replicates: 1 }],
    reconstruction: [],
    sparsity: [{ factor: "W", hoyer: 0.25 }],
  };
  const back = JSON.parse(metricsToJson(m));
  deepEqual(back.clustering[0], { layer: "H1", accuracy: 0.5, nmi: null, k: 2, replicates: 1 });
  deepEqual(back.sparsity, m.sparsity);
});
