// C = alpha * op(A) * op(B) + beta * C over the k-range [k0, k1), for CPUs (llvmpipe), when
// M, N, K and the offsets and leading dimensions of the A and B views are multiples of 4.
// Like gemm_register.wgsl (an 8x8 block of C per invocation,
// 16 vec4 accumulators, no workgroup memory), but A and B are read as vec4 along their
// contiguous dimension, 4 values of k per step: 16 vec4 loads per 256 multiply-adds.
// Rearranging loaded vec4 components costs nothing on llvmpipe, whose SIMD lanes are
// invocations (each component is its own register).

@group(0) @binding(0) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;

@compute @workgroup_size({{WG_X}}, {{WG_Y}}, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i0 = gid.y * 8u;
  let j0 = gid.x * 8u;
  if (i0 >= p.M || j0 >= p.N) { return; }
  let mi = p.M - 1u;
  let nj = p.N - 1u;
  // Clamped rows and columns: out-of-range ones read valid memory and are not stored.
  let r0 = min(i0, mi); let r1 = min(i0 + 1u, mi); let r2 = min(i0 + 2u, mi); let r3 = min(i0 + 3u, mi);
  let r4 = min(i0 + 4u, mi); let r5 = min(i0 + 5u, mi); let r6 = min(i0 + 6u, mi); let r7 = min(i0 + 7u, mi);
  let s0 = min(j0, nj); let s1 = min(j0 + 1u, nj); let s2 = min(j0 + 2u, nj); let s3 = min(j0 + 3u, nj);
  let s4 = min(j0 + 4u, nj); let s5 = min(j0 + 5u, nj); let s6 = min(j0 + 6u, nj); let s7 = min(j0 + 7u, nj);
  // First vec4 of rows i0..i0+3 and i0+4..i0+7 (clamped), and likewise for columns.
  let rlo = r0 / 4u; let rhi = r4 / 4u;
  let slo = s0 / 4u; let shi = s4 / 4u;
  // Leading dimensions and offsets of the A and B views in vec4s (multiples of 4, checked by gemm.ts).
  let lda4 = p.lda / 4u; let ldb4 = p.ldb / 4u; let oa4 = p.offA / 4u; let ob4 = p.offB / 4u;

  var c00 = vec4<f32>(0.0); var c01 = vec4<f32>(0.0);
  var c10 = vec4<f32>(0.0); var c11 = vec4<f32>(0.0);
  var c20 = vec4<f32>(0.0); var c21 = vec4<f32>(0.0);
  var c30 = vec4<f32>(0.0); var c31 = vec4<f32>(0.0);
  var c40 = vec4<f32>(0.0); var c41 = vec4<f32>(0.0);
  var c50 = vec4<f32>(0.0); var c51 = vec4<f32>(0.0);
  var c60 = vec4<f32>(0.0); var c61 = vec4<f32>(0.0);
  var c70 = vec4<f32>(0.0); var c71 = vec4<f32>(0.0);

  for (var k = p.k0; k < p.k1; k += 4u) {
    let q = k / 4u;
    // a0..a7: op(A)[r, k..k+3] for the 8 rows.
{{LOAD_A}}
    // bkl, bkh: op(B)[k + kk, j0..j0+3] and [k + kk, j0+4..j0+7] for kk = 0..3.
{{LOAD_B}}
    c00 += a0.x * b0l + a0.y * b1l + a0.z * b2l + a0.w * b3l;
    c01 += a0.x * b0h + a0.y * b1h + a0.z * b2h + a0.w * b3h;
    c10 += a1.x * b0l + a1.y * b1l + a1.z * b2l + a1.w * b3l;
    c11 += a1.x * b0h + a1.y * b1h + a1.z * b2h + a1.w * b3h;
    c20 += a2.x * b0l + a2.y * b1l + a2.z * b2l + a2.w * b3l;
    c21 += a2.x * b0h + a2.y * b1h + a2.z * b2h + a2.w * b3h;
    c30 += a3.x * b0l + a3.y * b1l + a3.z * b2l + a3.w * b3l;
    c31 += a3.x * b0h + a3.y * b1h + a3.z * b2h + a3.w * b3h;
    c40 += a4.x * b0l + a4.y * b1l + a4.z * b2l + a4.w * b3l;
    c41 += a4.x * b0h + a4.y * b1h + a4.z * b2h + a4.w * b3h;
    c50 += a5.x * b0l + a5.y * b1l + a5.z * b2l + a5.w * b3l;
    c51 += a5.x * b0h + a5.y * b1h + a5.z * b2h + a5.w * b3h;
    c60 += a6.x * b0l + a6.y * b1l + a6.z * b2l + a6.w * b3l;
    c61 += a6.x * b0h + a6.y * b1h + a6.z * b2h + a6.w * b3h;
    c70 += a7.x * b0l + a7.y * b1l + a7.z * b2l + a7.w * b3l;
    c71 += a7.x * b0h + a7.y * b1h + a7.z * b2h + a7.w * b3h;
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
