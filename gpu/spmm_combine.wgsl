// out[r, j] = alpha * sum of partial[r * nSeg + s] over the segments s of row j + beta * out[r, j]
// (beta = 0 ignores the old out, even NaN). out is K x n row-major, or its transpose n x K
// (OUT_AT picks the layout). Loops at most ceil(m / 4096) times.

struct Params { n: u32, K: u32, nSeg: u32, pad: u32, alpha: f32, beta: f32, pad1: u32, pad2: u32 }

@group(0) @binding(0) var<storage, read> partial: array<f32>;
@group(0) @binding(1) var<storage, read> rowSeg: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.x;
  let r = gid.y;
  if (j >= p.n || r >= p.K) { return; }
  var acc = 0.0;
  for (var s = rowSeg[j]; s < rowSeg[j + 1u]; s++) { acc += partial[r * p.nSeg + s]; }
  let idx = {{OUT_AT}};
  if (p.beta == 0.0) { out[idx] = p.alpha * acc; } else { out[idx] = p.alpha * acc + p.beta * out[idx]; }
}
