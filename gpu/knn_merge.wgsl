// Merges the running top-K of query row q0 + row (runD/runI, sorted ascending by
// (distance, index), index -1 = empty) with the nSlices sorted slice lists in
// sliceD/sliceI[(row * nSlices + s) * K ..], keeping the K smallest.
//
// Loop bound (llvmpipe stops an invocation after 65,535 loop iterations): K outputs,
// each scanning nSlices + 1 list heads, then K writes: K * (nSlices + 2) + K
// iterations; the host keeps nSlices <= MAX_SLICES = 64, so at most 64 * 66 + 64 = 4,288.

const K: u32 = {{K}}u;
const MAX_SLICES: u32 = 64u;
const BIG: f32 = 3.4028235e38;

struct Params { qRows: u32, q0: u32, nSlices: u32, pad: u32 }

@group(0) @binding(0) var<storage, read> sliceD: array<f32>;
@group(0) @binding(1) var<storage, read> sliceI: array<i32>;
@group(0) @binding(2) var<storage, read_write> runD: array<f32>;
@group(0) @binding(3) var<storage, read_write> runI: array<i32>;
@group(0) @binding(4) var<uniform> p: Params;

var<private> head: array<u32, 65>;
var<private> md: array<f32, K>;
var<private> mi: array<i32, K>;

// (da, ia) before (db, ib); index -1 is empty and comes last.
fn before(da: f32, ia: i32, db: f32, ib: i32) -> bool {
  if (ia < 0) { return false; }
  if (ib < 0) { return true; }
  return da < db || (da == db && ia < ib);
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let row = gid.x;
  if (row >= p.qRows) { return; }
  let rbase = (p.q0 + row) * K;
  let sbase = row * p.nSlices * K;
  let lists = min(p.nSlices, MAX_SLICES) + 1u; // list 0 is the running list
  for (var t = 0u; t < K; t++) {
    var bestL = 0u;
    var bd = BIG;
    var bix = -1;
    for (var l = 0u; l < lists; l++) {
      if (head[l] >= K) { continue; }
      var d: f32;
      var ix: i32;
      if (l == 0u) {
        d = runD[rbase + head[0]];
        ix = runI[rbase + head[0]];
      } else {
        let e = sbase + (l - 1u) * K + head[l];
        d = sliceD[e];
        ix = sliceI[e];
      }
      if (before(d, ix, bd, bix)) { bd = d; bix = ix; bestL = l; }
    }
    md[t] = bd;
    mi[t] = bix;
    if (bix >= 0) { head[bestL]++; }
  }
  for (var t = 0u; t < K; t++) {
    runD[rbase + t] = md[t];
    runI[rbase + t] = mi[t];
  }
}
