// C = alpha * op(A) * op(B) + beta * C over [k0, k1) (or one split-K piece), for GPUs: larger
// and rectangular block tiles than gemm_tiled.wgsl, with double-buffered workgroup memory.
// A 16x16 workgroup computes a BM x BN tile of C (BM, BN in {64, 128}); each invocation a
// (BM/16) x (BN/16) block of 4x4 sub-blocks 64 rows / 64 columns apart, so that neighbouring
// invocations read neighbouring vec4s of workgroup memory and store neighbouring columns.
// k advances 8 at a time: while the FMAs read one stage of workgroup memory, the next stage's
// values are already loaded from global memory into registers and are written to the other
// stage, so each k-step needs one barrier instead of two. Loads and FMAs are unrolled by gemm.ts
// (llvmpipe ends an invocation after 65,535 loop iterations; 8192 / 8 steps x 9 stay far below).
// Global loads are vec4s along the stored matrices' rows (so A's and B's offsets and row
// lengths must be multiples of 4; m, n and k need not be): lanes past the matrix's edge or the
// k-range are zeroed by keep().

@group(0) @binding(0) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;

const BM: u32 = {{BM}}u;
const BN: u32 = {{BN}}u;
const BK: u32 = 8u;

// [stage][kk * BM/4 + i / 4][i % 4] and [stage][kk * BN/4 + j / 4][j % 4]
var<workgroup> as_: array<array<vec4<f32>, {{A_VECS}}>, 2>;
var<workgroup> bs_: array<array<vec4<f32>, {{B_VECS}}>, 2>;

var<private> tile_i: u32;
var<private> tile_j: u32;
var<private> k_hi: u32;

// v where its lanes' coordinates c, c + 1, c + 2, c + 3 are below hi, else 0
fn keep(v: vec4<f32>, c: u32, hi: u32) -> vec4<f32> {
  return select(vec4<f32>(), v, vec4<u32>(c, c + 1u, c + 2u, c + 3u) < vec4<u32>(hi));
}

// op(A)[tile_i + ai, kb + ak] and its 3 neighbours along A's rows, zero past the edges
fn load_a(ai: u32, kb: u32, ak: u32) -> vec4<f32> {
  let i = tile_i + ai;
  let k = kb + ak;
  if (i >= p.M || k >= k_hi) { return vec4<f32>(); }
  return {{A_LOAD}};
}

// op(B)[kb + bk, tile_j + bj] and its 3 neighbours along B's rows, zero past the edges
fn load_b(kb: u32, bk: u32, bj: u32) -> vec4<f32> {
  let j = tile_j + bj;
  let k = kb + bk;
  if (j >= p.N || k >= k_hi) { return vec4<f32>(); }
  return {{B_LOAD}};
}

// Registers for the next k-step: op(A) and op(B) values of this invocation's share.
var<private> ra: array<vec4<f32>, {{A_LOADS}}>;
var<private> rb: array<vec4<f32>, {{B_LOADS}}>;

fn load(kb: u32, t: u32) {
{{LOAD}}
}

fn stage(s: u32, t: u32) {
{{STAGE}}
}

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  var k_lo = p.k0;
  k_hi = p.k1;
  if (p.kSplit > 0u) {
    k_lo = p.k0 + wid.z * p.kSplit;
    k_hi = min(p.k1, k_lo + p.kSplit);
    offZ = wid.z * p.zStride;
  }
  tile_i = wid.y * BM;
  tile_j = wid.x * BN;
  let t = lid.y * 16u + lid.x;
  var acc: array<vec4<f32>, {{ACC}}>;

  load(k_lo, t);
  stage(0u, t);
  workgroupBarrier();
  var s = 0u;
  for (var kb = k_lo; kb < k_hi; kb += BK) {
    let more = kb + BK < k_hi;
    if (more) { load(kb + BK, t); }
    for (var kk = 0u; kk < BK; kk++) {
{{FMA}}
    }
    if (more) { stage(1u - s, t); }
    workgroupBarrier();
    s = 1u - s;
  }

  let i = tile_i + lid.y * 4u;
  let j = tile_j + lid.x * 4u;
  for (var slot = 0u; slot < {{ACC}}u; slot++) {
    let r = slot / {{CB4}}u;
    store4(i + (r / 4u) * 64u + r % 4u, j + (slot % {{CB4}}u) * 64u, acc[slot]);
  }
}
