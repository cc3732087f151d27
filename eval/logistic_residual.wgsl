// Per-row logistic loss and residual of the GPU linear probe (eval/logistic_probe_gpu.ts).
// Row i < n of the logits Z (row stride `stride`, the first k columns used), class y[i] and
// row weight w[i] (1 fitted, 0 held out or padding):
//   k == 1 (binary):  loss[i] = w (softplus(t) - y t),  r[i, 0] = w (sigmoid(t) - y), t = Z[i, 0]
//   k >= 2 (softmax): loss[i] = w (log Σ_a e^{Z[i,a]} - Z[i,y]),  r[i, a] = w (softmax_a - [a == y])
// Columns k..stride-1 of r are zeroed. One invocation per row; its loops run over at most
// 3 stride iterations (far below llvmpipe's 65,535-iteration cutoff for k <= 16,384).

struct Params { n: u32, k: u32, stride: u32, pad: u32 }

@group(0) @binding(0) var<storage, read> z: array<f32>;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> r: array<f32>;
@group(0) @binding(4) var<storage, read_write> loss: array<f32>;
@group(0) @binding(5) var<uniform> p: Params;

@compute @workgroup_size(64, 1, 1)
fn main(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
) {
  let i = gid.x + gid.y * groups.x * 64u;
  if (i >= p.n) { return; }
  let o = i * p.stride;
  let wi = w[i];
  let yc = u32(y[i]);
  if (p.k == 1u) {
    let t = z[o];
    let yv = select(0.0, 1.0, yc == 1u);
    let e = exp(-abs(t));
    loss[i] = wi * (max(t, 0.0) + log(1.0 + e) - yv * t);
    let s = select(e / (1.0 + e), 1.0 / (1.0 + e), t >= 0.0);
    r[o] = wi * (s - yv);
    for (var a = 1u; a < p.stride; a++) { r[o + a] = 0.0; }
    return;
  }
  var mx = z[o];
  for (var a = 1u; a < p.k; a++) { mx = max(mx, z[o + a]); }
  var sum = 0.0;
  for (var a = 0u; a < p.k; a++) { sum += exp(z[o + a] - mx); }
  loss[i] = wi * (log(sum) - (z[o + yc] - mx));
  let inv = 1.0 / sum;
  for (var a = 0u; a < p.stride; a++) {
    let pa = select(0.0, exp(z[o + a] - mx) * inv - select(0.0, 1.0, a == yc), a < p.k);
    r[o + a] = wi * pa;
  }
}
