// Copies whole samples between matrices: for pair q < count (pairs[first + q] = (from, to)),
// out[to * outSample + e * outElement] = a[from * aSample + e * aElement] for e < len.
// A sample is a column of a k x n matrix (sample stride 1, element stride n) or a row of a
// samples-as-rows one (sample stride d, element stride 1).

struct Params {
  count: u32, len: u32, first: u32, pad: u32,
  aSample: u32, aElement: u32, outSample: u32, outElement: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> pairs: array<u32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(64, 1, 1)
fn main(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
) {
  let i = gid.x + gid.y * groups.x * 64u;
  if (i >= p.count * p.len) { return; }
  let q = p.first + i / p.len;
  let e = i % p.len;
  out[pairs[2u * q + 1u] * p.outSample + e * p.outElement] =
    a[pairs[2u * q] * p.aSample + e * p.aElement];
}
