// C = alpha * op(A) * op(B) + beta * C over [k0, k1) with subgroup shuffles in place of
// workgroup memory: no barriers. A workgroup of 64 invocations computes a 256 x 16 tile of C,
// each invocation 4 rows x 16 columns (rows 4t..4t+3 by local index t; every invocation of the
// workgroup shares the tile's columns, so any subgroup does, whatever lanes it holds). Per step
// of 4 in k, lane q (mod 4) of each subgroup loads op(B)[k + q, j..j+15] once, and the other
// lanes read those rows by subgroupShuffle from lanes 0..3: it needs subgroups of at least 4
// lanes, the WebGPU minimum.

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;

// op(A)[i, k] and op(B)[k, j], zero past the edges
fn a_at(i: u32, k: u32) -> f32 {
  if (i >= p.M || k >= p.k1) { return 0.0; }
  return a[{{A_INDEX}}];
}
fn b_at(k: u32, j: u32) -> f32 {
  if (j >= p.N || k >= p.k1) { return 0.0; }
  return b[{{B_INDEX}}];
}
fn b4(k: u32, j: u32) -> vec4<f32> {
  return vec4<f32>(b_at(k, j), b_at(k, j + 1u), b_at(k, j + 2u), b_at(k, j + 3u));
}

@compute @workgroup_size(64, 1, 1)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(local_invocation_index) t: u32,
  @builtin(subgroup_invocation_id) lane: u32,
) {
  let i = wid.y * 256u + t * 4u;
  let j = wid.x * 16u;
  let q = lane % 4u;
  var acc: array<vec4<f32>, 16>; // [row * 4 + column block]
  for (var kb = p.k0; kb < p.k1; kb += 4u) {
    let own0 = b4(kb + q, j);
    let own1 = b4(kb + q, j + 4u);
    let own2 = b4(kb + q, j + 8u);
    let own3 = b4(kb + q, j + 12u);
    for (var kk = 0u; kk < 4u; kk++) {
      let b0 = subgroupShuffle(own0, kk);
      let b1 = subgroupShuffle(own1, kk);
      let b2 = subgroupShuffle(own2, kk);
      let b3 = subgroupShuffle(own3, kk);
      let k = kb + kk;
      let a0 = a_at(i, k);
      let a1 = a_at(i + 1u, k);
      let a2 = a_at(i + 2u, k);
      let a3 = a_at(i + 3u, k);
      acc[0] += a0 * b0; acc[1] += a0 * b1; acc[2] += a0 * b2; acc[3] += a0 * b3;
      acc[4] += a1 * b0; acc[5] += a1 * b1; acc[6] += a1 * b2; acc[7] += a1 * b3;
      acc[8] += a2 * b0; acc[9] += a2 * b1; acc[10] += a2 * b2; acc[11] += a2 * b3;
      acc[12] += a3 * b0; acc[13] += a3 * b1; acc[14] += a3 * b2; acc[15] += a3 * b3;
    }
  }
  for (var r = 0u; r < 4u; r++) {
    store4(i + r, j, acc[r * 4u]);
    store4(i + r, j + 4u, acc[r * 4u + 1u]);
    store4(i + r, j + 8u, acc[r * 4u + 2u]);
    store4(i + r, j + 12u, acc[r * 4u + 3u]);
  }
}
