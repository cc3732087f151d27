// One pass of a sum reduction: partial t of P sums term(i) over i = t, t + P, t + 2P, ... < n,
// at most `chunk` terms per invocation (llvmpipe ends an invocation after 65,535 loop
// iterations). Passes repeat on the partials until one value is left.
// term(i) reads x, y and w (pass any buffer for the ones a term does not use).

struct Params { n: u32, parts: u32, chunk: u32, pad: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

fn term(i: u32) -> f32 {
  return {{TERM}};
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  _ = &x; _ = &y; _ = &w;
  let t = gid.x;
  if (t >= p.parts) { return; }
  var acc = 0.0;
  var i = t;
  for (var j = 0u; j < p.chunk && i < p.n; j++) {
    acc += term(i);
    i += p.parts;
  }
  out[t] = acc;
}
