// out[r, j] = alpha * h[r, j] * scale[j] + beta * out[r, j] (beta = 0 ignores the old out);
// H D for a diagonal D. No loops.

struct Params { n: u32, K: u32, alpha: f32, beta: f32 }

@group(0) @binding(0) var<storage, read> h: array<f32>;
@group(0) @binding(1) var<storage, read> scale: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.x;
  let r = gid.y;
  if (j >= p.n || r >= p.K) { return; }
  let idx = r * p.n + j;
  let v = p.alpha * h[idx] * scale[j];
  if (p.beta == 0.0) { out[idx] = v; } else { out[idx] = v + p.beta * out[idx]; }
}
