/** Bytes of one parameter block: the storage-buffer offset alignment WebGPU guarantees. */
const PARAM_ALIGN = 256;
/** The parameter arena of one batch of dispatches. */
const ARENA_BYTES = 1 << 20;
/** Dispatches recorded before the batch is submitted. */
const BATCH = 128;
/** Threads per workgroup of the one-dimensional kernels. */
export const GROUP = 256;
/** The most workgroups along one dispatch dimension. */
const MAX_GROUPS = 65535;

const STORAGE_USAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** Rounds a byte count up to its pool size class: powers of two, then steps of 1/4. */
export function sizeClass(bytes: number): number {
  const minimum = Math.max(bytes, 256);
  const power = 2 ** Math.floor(Math.log2(minimum));
  const step = Math.max(256, power / 4);
  return Math.ceil(minimum / step) * step;
}

/**
 * One GPU device's buffers and command stream: a size-classed buffer pool, compiled pipelines,
 * and dispatches recorded into one command encoder with their parameters in one arena, submitted
 * in batches (and before every read).
 */
export class Gpu {
  readonly device: GPUDevice;
  readonly #free = new Map<number, GPUBuffer[]>();
  readonly #pipelines = new Map<string, GPUComputePipeline>();
  readonly #arena: GPUBuffer;
  readonly #params = new Uint8Array(ARENA_BYTES);
  #used = 0;
  #encoder: GPUCommandEncoder | null = null;
  /** The compute pass the dispatches go into (one per batch: each dispatch sees the last one's writes). */
  #pass: GPUComputePassEncoder | null = null;
  #recorded = 0;
  /** Bytes held by live storages and by the pool. */
  allocated = 0;
  /** The most bytes the pool may hold. */
  readonly budget: number;
  #lost: string | null = null;
  #error: string | null = null;

