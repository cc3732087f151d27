import { deepEqual, equal } from "node:assert/strict";
import { parse } from "csv-parse";
import { metricsToCsv } from "../../eval/metrics_to_csv.ts";

Deno.test("metricsToCsv: long table with baselines beside the probe, parses back", () => {
  const csv = metricsToCsv({
    probes: [{
      layer: "H1",
      attribute: "Smiling, open mouth",
      probe: { accuracy: 0.9, balancedAccuracy: 0.85, auc: 0.93, majorityAccuracy: 0.52, c: 1 },
      rawPixel: { accuracy: 0.8, balancedAccuracy: 0.75, auc: null, majorityAccuracy: 0.52 },
    }],
    clustering: [{ layer: "H2", accuracy: 0.7, nmi: 0.8, k: 40, replicates: 10 }],
    reconstruction: [{ layer: "1", relativeError: 0.12 }],
    sparsity: [{ factor: "W", hoyer: 0.4 }],
  });
  const rows = parse(csv, { columns: true }) as Record<string, string>[];
  equal(rows.length, 5 + 4 + 4 + 1 + 1);
  deepEqual(rows[0], {
    section: "probe",
    layer: "H1",
    target: "Smiling, open mouth",
    metric: "accuracy",
    value: "0.9",
  });
  const get = (metric: string) => rows.find((r) => r.metric === metric)!.value;
  equal(get("majority_accuracy"), "0.52");
  equal(get("raw_pixel_accuracy"), "0.8");
  equal(get("raw_pixel_auc"), "");
  equal(get("nmi"), "0.8");
  equal(get("hoyer"), "0.4");
});
