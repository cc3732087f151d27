// C = alpha * op(A) * op(B) + beta * C over the k-range [k0, k1), for CPUs (llvmpipe).
// Each invocation computes an 8x8 block of C in 16 vec4 accumulators held in registers;
// no workgroup memory. Out-of-range rows and columns read a clamped (valid) index and are
// not written, so the inner loop has no branches.

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;

// op(A)[i, k] and op(B)[k, j]
fn a_at(i: u32, k: u32) -> f32 { return a[{{A_INDEX}}]; }
fn b_at(k: u32, j: u32) -> f32 { return b[{{B_INDEX}}]; }

@compute @workgroup_size({{WG_X}}, {{WG_Y}}, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i0 = gid.y * 8u;
  let j0 = gid.x * 8u;
  if (i0 >= p.M || j0 >= p.N) { return; }
  let mi = p.M - 1u;
  let nj = p.N - 1u;
  let r0 = min(i0, mi); let r1 = min(i0 + 1u, mi); let r2 = min(i0 + 2u, mi); let r3 = min(i0 + 3u, mi);
  let r4 = min(i0 + 4u, mi); let r5 = min(i0 + 5u, mi); let r6 = min(i0 + 6u, mi); let r7 = min(i0 + 7u, mi);
  let s0 = min(j0, nj); let s1 = min(j0 + 1u, nj); let s2 = min(j0 + 2u, nj); let s3 = min(j0 + 3u, nj);
  let s4 = min(j0 + 4u, nj); let s5 = min(j0 + 5u, nj); let s6 = min(j0 + 6u, nj); let s7 = min(j0 + 7u, nj);

  var c00 = vec4<f32>(0.0); var c01 = vec4<f32>(0.0);
  var c10 = vec4<f32>(0.0); var c11 = vec4<f32>(0.0);
  var c20 = vec4<f32>(0.0); var c21 = vec4<f32>(0.0);
  var c30 = vec4<f32>(0.0); var c31 = vec4<f32>(0.0);
  var c40 = vec4<f32>(0.0); var c41 = vec4<f32>(0.0);
  var c50 = vec4<f32>(0.0); var c51 = vec4<f32>(0.0);
  var c60 = vec4<f32>(0.0); var c61 = vec4<f32>(0.0);
  var c70 = vec4<f32>(0.0); var c71 = vec4<f32>(0.0);

  for (var k = p.k0; k < p.k1; k++) {
    let alo = vec4<f32>(a_at(r0, k), a_at(r1, k), a_at(r2, k), a_at(r3, k));
    let ahi = vec4<f32>(a_at(r4, k), a_at(r5, k), a_at(r6, k), a_at(r7, k));
    let blo = vec4<f32>(b_at(k, s0), b_at(k, s1), b_at(k, s2), b_at(k, s3));
    let bhi = vec4<f32>(b_at(k, s4), b_at(k, s5), b_at(k, s6), b_at(k, s7));
    c00 += alo.x * blo; c01 += alo.x * bhi;
    c10 += alo.y * blo; c11 += alo.y * bhi;
    c20 += alo.z * blo; c21 += alo.z * bhi;
    c30 += alo.w * blo; c31 += alo.w * bhi;
    c40 += ahi.x * blo; c41 += ahi.x * bhi;
    c50 += ahi.y * blo; c51 += ahi.y * bhi;
    c60 += ahi.z * blo; c61 += ahi.z * bhi;
    c70 += ahi.w * blo; c71 += ahi.w * bhi;
  }

  store_row(i0, j0, j0 + 4u, c00, c01);
  store_row(i0 + 1u, j0, j0 + 4u, c10, c11);
  store_row(i0 + 2u, j0, j0 + 4u, c20, c21);
  store_row(i0 + 3u, j0, j0 + 4u, c30, c31);
  store_row(i0 + 4u, j0, j0 + 4u, c40, c41);
  store_row(i0 + 5u, j0, j0 + 4u, c50, c51);
  store_row(i0 + 6u, j0, j0 + 4u, c60, c61);
  store_row(i0 + 7u, j0, j0 + 4u, c70, c71);
}
