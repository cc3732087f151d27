import { halsSweep } from "../../gpu/hals_sweep.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose, refGemm, testGpu } from "../_reference.ts";

// k sequential f32 coordinate updates of k-term dots: relative error below 1e-4.
const TOL = 1e-4;

/** Float64 sweep over items t, coordinates l in order; f[t,l] at t*is + l*es. */
function refSweep(
  f: Float64Array,
  g: ArrayLike<number>,
  bm: ArrayLike<number>,
  items: number,
  k: number,
  is: number,
  es: number,
  l1: number,
  l2: number,
): void {
  for (let t = 0; t < items; t++) {
    for (let l = 0; l < k; l++) {
      const hess = g[l * k + l] + l2;
      if (hess <= 0) continue;
      let dot = 0;
      for (let r = 0; r < k; r++) dot += g[l * k + r] * f[t * is + r * es];
      const idx = t * is + l * es;
      f[idx] = Math.max(f[idx] - (dot + l2 * f[idx] - bm[idx] + l1) / hess, 0);
    }
  }
}

Deno.test("halsSweep: W and H sides vs float64, odd sizes, with and without penalties", async () => {
  const gpu = await testGpu();
  for (const [d, n, k] of [[67, 45, 5], [130, 1, 3], [1, 70, 7]]) {
    for (const [l1, l2] of [[0, 0], [0.3, 0.2]]) {
      const rand = seededRandom(d * n * k);
      const w = randomArray(rand, d * k, 0, 1);
      const h = randomArray(rand, k * n, 0, 1);
      const x = randomArray(rand, d * n, 0, 1);
      // W side: gram H Hᵀ, numer X Hᵀ
      const hht = Float32Array.from(refGemm(h, h, k, n, k, false, true));
      const xht = Float32Array.from(refGemm(x, h, d, n, k, false, true));
      const gw = GpuMatrix.fromArray(gpu, d, k, w);
      const gg = GpuMatrix.fromArray(gpu, k, k, hht);
      const gb = GpuMatrix.fromArray(gpu, d, k, xht);
      halsSweep("W", gw, { gram: gg, numer: gb }, { l1, l2 });
      const wantW = Float64Array.from(w);
      refSweep(wantW, hht, xht, d, k, k, 1, l1, l2);
      assertClose(await gw.toArray(), wantW, TOL, `W ${d}x${k} n=${n} l1=${l1}`);
      // H side: gram WᵀW, numer WᵀX
      const wtw = Float32Array.from(refGemm(w, w, k, d, k, true, false));
      const wtx = Float32Array.from(refGemm(w, x, k, d, n, true, false));
      const gh = GpuMatrix.fromArray(gpu, k, n, h);
      const gg2 = GpuMatrix.fromArray(gpu, k, k, wtw);
      const gb2 = GpuMatrix.fromArray(gpu, k, n, wtx);
      halsSweep("H", gh, { gram: gg2, numer: gb2 }, { l1, l2 });
      const wantH = Float64Array.from(h);
      refSweep(wantH, wtw, wtx, n, k, 1, n, l1, l2);
      assertClose(await gh.toArray(), wantH, TOL, `H ${k}x${n} d=${d} l1=${l1}`);
      for (const m of [gw, gg, gb, gh, gg2, gb2]) m.dispose();
    }
  }
});
