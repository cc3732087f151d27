import { DataMatrix } from "../../factorize/data_matrix.ts";
import { nndsvdInit, randomInit } from "../../factorize/init.ts";
import { randomizedSvd } from "../../factorize/randomized_svd.ts";
import { symmetricEigen } from "../../factorize/symmetric_eigen.ts";
import { assertClose, refGemm, testGpu } from "../_reference.ts";
import { planted } from "./_nmf_reference.ts";
import { ok } from "node:assert/strict";

Deno.test("randomizedSvd: singular values and vectors of a rank-6 matrix vs float64 eigen", async () => {
  const gpu = await testGpu();
  const [d, n, k] = [50, 37, 6];
  const x = planted(d, n, k, 11);
  // float64 reference: eigenvalues of X Xᵀ
  const ref = symmetricEigen(refGemm(x, x, d, n, d, false, true), d);
  for (const samplesAsRows of [false, true]) {
    const t = new Float32Array(d * n);
    for (let i = 0; i < d; i++) for (let j = 0; j < n; j++) t[j * d + i] = x[i * n + j];
    const dm = DataMatrix.upload(gpu, { data: samplesAsRows ? t : x, d, n, samplesAsRows });
    const { u, s, vt } = await randomizedSvd(dm, k, { seed: 1 });
    const want = Array.from({ length: k }, (_, j) => Math.sqrt(ref.values[j]));
    assertClose(s, want, 1e-4, `singular values samplesAsRows=${samplesAsRows}`);
    // U diag(s) Vᵀ reproduces X (exact rank k)
    const us = Float32Array.from(u, (v, i) => v * s[i % k]);
    assertClose(refGemm(us, vt, d, k, n), x, 1e-3, "U S Vt");
    dm.dispose();
  }
});

Deno.test("init: nndsvd variants and random are non-negative, seeded and shaped", async () => {
  const gpu = await testGpu();
  const [d, n, k] = [30, 20, 4];
  const x = planted(d, n, k, 12, 0.05);
  const dm = DataMatrix.upload(gpu, { data: x, d, n });
  for (const variant of ["", "a", "ar"] as const) {
    const { w, h } = await nndsvdInit(dm, k, { variant, seed: 3 });
    ok(w.length === d * k && h.length === k * n);
    ok(w.every((v) => v >= 0) && h.every((v) => v >= 0), `nndsvd${variant} >= 0`);
    if (variant !== "") ok(w.every((v) => v > 0), `nndsvd${variant} fills zeros`);
    if (variant !== "") continue;
    // plain NNDSVD approximates X better than the all-mean guess
    const wh = refGemm(w, h, d, k, n);
    let err = 0, base = 0;
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    for (let i = 0; i < x.length; i++) {
      err += (x[i] - wh[i]) ** 2;
      base += (x[i] - mean) ** 2;
    }
    ok(err < base, `nndsvd${variant} error ${err} vs mean ${base}`);
  }
  const a = await randomInit(dm, k, { seed: 5 });
  const b = await randomInit(dm, k, { seed: 5 });
  assertClose(a.w, b.w, 0, "same seed");
  ok(a.w.every((v) => v >= 0));
  dm.dispose();
});
