// sums[s] = sum over r < K of partial[r * nSeg + s]. Loops K times (K <= 65,535 / 2 is
// checked by the host).

struct Params { n: u32, K: u32, nSeg: u32, pad: u32 }

@group(0) @binding(0) var<storage, read> partial: array<f32>;
@group(0) @binding(1) var<storage, read_write> sums: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let s = gid.x;
  if (s >= p.nSeg) { return; }
  var acc = 0.0;
  for (var r = 0u; r < p.K; r++) { acc += partial[r * p.nSeg + s]; }
  sums[s] = acc;
}
