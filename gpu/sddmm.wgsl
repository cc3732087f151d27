// The product W H sampled at the stored entries of a sparse matrix A (CSR cut into segments):
//   out[e] = sum over r < K of W[t * K + r] * H[r * N + j]
// for entry e at (row, col) of A, with (j, t) = (row, col) when A's rows are samples
// (documents x terms) and (col, row) when they are features (terms x documents). W is
// D x K, H is K x N, both row-major. The row of e is found by binary search over the
// segments' first entries (at most 32 steps); the sum loops K times.

struct Params { nnz: u32, K: u32, N: u32, nSeg: u32, rowsAreSamples: u32, pad0: u32, pad1: u32, pad2: u32 }

@group(0) @binding(0) var<storage, read> w: array<f32>;
@group(0) @binding(1) var<storage, read> h: array<f32>;
@group(0) @binding(2) var<storage, read> cols: array<u32>;
@group(0) @binding(3) var<storage, read> segStart: array<u32>;
@group(0) @binding(4) var<storage, read> segRow: array<u32>;
@group(0) @binding(5) var<storage, read_write> out: array<f32>;
@group(0) @binding(6) var<uniform> p: Params;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let e = gid.x + gid.y * groups.x * 64u;
  if (e >= p.nnz) { return; }
  var lo = 0u;
  var hi = p.nSeg;
  while (hi - lo > 1u) {
    let mid = (lo + hi) / 2u;
    if (segStart[mid] <= e) { lo = mid; } else { hi = mid; }
  }
  let row = segRow[lo];
  let col = cols[e];
  var j = col;
  var t = row;
  if (p.rowsAreSamples != 0u) {
    j = row;
    t = col;
  }
  var acc = 0.0;
  for (var r = 0u; r < p.K; r++) { acc += w[t * p.K + r] * h[r * p.N + j]; }
  out[e] = acc;
}
