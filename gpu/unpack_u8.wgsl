// out[i] = scale * byte i of `packed` (4 bytes per u32, little-endian), for i < n.

struct Params { n: u32, pad0: u32, pad1: u32, scale: f32 }

@group(0) @binding(0) var<storage, read> packed: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

@compute @workgroup_size(64, 1, 1)
fn main(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
) {
  let i = gid.x + gid.y * groups.x * 64u;
  if (i >= p.n) { return; }
  let word = packed[i / 4u];
  out[i] = p.scale * f32((word >> (8u * (i % 4u))) & 0xffu);
}
