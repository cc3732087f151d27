// Shared by every GEMM kernel (prepended by gemm.ts): the uniform block and the stores of
// C = alpha * acc + beta * C, skipped outside the m x n matrix. Each operand is a view: element
// (r, c) of the stored matrix is at off + r * ld + c (a column range of a row-major matrix).
// Split-K (tiled kernel only): kSplit > 0 gives workgroup layer z the k-range
// [k0 + z kSplit, k0 + (z + 1) kSplit) and its stores the offset offZ = z * zStride.

struct Params {
  M: u32, N: u32, K: u32, k0: u32,
  k1: u32, alpha: f32, beta: f32, kSplit: u32,
  offA: u32, lda: u32, offB: u32, ldb: u32,
  offC: u32, ldc: u32, zStride: u32, pad0: u32,
}

@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

var<private> offZ: u32 = 0u;

fn store(i: u32, j: u32, v: f32) {
  if (i < p.M && j < p.N) {
    let idx = p.offC + offZ + i * p.ldc + j;
    if (p.beta == 0.0) { c[idx] = p.alpha * v; } else { c[idx] = p.alpha * v + p.beta * c[idx]; }
  }
}

// Row i of an 8-wide block: columns jlo..jlo+3 from lo and jhi..jhi+3 from hi.
fn store_row(i: u32, jlo: u32, jhi: u32, lo: vec4<f32>, hi: vec4<f32>) {
  store(i, jlo, lo.x); store(i, jlo + 1u, lo.y); store(i, jlo + 2u, lo.z); store(i, jlo + 3u, lo.w);
  store(i, jhi, hi.x); store(i, jhi + 1u, hi.y); store(i, jhi + 2u, hi.z); store(i, jhi + 3u, hi.w);
}