  constructor(device: GPUDevice, budget: number) {
    this.device = device;
    this.budget = budget;
    this.#arena = device.createBuffer({
      size: ARENA_BYTES,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    });
    device.lost.then((info) => {
      this.#lost = `${info.reason ?? "unknown"}: ${info.message}`;
    });
    device.addEventListener("uncapturederror", (event) => {
      this.#error ??= (event as GPUUncapturedErrorEvent).error.message;
    });
  }

  /** Throws when the device is gone or reported an error (which WebGPU does asynchronously). */
  check(op: string): void {
    if (this.#lost !== null) {
      throw new Error(`webgpu: ${op}: the GPU device was lost (${this.#lost})`);
    }
    if (this.#error !== null) {
      const message = this.#error;
      this.#error = null;
      throw new Error(`webgpu: ${op}: the GPU reported an error: ${message}`);
    }
  }

  /** A storage buffer of at least `bytes` (from the pool when one of its class is free). */
  acquire(bytes: number, what: () => string): { buffer: GPUBuffer; bytes: number } {
    const size = sizeClass(bytes);
    const free = this.#free.get(size);
    const reused = free?.pop();
    if (reused !== undefined) return { buffer: reused, bytes: size };
    if (
      size > this.device.limits.maxStorageBufferBindingSize || this.allocated + size > this.budget
    ) {
      this.trim();
      if (
        size > this.device.limits.maxStorageBufferBindingSize || this.allocated + size > this.budget
      ) {
        throw new RangeError(
          `webgpu: out of GPU memory: ${what()} needs ${mib(bytes)}; ${
            mib(this.allocated)
          } in use ` +
            `of ${mib(this.budget)} (maxMemory), the largest buffer is ${
              mib(this.device.limits.maxStorageBufferBindingSize)
            }: dispose tensors you no longer need, or use smaller batches`,
        );
      }
    }
    this.allocated += size;
    return { buffer: this.device.createBuffer({ size, usage: STORAGE_USAGE }), bytes: size };
  }

  /** Returns a buffer to the pool. */
  release(buffer: GPUBuffer, bytes: number): void {
    const list = this.#free.get(bytes);
    if (list === undefined) this.#free.set(bytes, [buffer]);
    else list.push(buffer);
  }

  /** Destroys every pooled buffer (when the budget is reached). */
  trim(): void {
    this.flush();
    for (const [bytes, list] of this.#free) {
      for (const buffer of list) buffer.destroy();
      this.allocated -= bytes * list.length;
    }
    this.#free.clear();
  }

  #pipeline(code: string): GPUComputePipeline {
    let pipeline = this.#pipelines.get(code);
    if (pipeline === undefined) {
      const module = this.device.createShaderModule({ code });
      pipeline = this.device.createComputePipeline({
        layout: "auto",
        compute: { module, entryPoint: "main" },
      });
      this.#pipelines.set(code, pipeline);
    }
    return pipeline;
  }

  /**
   * Records one dispatch of `code` (entry point `main`; binding 0 is the parameter block, then
   * `buffers` in order) over `groups` workgroups.
   */
  dispatch(
    code: string,
    params: Uint32Array,
    buffers: readonly GPUBuffer[],
    groups: readonly [number, number, number],
  ): void {
    if (groups[0] === 0 || groups[1] === 0 || groups[2] === 0) return;
    const paramBytes = Math.max(4, params.byteLength);
    if (this.#used + paramBytes > ARENA_BYTES || this.#recorded >= BATCH) this.flush();
    const offset = this.#used;
    this.#params.set(new Uint8Array(params.buffer, params.byteOffset, params.byteLength), offset);
    this.#used += Math.ceil(paramBytes / PARAM_ALIGN) * PARAM_ALIGN;
    const pipeline = this.#pipeline(code);
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.#arena, offset, size: paramBytes } },
        ...buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
      ],
    });
    this.#encoder ??= this.device.createCommandEncoder();
    this.#pass ??= this.#encoder.beginComputePass();
    this.#pass.setPipeline(pipeline);
    this.#pass.setBindGroup(0, bindGroup);
    this.#pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    this.#recorded++;
  }

  /** Records a dispatch of a one-dimensional kernel over `threads` invocations. */
  dispatchFlat(
    code: string,
    params: Uint32Array,
    buffers: readonly GPUBuffer[],
    threads: number,
  ): void {
    const groups = Math.ceil(threads / GROUP);
    const x = Math.min(groups, MAX_GROUPS);
    this.dispatch(code, params, buffers, [x, Math.ceil(groups / Math.max(x, 1)), 1]);
  }

  #endPass(): void {
    this.#pass?.end();
    this.#pass = null;
  }

  /** Submits what has been recorded. */
  flush(): void {
    if (this.#encoder === null) return;
    this.#endPass();
    this.device.queue.writeBuffer(this.#arena, 0, this.#params, 0, this.#used);
    this.device.queue.submit([this.#encoder.finish()]);
    this.#encoder = null;
    this.#recorded = 0;
    this.#used = 0;
  }

  /** Copies `bytes` of a buffer back to the host once every recorded dispatch has run. */
  async read(buffer: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    const staging = this.device.createBuffer({
      size: Math.max(4, Math.ceil(bytes / 4) * 4),
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    this.#encoder ??= this.device.createCommandEncoder();
    this.#endPass();
    if (bytes > 0) this.#encoder.copyBufferToBuffer(buffer, 0, staging, 0, staging.size);
    this.flush();
    await staging.mapAsync(GPUMapMode.READ);
    this.check("read");
    const copy = staging.getMappedRange().slice(0, bytes);
    staging.unmap();
    staging.destroy();
    return copy;
  }

  /** Writes host bytes into a buffer (ordered after every recorded dispatch). */
  write(buffer: GPUBuffer, data: ArrayBufferView): void {
    this.flush();
    if (data.byteLength > 0) {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      this.device.queue.writeBuffer(buffer, 0, bytes as Uint8Array<ArrayBuffer>);
    }
  }
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
