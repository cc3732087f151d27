// C = alpha * op(A) * op(B) + beta * C over the k-range [k0, k1), for GPUs.
// A 16x16 workgroup computes a 128x128 tile of C; each invocation an 8x8 block in 16 vec4
// accumulators: rows {4ty..4ty+3} and {64+4ty..64+4ty+3}, columns likewise with tx, so that
// neighbouring invocations read neighbouring vec4s of workgroup memory. Tiles of op(A)
// (128 x 8) and op(B) (8 x 128) are staged in workgroup memory as vec4s of 4 consecutive rows
// (A) or columns (B), zero-filled past the edges. vec4 staging also keeps llvmpipe's compile
// time low (2 s instead of 15 s for scalar 2-D arrays), which matters to the tests.

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;

const TILE: u32 = 128u;
const BK: u32 = 8u;

var<workgroup> as_: array<vec4<f32>, 256>; // [kk * 32 + i / 4][i % 4]
var<workgroup> bs_: array<vec4<f32>, 256>; // [kk * 32 + j / 4][j % 4]

// op(A)[i, k] and op(B)[k, j]
fn a_at(i: u32, k: u32) -> f32 { return a[{{A_INDEX}}]; }
fn b_at(k: u32, j: u32) -> f32 { return b[{{B_INDEX}}]; }

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let tile_i = wid.y * TILE;
  let tile_j = wid.x * TILE;
  let t = lid.y * 16u + lid.x;
  var c00 = vec4<f32>(0.0); var c01 = vec4<f32>(0.0);
  var c10 = vec4<f32>(0.0); var c11 = vec4<f32>(0.0);
  var c20 = vec4<f32>(0.0); var c21 = vec4<f32>(0.0);
  var c30 = vec4<f32>(0.0); var c31 = vec4<f32>(0.0);
  var c40 = vec4<f32>(0.0); var c41 = vec4<f32>(0.0);
  var c50 = vec4<f32>(0.0); var c51 = vec4<f32>(0.0);
  var c60 = vec4<f32>(0.0); var c61 = vec4<f32>(0.0);
  var c70 = vec4<f32>(0.0); var c71 = vec4<f32>(0.0);

  for (var kb = p.k0; kb < p.k1; kb += BK) {
    // 256 invocations stage 1024 values of each tile, 4 each; consecutive invocations read
    // consecutive addresses of A and of B.
    for (var q = 0u; q < 4u; q++) {
      let e = t + q * 256u;
      let ai = {{A_TILE_I}};
      let ak = {{A_TILE_K}};
      var av = 0.0;
      if (tile_i + ai < p.M && kb + ak < p.k1) { av = a_at(tile_i + ai, kb + ak); }
      as_[ak * 32u + ai / 4u][ai % 4u] = av;
      let bj = {{B_TILE_J}};
      let bk = {{B_TILE_K}};
      var bv = 0.0;
      if (tile_j + bj < p.N && kb + bk < p.k1) { bv = b_at(kb + bk, tile_j + bj); }
      bs_[bk * 32u + bj / 4u][bj % 4u] = bv;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      let alo = as_[kk * 32u + lid.y];
      let ahi = as_[kk * 32u + 16u + lid.y];
      let blo = bs_[kk * 32u + lid.x];
      let bhi = bs_[kk * 32u + 16u + lid.x];
      c00 += alo.x * blo; c01 += alo.x * bhi;
      c10 += alo.y * blo; c11 += alo.y * bhi;
      c20 += alo.z * blo; c21 += alo.z * bhi;
      c30 += alo.w * blo; c31 += alo.w * bhi;
      c40 += ahi.x * blo; c41 += ahi.x * bhi;
      c50 += ahi.y * blo; c51 += ahi.y * bhi;
      c60 += ahi.z * blo; c61 += ahi.z * bhi;
      c70 += ahi.w * blo; c71 += ahi.w * bhi;
    }
    workgroupBarrier();
  }

  let i = tile_i + lid.y * 4u;
  let j = tile_j + lid.x * 4u;
  store_row(i, j, j + 64u, c00, c01);
  store_row(i + 1u, j, j + 64u, c10, c11);
  store_row(i + 2u, j, j + 64u, c20, c21);
  store_row(i + 3u, j, j + 64u, c30, c31);
  store_row(i + 64u, j, j + 64u, c40, c41);
  store_row(i + 65u, j, j + 64u, c50, c51);
  store_row(i + 66u, j, j + 64u, c60, c61);
  store_row(i + 67u, j, j + 64u, c70, c71);
}

