import { deepEqual, equal } from "node:assert/strict";
import { stageLog } from "../../pipeline/stage_log.ts";

Deno.test("stageLog: start, throttled progress with the stage's own rate and ETA, end with its time", () => {
  let t = 100; // seconds since some earlier stage began: never part of this one's rate
  const lines: string[] = [];
  const s = stageLog((l) => lines.push(l), { every: 5, now: () => t });
  const report = (done: number, summary?: string) =>
    s.listener({ stage: "pretraining layer 1/2", done, total: 300, unit: "iteration", summary });
  report(0);
  t = 102;
  report(10); // within 5 s of the start: not said
  t = 106;
  report(30); // 6 s for 30 iterations: 200 ms each, 270 to go
  t = 108;
  report(40);
  t = 112;
  report(60, "60 iterations, cost 3 -> 1 (converged)");
  deepEqual(lines, [
    "Pretraining layer 1/2: started (300 iterations at most)",
    "Pretraining layer 1/2: 30/300 iterations, 200.0 ms/iteration, ETA 54.0 s",
    "Pretraining layer 1/2: 60 iterations, cost 3 -> 1 (converged) in 12.0 s",
  ]);
  equal(s.logged("Pretraining layer 1/2: 60 iterations, cost 3 -> 1 (converged)"), true);
  equal(s.logged("Pretraining layer 1/2: started"), false);
  // The same stage again (the λ sweep's next fit) is a new entry.
  s.listener({ stage: "graphs", done: 0, total: 1, unit: "graph" });
  t = 113;
  s.listener({ stage: "graphs", done: 1, total: 1, unit: "graph", summary: "1 kNN graph" });
  report(0);
  t = 120;
  report(300, "300 iterations");
  deepEqual(s.times(), [
    { phase: "pretraining layer 1/2", seconds: 12 },
    { phase: "graphs", seconds: 1 },
    { phase: "pretraining layer 1/2", seconds: 7 },
  ]);
  equal(lines[3], "Graphs: started (1 graph at most)");
});
