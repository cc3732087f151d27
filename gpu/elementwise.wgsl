// out[i] = EXPR for i < n: one invocation per element on a 2-D grid of workgroups.
// EXPR may read out[i] (its old value), a, b, c at any index, the f32 scalars s0..s3
// and the u32 parameters u0, u1 (e.g. for broadcasting a vector along rows or columns).

struct Params { n: u32, u0: u32, u1: u32, pad: u32, s0: f32, s1: f32, s2: f32, s3: f32 }

@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> c: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

@compute @workgroup_size(64, 1, 1)
fn main(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
) {
  _ = &a; _ = &b; _ = &c;
  let i = gid.x + gid.y * groups.x * 64u;
  if (i >= p.n) { return; }
  out[i] = {{EXPR}};
}
