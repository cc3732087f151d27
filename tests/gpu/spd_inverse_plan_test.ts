import {
  factorSteps,
  invertSteps,
  spdInversePlan,
  stepBlocks,
} from "../../gpu/spd_inverse_plan.ts";
import { deepEqual, equal, throws } from "node:assert/strict";

Deno.test("spdInversePlan: step bounds hold the WGSL loops; blocks cover every column within the budget", () => {
  // An exact count of the WGSL loops for the worst of the 256 invocations, at small k.
  const count = (k: number, j0: number, j1: number, stage: "factor" | "invert") => {
    let worst = 0;
    for (let t = 0; t < 256; t++) {
      const [ti, tc] = [Math.floor(t / 16), t % 16];
      const from = (lo: number, r: number) => lo + ((r + 16 - (lo % 16)) % 16);
      let n = 0;
      if (j0 === 0) {
        if (stage === "factor") n += k;
        for (let i = ti; i < k; i += 16) {
          n++;
          for (let c = tc; stage === "factor" ? c <= i : c < k; c += 16) n++;
        }
      }
      for (let j = j0; j < j1; j++) {
        n++;
        for (let i = from(j + 1, ti); i < k; i += 16) {
          n++;
          for (
            let c = stage === "factor" ? from(j + 1, tc) : tc;
            c <= (stage === "factor" ? i : j);
            c += 16
          ) n++;
        }
      }
      if (stage === "factor") {
        for (let i = t; i < k; i += 256) {
          n++;
          for (let j = j0; j < Math.min(j1, i); j++) n++;
        }
        for (let j = j0 + t; j < j1; j += 256) n++;
      } else {
        for (let i = from(j0, ti); i < j1; i += 16) {
          n++;
          for (let c = tc; c <= i; c += 16) n++;
        }
      }
      worst = Math.max(worst, n);
    }
    return worst;
  };
  for (const k of [1, 17, 40, 300]) {
    for (const [j0, j1] of [[0, k], [0, 1], [Math.floor(k / 2), k]]) {
      const f = count(k, j0, j1, "factor");
      const v = count(k, j0, j1, "invert");
      if (f > factorSteps(k, j0, j1) || v > invertSteps(k, j0, j1)) {
        throw new Error(`k=${k} [${j0}, ${j1}): counted ${f}, ${v}; bounds are lower`);
      }
    }
  }
  for (const k of [1, 100, 512, 1024]) {
    for (const steps of [factorSteps, invertSteps]) {
      const blocks = stepBlocks(k, 16384, steps);
      let next = 0;
      for (const [j0, j1] of blocks) {
        if (j0 !== next || j1 <= j0 || steps(k, j0, j1) > 16384) {
          throw new Error(`k=${k}: bad block [${j0}, ${j1})`);
        }
        next = j1;
      }
      if (next !== k) throw new Error(`k=${k}: blocks end at ${next}`);
    }
  }
});

Deno.test("spdInversePlan: one block without a budget, cached per k and budget; too small a budget throws", () => {
  deepEqual(spdInversePlan(300, Infinity), { factor: [[0, 300]], invert: [[0, 300]] });
  const plan = spdInversePlan(1024, 16384);
  equal(spdInversePlan(1024, 16384), plan);
  deepEqual(plan.factor, stepBlocks(1024, 16384, factorSteps));
  deepEqual(plan.invert, stepBlocks(1024, 16384, invertSteps));
  throws(() => stepBlocks(100, factorSteps(100, 0, 1) - 1, factorSteps), /steps per column/);
});
