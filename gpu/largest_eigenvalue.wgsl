// Bounds on λmax of a symmetric k x k matrix A (row-major) by power iteration on |A| (entrywise),
// warm-started from the caller's vector v, in one workgroup of 256 invocations (thread t owns
// rows t, t + 256, ..., at most 4 of them). Each of the `iterations` + 1 products w = |A| v gives
//   upper = min over products of max_i w_i / v_i   (Collatz–Wielandt: ρ(|A|) <= it for any v > 0,
//                                                   and λmax(A) <= ρ(A) <= ρ(|A|)),
//   lower = max over products of vᵀ A v / vᵀ v      (a Rayleigh quotient: <= λmax(A)),
// then v ← max(w / max w, 1e-30) (positive, so the next ratio is defined). upper is also capped
// by max_i Σ_j |A_ij| (>= ρ(|A|)). When A >= 0 entrywise (Gram matrices of non-negative factors)
// |A| = A and both bounds close on λmax. Loop steps per invocation: R k (row sums) + (iterations
// + 1) (R k + 8 + 2R) + 8 with R = ⌈k / 256⌉; gpu/largest_eigenvalue.ts checks the budget.
//
// out = [upper + shift, 1 / (upper + shift), lower + shift, (upper − lower) / upper], with upper
// and lower raised to at least 1e-30 first (as factorize/nmf_pgd.ts does).

struct Params { k: u32, iterations: u32, shift: f32, pad: f32 }

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> v: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

const FLOOR: f32 = 1e-30;

var<workgroup> red: array<vec4<f32>, 256>;

fn isFinite(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}

// Tree reduction of red[]: x, y by max, z, w by sum. Every invocation gets the result.
fn reduce(t: u32, mine: vec4<f32>) -> vec4<f32> {
  red[t] = mine;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s >>= 1u) {
    if (t < s) {
      let o = red[t + s];
      let m = red[t];
      red[t] = vec4<f32>(max(m.x, o.x), max(m.y, o.y), m.z + o.z, m.w + o.w);
    }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(local_invocation_index) t: u32) {
  let k = p.k;
  // Row sums of |A| (an upper bound) and a positive start: invalid entries become 1.
  var rowMax = 0.0;
  for (var i = t; i < k; i += 256u) {
    var s = 0.0;
    for (var j = 0u; j < k; j++) { s += abs(a[i * k + j]); }
    rowMax = max(rowMax, s);
    let vi = v[i];
    v[i] = select(1.0, vi, isFinite(vi) && vi > 0.0);
  }
  let bound = reduce(t, vec4<f32>(rowMax, 0.0, 0.0, 0.0)).x;
  storageBarrier();
  var upper = bound;
  var lower = 0.0;
  var w: array<f32, 4>;
  for (var it = 0u; it <= p.iterations; it++) {
    var ratio = 0.0;
    var wMax = 0.0;
    var vav = 0.0;
    var vv = 0.0;
    var r = 0u;
    for (var i = t; i < k; i += 256u) {
      var sAbs = 0.0;
      var sA = 0.0;
      for (var j = 0u; j < k; j++) {
        let aij = a[i * k + j];
        let vj = v[j];
        sAbs += abs(aij) * vj;
        sA += aij * vj;
      }
      let vi = v[i];
      w[r] = sAbs;
      ratio = max(ratio, sAbs / vi);
      wMax = max(wMax, sAbs);
      vav += vi * sA;
      vv += vi * vi;
      r++;
    }
    let tot = reduce(t, vec4<f32>(ratio, wMax, vav, vv));
    upper = min(upper, tot.x);
    lower = max(lower, tot.z / tot.w);
    storageBarrier();
    if (it < p.iterations && tot.y > 0.0) {
      r = 0u;
      for (var i = t; i < k; i += 256u) {
        v[i] = max(w[r] / tot.y, FLOOR);
        r++;
      }
    }
    storageBarrier();
  }
  if (t == 0u) {
    let up = max(upper, FLOOR) + p.shift;
    let lo = max(min(lower, upper), FLOOR) + p.shift;
    out[0] = up;
    out[1] = 1.0 / up;
    out[2] = lo;
    out[3] = (up - lo) / up;
  }
}
