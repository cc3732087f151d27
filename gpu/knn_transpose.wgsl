// out = inᵀ for a rows x cols row-major block: out[c, r] = in[r, c]. No loops.

struct Params { rows: u32, cols: u32, pad0: u32, pad1: u32 }

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let r = gid.x;
  let c = gid.y;
  if (r >= p.rows || c >= p.cols) { return; }
  dst[c * p.rows + r] = src[r * p.cols + c];
}
