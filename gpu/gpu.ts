/**
 * The WebGPU runtime: adapter and device, a pipeline cache keyed by kernel
 * variant, content-cached uniform buffers, one command encoder per batch of
 * work, and clear errors for WGSL compile failures and device loss.
 *
 * @module
 */

import { BufferPool } from "./buffer_pool.ts";

/**
 * A compute kernel variant described by data. `wgsl` is complete source whose
 * entry point is `main`; sizes reach it through uniforms, so one pipeline serves
 * every shape. `dispatch` maps a shape to workgroup counts.
 */
export interface KernelVariant<S> {
  /** Unique name; the pipeline cache key. */
  name: string;
  /** Complete WGSL source with entry point `main`. */
  wgsl: string;
  /** Workgroup size the source declares, for reporting. */
  workgroupSize: readonly [number, number, number];
  /** Workgroup counts for `shape`. */
  dispatch(shape: S): [number, number, number];
  /**
   * Uses subgroup built-ins (needs {@linkcode Gpu.hasSubgroups}); `enable subgroups;` is then
   * prepended outside Deno, whose shader compiler rejects the line while other runtimes need it.
   */
  subgroups?: boolean;
}

/** Deno's WebGPU grants subgroups without listing them and rejects `enable subgroups;`. */
const IN_DENO = "Deno" in globalThis;

/** What runs the kernels. */
export interface AdapterDescription {
  /** Adapter description or device name, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)". */
  name: string;
  /** Vendor string as the adapter reports it. */
  vendor: string;
  /** True for CPU fallbacks such as llvmpipe, lavapipe or SwiftShader. */
  isSoftware: boolean;
}

/** Options of {@linkcode Gpu.create}. */
export interface GpuOptions {
  /** Where the one line naming the adapter goes; `null` prints nothing. Default: console.error. */
  log?: ((line: string) => void) | null;
  /** Power preference passed to `requestAdapter`. */
  powerPreference?: GPUPowerPreference;
  /**
   * GEMM kernel family for every product on this device (one of {@linkcode GEMM_DEVICE_FAMILIES}:
   * `register` for CPU adapters, `tiled` for GPUs, `tiled_db_*` to measure the double-buffered
   * tiles, `subgroup` where the adapter has subgroups). Default: chosen by adapter. Tasks take it
   * from `FACET_GEMM`.
   */
  gemm?: GemmFamily;
}

/**
 * The GEMM families a device can be pinned to (gpu/gemm.ts; `register` takes its vec4 form
 * `register4` where sizes allow).
 */
export const GEMM_DEVICE_FAMILIES = [
  "register",
  "tiled",
  "tiled_db_64x64",
  "tiled_db_128x128",
  "tiled_db_128x64",
  "tiled_db_64x128",
  "subgroup",
] as const;

/** One of {@linkcode GEMM_DEVICE_FAMILIES}. */
export type GemmFamily = typeof GEMM_DEVICE_FAMILIES[number];

const SOFTWARE_NAMES = /llvmpipe|lavapipe|swiftshader|software|basic render/i;

/**
 * A GPU device with the machinery every kernel needs.
 *
 * Kernels record into one open command encoder ({@linkcode Gpu.pass});
 * {@linkcode Gpu.flush} submits it, and {@linkcode Gpu.read} flushes, waits
 * and checks for errors. So a whole solver iteration is one submit.
 *
 * @example
 * ```ts
 * const gpu = await Gpu.create({ log: null });
 * console.log(gpu.adapter.name);
 * gpu.destroy();
 * ```
 */
export class Gpu {
  /** The WebGPU device. */
  readonly device: GPUDevice;
  /** The adapter running it. */
  readonly adapter: AdapterDescription;
  /** Pooled storage buffers. */
  readonly pool: BufferPool;
  /** Largest storage binding in bytes. */
  readonly maxBinding: number;
  /** GEMM family asked for in {@linkcode GpuOptions.gemm}, if any. */
  readonly gemmFamily: GemmFamily | undefined;

  /**
   * Whether the device has the `subgroups` feature (subgroupShuffle, subgroupAdd, ...). Deno
   * 2.9.6 does not list it in `adapter.features` but grants it where Vulkan has it, so it is
   * asked for there and dropped when refused (llvmpipe refuses it).
   */
  readonly hasSubgroups: boolean;

