// k-means assignment: for each sample s (a column of cross, k x n), the centroid c with the
// smallest norms[c] - 2 * cross[c, s] (= ||x_s - c||^2 - ||x_s||^2); the first one on ties.
// Writes labels[s] (as f32, exact below 2^24) and the one-hot column s of h (k x n).
// One invocation per sample, two loops over k: the caller keeps k <= 16384, far below
// llvmpipe's 65,535 iterations per invocation.

struct Params { n: u32, k: u32, pad0: u32, pad1: u32 }

@group(0) @binding(0) var<storage, read> cross: array<f32>;
@group(0) @binding(1) var<storage, read> norms: array<f32>;
@group(0) @binding(2) var<storage, read_write> labels: array<f32>;
@group(0) @binding(3) var<storage, read_write> h: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

@compute @workgroup_size(64, 1, 1)
fn main(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
) {
  let s = gid.x + gid.y * groups.x * 64u;
  if (s >= p.n) { return; }
  var best = 0u;
  var bestD = norms[0] - 2.0 * cross[s];
  for (var c = 1u; c < p.k; c++) {
    let dc = norms[c] - 2.0 * cross[c * p.n + s];
    if (dc < bestD) {
      best = c;
      bestD = dc;
    }
  }
  labels[s] = f32(best);
  for (var c = 0u; c < p.k; c++) {
    h[c * p.n + s] = select(0.0, 1.0, c == best);
  }
}
