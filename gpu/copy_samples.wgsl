// Copies whole samples between matrices: for pair q < count (pairs[first + q] = (from, to)),
// out[to * outSample + e * outElement] = a[from * aSample + e * aElement] for e < len.
// A sample is a column of a k x n matrix (sample stride 1, element stride n) or a row of a
// samples-as-rows one (sample stride d, element stride 1). Neighbouring invocations walk the
// axis of stride 1 (samples when sampleFastest = 1, else elements), so their reads and writes
// stay in few cache lines.

struct Params {
  count: u32, len: u32, first: u32, sampleFastest: u32,
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
  var q = p.first + i / p.len;
  var e = i % p.len;
  if (p.sampleFastest == 1u) {
    q = p.first + i % p.count;
    e = i / p.count;
  }
  out[pairs[2u * q + 1u] * p.outSample + e * p.outElement] =
    a[pairs[2u * q] * p.aSample + e * p.aElement];
}
