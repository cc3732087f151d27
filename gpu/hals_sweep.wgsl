// One HALS / coordinate-descent sweep (Cichocki & Phan's fast HALS, scikit-learn's `cd`):
// for each item t (a row of W or a column of H) and l = 0..k-1 in order,
//   f[t,l] ← max(f[t,l] − (Σ_r G[l,r] f[t,r] + l2 f[t,l] − B[t,l] + l1) / (G[l,l] + l2), 0)
// where f[t,l] = f[t * itemStride + l * elemStride], G is the k x k Gram matrix (H Hᵀ or WᵀW)
// and B has f's layout (X Hᵀ or WᵀX). Items are independent: one invocation each, k² steps.

struct Params { items: u32, k: u32, itemStride: u32, elemStride: u32, l1: f32, l2: f32, pad0: f32, pad1: f32 }

@group(0) @binding(0) var<storage, read_write> f: array<f32>;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read> bm: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let t = gid.x;
  if (t >= p.items) { return; }
  let base = t * p.itemStride;
  for (var l = 0u; l < p.k; l++) {
    let hess = g[l * p.k + l] + p.l2;
    if (hess <= 0.0) { continue; }
    var dot = 0.0;
    for (var r = 0u; r < p.k; r++) {
      dot += g[l * p.k + r] * f[base + r * p.elemStride];
    }
    let idx = base + l * p.elemStride;
    let old = f[idx];
    let grad = dot + p.l2 * old - bm[idx] + p.l1;
    f[idx] = max(old - grad / hess, 0.0);
  }
}
