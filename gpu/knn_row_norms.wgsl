// norms[off + i] (+)= sum over columns [c0, c1) of x[i, c]^2 for a rows x cols row-major block.
// One invocation per row; the caller splits cols into ranges of at most 8192 columns,
// so each invocation runs at most 8192 loop iterations (llvmpipe stops at 65,535).

struct Params { rows: u32, cols: u32, c0: u32, c1: u32, off: u32, pad0: u32, pad1: u32, pad2: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> norms: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= p.rows) { return; }
  var s = 0.0;
  if (p.c0 > 0u) { s = norms[p.off + i]; }
  let base = i * p.cols;
  for (var c = p.c0; c < p.c1; c++) {
    let v = x[base + c];
    s += v * v;
  }
  norms[p.off + i] = s;
}
