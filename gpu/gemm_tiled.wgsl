// C = alpha * op(A) * op(B) + beta * C over the k-range [k0, k1), for GPUs; with split-K
// (kSplit > 0) workgroup layer z covers one piece of that range and stores its own partial C.
// A 16x16 workgroup computes a 64x64 tile of C; each invocation a 4x4 block. Tiles of op(A)
// (64 x 16) and op(B) (16 x 64) are staged in workgroup memory, zero-filled past the edges, as
// vec4s of 4 consecutive rows (A) or columns (B): one shared load per 4 values, and on llvmpipe
// 7x faster to compile than scalar 2-D arrays (2 s instead of 15 s). On an H100 this beat a
// 128x128 tile with 8x8 per invocation (4.9 against 3.9 TFLOP/s at 1024³): NMF-sized products
// give the larger tile too few workgroups to fill the GPU (bench/RESULTS.md).

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;

const TILE: u32 = 64u;
const BK: u32 = 16u;

var<workgroup> as_: array<vec4<f32>, 256>; // [kk * 16 + i / 4][i % 4]
var<workgroup> bs_: array<vec4<f32>, 256>; // [kk * 16 + j / 4][j % 4]

// op(A)[i, k] and op(B)[k, j]
fn a_at(i: u32, k: u32) -> f32 { return a[{{A_INDEX}}]; }
fn b_at(k: u32, j: u32) -> f32 { return b[{{B_INDEX}}]; }

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  var k_lo = p.k0;
  var k_hi = p.k1;
  if (p.kSplit > 0u) {
    k_lo = p.k0 + wid.z * p.kSplit;
    k_hi = min(p.k1, k_lo + p.kSplit);
    offZ = wid.z * p.zStride;
  }
  let tile_i = wid.y * TILE;
  let tile_j = wid.x * TILE;
  let t = lid.y * 16u + lid.x;
  var acc0 = vec4<f32>(0.0); var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0); var acc3 = vec4<f32>(0.0);

  for (var kb = k_lo; kb < k_hi; kb += BK) {
    // 256 invocations stage 1024 values of each tile, 4 each; consecutive invocations read
    // consecutive addresses of A and of B.
    for (var q = 0u; q < 4u; q++) {
      let e = t + q * 256u;
      let ai = {{A_TILE_I}};
      let ak = {{A_TILE_K}};
      var av = 0.0;
      if (tile_i + ai < p.M && kb + ak < k_hi) { av = a_at(tile_i + ai, kb + ak); }
      as_[ak * 16u + ai / 4u][ai % 4u] = av;
      let bj = {{B_TILE_J}};
      let bk = {{B_TILE_K}};
      var bv = 0.0;
      if (tile_j + bj < p.N && kb + bk < k_hi) { bv = b_at(kb + bk, tile_j + bj); }
      bs_[bk * 16u + bj / 4u][bj % 4u] = bv;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      let av = as_[kk * 16u + lid.y];
      let bv = bs_[kk * 16u + lid.x];
      acc0 += av.x * bv; acc1 += av.y * bv; acc2 += av.z * bv; acc3 += av.w * bv;
    }
    workgroupBarrier();
  }

  let i = tile_i + lid.y * 4u;
  let j = tile_j + lid.x * 4u;
  store4(i, j, acc0);
  store4(i + 1u, j, acc1);
  store4(i + 2u, j, acc2);
  store4(i + 3u, j, acc3);
}
