// (A + shift I + r s I)⁻¹ for symmetric A (k x k, row-major) in one workgroup of 256 invocations,
// no readback: the ridge retries and their outcome stay on the device. Two stages, chosen by the
// uniform `stage`, each dispatched once per block of columns (so that no invocation runs more
// than the host's loop budget: llvmpipe ends an invocation silently after 65,535 loop steps in
// total; gpu/spd_inverse.ts counts the steps of each block and keeps them under 16,384):
//
//   stage 0, attempt g, columns [j0, j1): right-looking Cholesky of M = A + shift I + rel_g s I,
//     s = mean |A_ii + shift| (1 when that is not > 0), into l (lower triangle; the upper one is
//     never read). Column j: pivot q = M_jj (updated), then M_ic -= M_ij M_cj / q for j < c <= i,
//     with q read raw; the block ends by scaling its columns (L_ij = M_ij / sqrt(q), L_jj =
//     sqrt(q)). A pivot that is NaN (tested by bits) or <= 0 marks the attempt failed. Each
//     dispatch returns at once when an earlier attempt succeeded or this attempt already failed.
//   stage 1, rows [i0, i1): X = L⁻¹ right-looking (B = I; row i: B_rc -= (L_ri / L_ii) B_ic for
//     r > i, c <= i; then X_i = B_i / L_ii), or X = 0 when every attempt failed. The caller then
//     forms A⁻¹ = Xᵀ X with the GEMM. The first block folds this call into the status.
//
// Thread t = 16 ti + tc owns the entries (i, c) with i ≡ ti and c ≡ tc (mod 16): a 16 x 16
// cyclic split, so neighbouring threads touch neighbouring columns.
//
// state (per call): [done, failed this attempt, grow of the success, relative ridge of it].
// status (since reset): [max grow, calls that gave up, calls, max relative ridge].

struct Params {
  k: u32,
  stage: u32,
  j0: u32,
  j1: u32,
  attempt: u32,
  maxGrow: u32,
  rel: f32,
  shift: f32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> l: array<f32>;
@group(0) @binding(2) var<storage, read_write> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> state: array<f32>;
@group(0) @binding(4) var<storage, read_write> status: array<f32>;
@group(0) @binding(5) var<uniform> p: Params;

var<workgroup> wSkip: u32;

// NaN by its bits: `x != x` may be folded away by the driver.
fn isNan(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
}

// First index >= lo that is ≡ r (mod 16).
fn firstFrom(lo: u32, r: u32) -> u32 {
  return lo + ((r + 16u - (lo % 16u)) % 16u);
}

fn factor(t: u32, ti: u32, tc: u32) {
  let k = p.k;
  if (t == 0u) {
    if (p.attempt == 0u && p.j0 == 0u) {
      state[0] = 0.0;
      state[1] = 0.0;
      state[2] = 0.0;
      state[3] = 0.0;
    } else if (p.j0 == 0u) {
      state[1] = 0.0;
    }
    wSkip = select(0u, 1u, state[0] != 0.0 || state[1] != 0.0);
  }
  if (workgroupUniformLoad(&wSkip) != 0u) { return; }
  if (p.j0 == 0u) {
    var trace = 0.0;
    for (var i = 0u; i < k; i++) { trace += abs(a[i * k + i] + p.shift); }
    let s = select(1.0, trace / f32(k), trace > 0.0 && !isNan(trace));
    let diag = p.shift + p.rel * s;
    for (var i = ti; i < k; i += 16u) {
      for (var c = tc; c <= i; c += 16u) {
        l[i * k + c] = a[i * k + c] + select(0.0, diag, c == i);
      }
    }
  }
  storageBarrier();
  var bad = false;
  for (var j = p.j0; j < p.j1; j++) {
    let q = l[j * k + j];
    bad = bad || isNan(q) || q <= 0.0;
    let inv = 1.0 / q;
    for (var i = firstFrom(j + 1u, ti); i < k; i += 16u) {
      let lij = l[i * k + j] * inv;
      for (var c = firstFrom(j + 1u, tc); c <= i; c += 16u) {
        l[i * k + c] -= lij * l[c * k + j];
      }
    }
    storageBarrier();
  }
  // Scale the block's columns: off-diagonal entries first, the pivots they read afterwards.
  for (var i = t; i < k; i += 256u) {
    for (var j = p.j0; j < min(p.j1, i); j++) {
      l[i * k + j] = l[i * k + j] / sqrt(l[j * k + j]);
    }
  }
  storageBarrier();
  for (var j = p.j0 + t; j < p.j1; j += 256u) { l[j * k + j] = sqrt(l[j * k + j]); }
  if (t == 0u) {
    if (bad) {
      state[1] = 1.0;
    } else if (p.j1 == k) {
      state[0] = 1.0;
      state[2] = f32(p.attempt);
      state[3] = p.rel;
    }
  }
}

fn invert(t: u32, ti: u32, tc: u32) {
  let k = p.k;
  if (t == 0u) { wSkip = select(1u, 0u, state[0] != 0.0); }
  let gaveUp = workgroupUniformLoad(&wSkip) != 0u;
  if (p.j0 == 0u) {
    for (var i = ti; i < k; i += 16u) {
      for (var c = tc; c < k; c += 16u) {
        x[i * k + c] = select(0.0, 1.0, c == i && !gaveUp);
      }
    }
    if (t == 0u) {
      let grow = select(state[2], f32(p.maxGrow), gaveUp);
      status[0] = max(status[0], grow);
      status[1] += select(0.0, 1.0, gaveUp);
      status[2] += 1.0;
      status[3] = max(status[3], select(state[3], p.rel, gaveUp));
    }
  }
  if (gaveUp) { return; }
  storageBarrier();
  for (var i = p.j0; i < p.j1; i++) {
    let inv = 1.0 / l[i * k + i];
    for (var r = firstFrom(i + 1u, ti); r < k; r += 16u) {
      let lri = l[r * k + i] * inv;
      for (var c = tc; c <= i; c += 16u) {
        x[r * k + c] -= lri * x[i * k + c];
      }
    }
    storageBarrier();
  }
  for (var i = firstFrom(p.j0, ti); i < p.j1; i += 16u) {
    let inv = 1.0 / l[i * k + i];
    for (var c = tc; c <= i; c += 16u) { x[i * k + c] *= inv; }
  }
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(local_invocation_index) t: u32) {
  let ti = t / 16u;
  let tc = t % 16u;
  if (p.stage == 0u) {
    factor(t, ti, tc);
  } else {
    invert(t, ti, tc);
  }
}
