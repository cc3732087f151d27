// One Adam step (Kingma & Ba, Algorithm 1) in one pass over a parameter: the moments
// m1 = b1 m1 + (1 − b1) g and m2 = b2 m2 + (1 − b2) g², then x −= rate m1 / (sqrt(m2) + eps),
// rate being lr with both bias corrections folded in. Reads 4 values and writes 3 per entry,
// where three elementwise passes read 7 and wrote 3.

struct Params { n: u32, pad0: u32, pad1: u32, pad2: u32, b1: f32, b2: f32, rate: f32, eps: f32 }

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> m1: array<f32>;
@group(0) @binding(2) var<storage, read_write> m2: array<f32>;
@group(0) @binding(3) var<storage, read> g: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

@compute @workgroup_size(64, 1, 1)
fn main(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
) {
  let i = gid.x + gid.y * groups.x * 64u;
  if (i >= p.n) { return; }
  let gi = g[i];
  let first = p.b1 * m1[i] + (1.0 - p.b1) * gi;
  let second = p.b2 * m2[i] + (1.0 - p.b2) * gi * gi;
  m1[i] = first;
  m2[i] = second;
  x[i] = x[i] - p.rate * first / (sqrt(max(second, 0.0)) + p.eps);
}
