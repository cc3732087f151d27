// Per-segment partial sums over the rows of a sparse symmetric graph S (CSR cut into
// segments of at most 4,096 entries; or an n x m sparse matrix A, for the product term
// only). H is K x m row-major (m = n for a graph), or its transpose m x K (H_AT picks the
// layout). Invocation (s, r) writes
//   partial[r * nSeg + s] = sum over entries e of segment s (row j = segRow[s]) of TERM,
// where TERM is w * H[r, c] for H Sᵀ ((H Sᵀ)[r, j] = sum_c S[j, c] H[r, c]; H S for a graph)
// or w * (H[r, j] - H[r, c])^2 for the graph trace. The weights w are the matrix's own or
// other values on the same structure (the ratio X / WH of a KL update). At most 4,096 loop
// iterations.

struct Params { n: u32, K: u32, nSeg: u32, m: u32 }

@group(0) @binding(0) var<storage, read> h: array<f32>;
@group(0) @binding(1) var<storage, read> cols: array<u32>;
@group(0) @binding(2) var<storage, read> weights: array<f32>;
@group(0) @binding(3) var<storage, read> segStart: array<u32>;
@group(0) @binding(4) var<storage, read> segRow: array<u32>;
@group(0) @binding(5) var<storage, read_write> partial: array<f32>;
@group(0) @binding(6) var<uniform> p: Params;

fn hAt(r: u32, c: u32) -> f32 { return h[{{H_AT}}]; }

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let s = gid.x;
  let r = gid.y;
  if (s >= p.nSeg || r >= p.K) { return; }
  let hj = hAt(r, segRow[s]);
  var acc = 0.0;
  for (var e = segStart[s]; e < segStart[s + 1u]; e++) {
    let w = weights[e];
    let hc = hAt(r, cols[e]);
    acc += {{TERM}};
  }
  partial[r * p.nSeg + s] = acc;
}
