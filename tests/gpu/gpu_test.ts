import { equal, rejects, throws } from "node:assert/strict";
import { testGpu } from "../_reference.ts";
import { Gpu, type KernelVariant } from "../../gpu/gpu.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";

const fill: KernelVariant<number> = {
  name: "test_fill",
  wgsl: `
@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<uniform> v: vec4<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  if (g.x < arrayLength(&x)) { x[g.x] = v.x; }
}`,
  workgroupSize: [64, 1, 1],
  dispatch: (n) => [Math.ceil(n / 64), 1, 1],
};

Deno.test("Gpu names a software adapter as such (llvmpipe in CI)", async () => {
  const gpu = await testGpu();
  equal(typeof gpu.adapter.name, "string");
  if (/llvmpipe/i.test(gpu.adapter.name)) equal(gpu.adapter.isSoftware, true);
});

Deno.test("Gpu records several dispatches with different uniforms into one batch, in order", async () => {
  const gpu = await testGpu();
  const m = GpuMatrix.empty(gpu, 1, 100);
  gpu.dispatch(fill, 100, [m.buffer], new Float32Array([1, 0, 0, 0]));
  gpu.dispatch(fill, 100, [m.buffer], new Float32Array([2, 0, 0, 0]));
  const got = await m.toArray();
  equal(got[0], 2);
  equal(got[99], 2);
  equal(gpu.uniform(new Float32Array([2, 0, 0, 0])), gpu.uniform(new Float32Array([2, 0, 0, 0])));
  m.dispose();
});

Deno.test("A WGSL compile error surfaces as an error naming the kernel", async () => {
  const gpu = await testGpu();
  const broken: KernelVariant<number> = { ...fill, name: "test_broken", wgsl: "fn main( {" };
  const m = GpuMatrix.empty(gpu, 1, 4);
  gpu.dispatch(broken, 4, [m.buffer], new Float32Array(4));
  await rejects(() => gpu.sync(), /Kernel test_broken failed to compile/);
  m.dispose();
});

Deno.test("GpuMatrix round-trips data and refuses use after dispose and bad shapes", async () => {
  const gpu = await testGpu();
  const data = new Float32Array([1, -2, 3.5, 4, 5, 6]);
  const m = GpuMatrix.fromArray(gpu, 2, 3, data);
  const copy = m.clone();
  equal([...await copy.toArray()].join(","), [...data].join(","));
  m.dispose();
  m.dispose();
  await rejects(async () => await m.toArray(), /used after dispose/);
  throws(() => GpuMatrix.empty(gpu, 0, 3), /Matrix shape 0x3 is invalid/);
  throws(
    () => GpuMatrix.fromArray(gpu, 2, 2, new Float32Array(3)),
    /Matrix data has 3 values, expected 2x2 = 4/,
  );
  copy.dispose();
});

Deno.test("Gpu.create says what to install when there is no adapter or no WebGPU", async () => {
  const gpu = navigator.gpu;
  const request = gpu.requestAdapter;
  try {
    gpu.requestAdapter = () => Promise.resolve(null);
    await rejects(() => Gpu.create({ log: null }), /No GPU adapter found: install a Vulkan/);
  } finally {
    gpu.requestAdapter = request;
  }
  const nav = Object.getOwnPropertyDescriptor(globalThis, "navigator")!;
  try {
    Object.defineProperty(globalThis, "navigator", { value: {}, configurable: true });
    await rejects(() => Gpu.create({ log: null }), /WebGPU is not available in this runtime/);
  } finally {
    Object.defineProperty(globalThis, "navigator", nav);
  }
});
