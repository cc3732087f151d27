// The second pass of a split-K GEMM: C = alpha * (sum over z < S of P_z) + beta * C, with the
// partial products P_z (M x N, row-major) at z * M * N of `partial` and C a view (offset offC,
// row length ldc); beta = 0 ignores the old C (even NaN). Loops S <= 64 times.

struct Params { M: u32, N: u32, S: u32, offC: u32, ldc: u32, alpha: f32, beta: f32, pad: u32 }

@group(0) @binding(0) var<storage, read> partial: array<f32>;
@group(0) @binding(1) var<storage, read_write> c: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let e = gid.x + gid.y * groups.x * 64u;
  if (e >= p.M * p.N) { return; }
  var acc = 0.0;
  for (var z = 0u; z < p.S; z++) { acc += partial[z * p.M * p.N + e]; }
  let idx = p.offC + (e / p.N) * p.ldc + e % p.N;
  if (p.beta == 0.0) { c[idx] = p.alpha * acc; } else { c[idx] = p.alpha * acc + p.beta * c[idx]; }
}
