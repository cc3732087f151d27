// Shared by every GEMM kernel (prepended by gemm.ts): the uniform block and the stores of
// C = alpha * acc + beta * C, skipped outside the m x n matrix. Each operand is a view: element
// (r, c) of the stored matrix is at off + r * ld + c (a column range of a row-major matrix).
// Split-K (tiled kernel only): kSplit > 0 gives workgroup layer z the k-range
// [k0 + z kSplit, k0 + (z + 1) kSplit) and its stores the offset offZ = z * zStride.
// The epilogue, an expression of idx and the accumulated v filled in by gemm.ts, makes the
// stored value: affine(idx, v) = alpha v + beta C[idx] by default; an epilogue may declare a
// read-only operand e of C's layout (binding 3, the uniforms then at 4) for fused updates
// such as the MU ratio step.

struct Params {
  M: u32, N: u32, K: u32, k0: u32,
  k1: u32, alpha: f32, beta: f32, kSplit: u32,
  offA: u32, lda: u32, offB: u32, ldb: u32,
  offC: u32, ldc: u32, zStride: u32, pad0: u32,
  s0: f32, s1: f32, s2: f32, pad1: f32,
}

@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding({{UNIFORM_BINDING}}) var<uniform> p: Params;
{{EXTRA}}

var<private> offZ: u32 = 0u;

fn affine(idx: u32, v: f32) -> f32 {
  if (p.beta == 0.0) { return p.alpha * v; }
  return p.alpha * v + p.beta * c[idx];
}

fn store(i: u32, j: u32, v: f32) {
  if (i < p.M && j < p.N) {
    let idx = p.offC + offZ + i * p.ldc + j;
    c[idx] = {{EPILOGUE}};
  }
}

// Row i, columns j..j+3.
fn store4(i: u32, j: u32, v: vec4<f32>) {
  store(i, j, v.x); store(i, j + 1u, v.y); store(i, j + 2u, v.z); store(i, j + 3u, v.w);
}

// Row i of an 8-wide block: columns jlo..jlo+3 from lo and jhi..jhi+3 from hi.
fn store_row(i: u32, jlo: u32, jhi: u32, lo: vec4<f32>, hi: vec4<f32>) {
  store(i, jlo, lo.x); store(i, jlo + 1u, lo.y); store(i, jlo + 2u, lo.z); store(i, jlo + 3u, lo.w);
  store(i, jhi, hi.x); store(i, jhi + 1u, hi.y); store(i, jhi + 2u, hi.z); store(i, jhi + 3u, hi.w);
}