  #pipelines = new Map<string, GPUComputePipeline>();
  #uniforms = new Map<string, GPUBuffer>();
  #encoder: GPUCommandEncoder | null = null;
  #pass: GPUComputePassEncoder | null = null;
  #checks: Promise<string | null>[] = [];
  #lost: string | null = null;

  private constructor(
    device: GPUDevice,
    adapter: AdapterDescription,
    gemm: GemmFamily | undefined,
  ) {
    this.device = device;
    this.hasSubgroups = device.features.has("subgroups");
    this.adapter = adapter;
    this.gemmFamily = gemm;
    this.pool = new BufferPool(device);
    this.maxBinding = device.limits.maxStorageBufferBindingSize;
    device.lost.then((info) => {
      if (info.reason !== "destroyed") {
        this.#lost = `GPU device lost (${info.reason}): ${info.message}`;
      }
    });
  }

  /**
   * Acquires an adapter and a device with the adapter's largest buffer and
   * binding sizes, and names the adapter once through `options.log`.
   * Throws when the runtime has no WebGPU or finds no adapter.
   */
  static async create(options: GpuOptions = {}): Promise<Gpu> {
    const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
    if (!gpu) {
      throw new Error("WebGPU is not available in this runtime: use Deno 2 or a WebGPU browser");
    }
    const adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference });
    if (!adapter) {
      throw new Error(
        "No GPU adapter found: install a Vulkan, Metal or D3D12 driver, or Mesa's llvmpipe " +
          "(Debian: mesa-vulkan-drivers) for the software fallback",
      );
    }
    const l = adapter.limits;
    const descriptor = {
      requiredLimits: {
        maxBufferSize: l.maxBufferSize,
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
        maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
        maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
        maxComputeWorkgroupSizeY: l.maxComputeWorkgroupSizeY,
        maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
      },
    };
    let device: GPUDevice | null = null;
    if (adapter.features.has("subgroups") || IN_DENO) {
      const requiredFeatures = ["subgroups" as GPUFeatureName];
      device = await adapter.requestDevice({ ...descriptor, requiredFeatures }).catch(() => null);
    }
    device ??= await adapter.requestDevice(descriptor);
    const info = adapter.info;
    const name = info.description || info.device || info.vendor || "unknown adapter";
    const isSoftware = Boolean(
      (info as { isFallbackAdapter?: boolean }).isFallbackAdapter || SOFTWARE_NAMES.test(name),
    );
    if (options.gemm !== undefined && !GEMM_DEVICE_FAMILIES.includes(options.gemm)) {
      throw new RangeError(
        `GEMM family "${options.gemm}" is unknown: use one of ${GEMM_DEVICE_FAMILIES.join(", ")}`,
      );
    }
    const result = new Gpu(device, { name, vendor: info.vendor, isSoftware }, options.gemm);
    if (options.gemm === "subgroup" && !result.hasSubgroups) {
      device.destroy();
      throw new RangeError(
        `GEMM family "subgroup" needs subgroups, which ${name} lacks: use tiled`,
      );
    }
    const log = options.log === undefined ? (s: string) => console.error(s) : options.log;
    log?.(`facet: GPU adapter ${name}${isSoftware ? " (software fallback)" : ""}`);
    return result;
  }

  /** The cached compute pipeline of `variant`, created on first use. */
  pipeline<S>(variant: KernelVariant<S>): GPUComputePipeline {
    let p = this.#pipelines.get(variant.name);
    if (p) return p;
    if (variant.subgroups && !this.hasSubgroups) {
      throw new RangeError(
        `Kernel ${variant.name} needs subgroups, which this adapter (${this.adapter.name}) lacks`,
      );
    }
    const code = variant.subgroups && !IN_DENO
      ? `enable subgroups;\n${variant.wgsl}`
      : variant.wgsl;
    this.device.pushErrorScope("validation");
    const module = this.device.createShaderModule({ code, label: variant.name });
    p = this.device.createComputePipeline({
      layout: "auto",
      compute: { module, entryPoint: "main" },
      label: variant.name,
    });
    const name = variant.name;
    this.#checks.push(
      this.device.popErrorScope().then((e) =>
        e ? `Kernel ${name} failed to compile: ${e.message}` : null
      ),
    );
    this.#pipelines.set(variant.name, p);
    return p;
  }

  /** A read-only uniform buffer holding `data`, shared by every call with the same bytes. */
  uniform(data: ArrayBuffer | ArrayBufferView): GPUBuffer {
    const bytes = data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const key = Array.from(bytes).join(",");
    let buf = this.#uniforms.get(key);
    if (buf) return buf;
    if (this.#uniforms.size >= 4096) {
      this.flush(); // recorded work may still bind the buffers about to go
      this.#dropUniforms();
    }
    const size = Math.max(16, Math.ceil(bytes.length / 16) * 16);
    buf = this.device.createBuffer({
      size,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    const padded = new Uint8Array(size);
    padded.set(bytes);
    this.device.queue.writeBuffer(buf, 0, padded);
    this.#uniforms.set(key, buf);
    return buf;
  }

  /**
   * Records one dispatch of `variant` for `shape` into the open batch. Binding i
   * of group 0 is `buffers[i]`; when `uniforms` is given it is bound last.
   */
  dispatch<S>(
    variant: KernelVariant<S>,
    shape: S,
    buffers: readonly GPUBuffer[],
    uniforms?: ArrayBuffer | ArrayBufferView,
  ): void {
    const [x, y, z] = variant.dispatch(shape);
    if (x === 0 || y === 0 || z === 0) return;
    const lim = this.device.limits.maxComputeWorkgroupsPerDimension;
    if (x > lim || y > lim || z > lim) {
      throw new RangeError(
        `Kernel ${variant.name} needs ${x}x${y}x${z} workgroups, over the limit of ${lim} per dimension`,
      );
    }
    const pipeline = this.pipeline(variant);
    const entries: GPUBindGroupEntry[] = buffers.map((buffer, binding) => ({
      binding,
      resource: { buffer },
    }));
    if (uniforms) {
      entries.push({ binding: buffers.length, resource: { buffer: this.uniform(uniforms) } });
    }
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries,
    });
    const pass = this.pass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, y, z);
  }

  /** The open compute pass of the current batch. */
  pass(): GPUComputePassEncoder {
    if (!this.#pass) this.#pass = this.encoder().beginComputePass();
    return this.#pass;
  }

  /** The open command encoder of the current batch, with no compute pass open (for copies). */
  encoder(): GPUCommandEncoder {
    if (this.#pass) {
      this.#pass.end();
      this.#pass = null;
    }
    if (!this.#encoder) this.#encoder = this.device.createCommandEncoder();
    return this.#encoder;
  }

  /** Submits the current batch, if any. */
  flush(): void {
    this.#throwIfLost();
    if (!this.#encoder) return;
    const enc = this.encoder();
    this.#encoder = null;
    this.device.queue.submit([enc.finish()]);
  }

  /** Writes `data` into `buffer` at `offset` bytes, after flushing recorded work that may read it. */
  write(buffer: GPUBuffer, data: ArrayBufferView, offset = 0): void {
    this.flush();
    this.device.queue.writeBuffer(
      buffer,
      offset,
      data.buffer as ArrayBuffer,
      data.byteOffset,
      data.byteLength,
    );
  }

  /** Flushes, copies `bytes` of `buffer` from `offset` back to the CPU and checks for errors. */
  async read(buffer: GPUBuffer, bytes = buffer.size, offset = 0): Promise<ArrayBuffer> {
    const size = Math.ceil(bytes / 4) * 4;
    const staging = this.device.createBuffer({
      size: Math.max(4, size),
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    try {
      if (size > 0) this.encoder().copyBufferToBuffer(buffer, offset, staging, 0, size);
      this.flush();
      await staging.mapAsync(GPUMapMode.READ);
      const out = staging.getMappedRange(0, size).slice(0, bytes);
      staging.unmap();
      await this.checkErrors();
      return out;
    } finally {
      staging.destroy();
    }
  }

  /** Waits for submitted work and throws the first compile error or device loss seen. */
  async checkErrors(): Promise<void> {
    const checks = this.#checks;
    this.#checks = [];
    for (const msg of await Promise.all(checks)) if (msg) throw new Error(msg);
    this.#throwIfLost();
  }

  /** Waits until all submitted work is done. */
  async sync(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    await this.checkErrors();
  }

  /** Destroys pooled and uniform buffers and the device. */
  destroy(): void {
    this.#pass = null;
    this.#encoder = null;
    this.pool.clear();
    this.#dropUniforms();
    this.device.destroy();
  }

  #dropUniforms(): void {
    for (const b of this.#uniforms.values()) b.destroy();
    this.#uniforms.clear();
  }

  #throwIfLost(): void {
    if (this.#lost) throw new Error(this.#lost);
  }
}
