// Top-k of one slice of a distance tile. Invocation (row, s) scans candidates
// [s * slice, min((s + 1) * slice, cRows)) of query row `row`, turns each inner product
// tile[row, j] into a distance (squared Euclidean from the norms, or cosine distance),
// keeps the K smallest in a sorted private list and writes it (padded with index -1)
// to out[(row * nSlices + s) * K ..].
//
// Loop bound (llvmpipe silently stops an invocation after 65,535 loop iterations in
// total): the scan runs at most `slice` iterations, each insertion shifts at most K
// entries (K + 1 iterations with the exit test), and the final write K, so at most
// slice * (K + 2) + K iterations. The host picks slice = floor(16384 / (K + 2)), so
// every invocation stays under 16,448 iterations, even for candidates arriving in
// descending order (every candidate inserted at the front).

const K: u32 = {{K}}u;
const BIG: f32 = 3.4028235e38;

struct Params {
  qRows: u32, cRows: u32, q0: u32, c0: u32,
  slice: u32, nSlices: u32, metric: u32, useLabels: u32,
  unlabeledKnn: u32, excludeSelf: u32, pad0: u32, pad1: u32,
}

@group(0) @binding(0) var<storage, read> tile: array<f32>;
@group(0) @binding(1) var<storage, read> norms: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<i32>;
@group(0) @binding(3) var<storage, read_write> outD: array<f32>;
@group(0) @binding(4) var<storage, read_write> outI: array<i32>;
@group(0) @binding(5) var<uniform> p: Params;

var<private> bd: array<f32, K>;
var<private> bi: array<i32, K>;

fn is_nan(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u;
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let row = gid.x;
  let s = gid.y;
  if (row >= p.qRows || s >= p.nSlices) { return; }
  let qi = p.q0 + row;
  // mode 0: every candidate; 1: same label only; 2: none (unlabeled query, option "none")
  var mode = 0u;
  var lq = -1;
  if (p.useLabels != 0u) {
    lq = labels[qi];
    if (lq >= 0) { mode = 1u; } else if (p.unlabeledKnn == 0u) { mode = 2u; }
  }
  var count = 0u;
  let qn = norms[qi];
  let j0 = s * p.slice;
  let j1 = min(j0 + p.slice, p.cRows);
  if (mode != 2u) {
    for (var j = j0; j < j1; j++) {
      let cj = p.c0 + j;
      if (p.excludeSelf != 0u && cj == qi) { continue; }
      if (mode == 1u && labels[cj] != lq) { continue; }
      let t = tile[row * p.cRows + j];
      var d: f32;
      if (p.metric == 0u) {
        d = max(qn + norms[cj] - 2.0 * t, 0.0);
      } else {
        let den = sqrt(qn * norms[cj]);
        d = 1.0;
        if (den > 0.0) { d = clamp(1.0 - t / den, 0.0, 2.0); }
      }
      if (is_nan(d)) { continue; }
      if (count == K && !(d < bd[K - 1u])) { continue; }
      var pos = count;
      if (count < K) { count++; } else { pos = K - 1u; }
      // Candidates arrive by increasing index, so ">" keeps the earlier one first on ties.
      loop {
        if (pos == 0u || !(bd[pos - 1u] > d)) { break; }
        bd[pos] = bd[pos - 1u];
        bi[pos] = bi[pos - 1u];
        pos--;
      }
      bd[pos] = d;
      bi[pos] = i32(cj);
    }
  }
  let base = (row * p.nSlices + s) * K;
  for (var t = 0u; t < K; t++) {
    if (t < count) {
      outD[base + t] = bd[t];
      outI[base + t] = bi[t];
    } else {
      outD[base + t] = BIG;
      outI[base + t] = -1;
    }
  }
}
