// Browser entry of tests/web/subgroup_gemm_test.ts: the subgroup GEMM against float64 on the
// browser's adapter (SwiftShader's subgroups of 4 here), results left in globalThis.
import { gemm } from "../../gpu/gemm.ts";
import { Gpu } from "../../gpu/gpu.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { refGemm } from "../_reference.ts";

const out = globalThis as unknown as { subgroupResult?: unknown; subgroupError?: string };

async function check(m: number, k: number, n: number, ta: boolean, tb: boolean, gpu: Gpu) {
  const rand = seededRandom(m * 7919 + k * 31 + n + (ta ? 1 : 0) + (tb ? 2 : 0));
  const a = randomArray(rand, m * k, -1, 1);
  const b = randomArray(rand, k * n, -1, 1);
  const c0 = randomArray(rand, m * n, -1, 1);
  const [alpha, beta] = [1.5, -0.5];
  const ga = GpuMatrix.fromArray(gpu, ta ? k : m, ta ? m : k, a);
  const gb = GpuMatrix.fromArray(gpu, tb ? n : k, tb ? k : n, b);
  const gc = GpuMatrix.fromArray(gpu, m, n, c0);
  gemm(ga, gb, gc, { transA: ta, transB: tb, alpha, beta, variant: "subgroup" });
  const got = await gc.toArray();
  const want = refGemm(a, b, m, k, n, ta, tb).map((v, i) => alpha * v + beta * c0[i]);
  let [err, scale] = [0, 1e-30];
  want.forEach((v, i) => {
    scale = Math.max(scale, Math.abs(v));
    err = Math.max(err, Math.abs(got[i] - v));
  });
  for (const x of [ga, gb, gc]) x.dispose();
  return { label: `${m}x${k}x${n} transA=${ta} transB=${tb}`, relative: err / scale };
}

try {
  const gpu = await Gpu.create({ log: null });
  const rows = [];
  if (gpu.hasSubgroups) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      for (const s of [1, 17, 65, 300]) rows.push(await check(s, s, s, ta, tb, gpu));
      rows.push(await check(1024, 40, 300, ta, tb, gpu));
      rows.push(await check(40, 1024, 300, ta, tb, gpu));
    }
  }
  out.subgroupResult = { adapter: gpu.adapter.name, hasSubgroups: gpu.hasSubgroups, rows };
  gpu.destroy();
} catch (e) {
  out.subgroupError = e instanceof Error ? e.message : String(e);
}
