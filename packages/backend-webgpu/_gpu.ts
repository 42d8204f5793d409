import { BackendError } from "@kiso/tensor/errors";
import type { BlockSource } from "@kiso/tensor/memory";

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

/**
 * One GPU device's command stream: compiled pipelines, and dispatches recorded into one command
 * encoder with their parameters in one arena, submitted in batches (and before every read). It is
 * also the source of the backend's buffer pool (`@kiso/tensor/memory`).
 */
export class Gpu implements BlockSource<GPUBuffer> {
  readonly device: GPUDevice;
  readonly #pipelines = new Map<string, GPUComputePipeline>();
  readonly #arena: GPUBuffer;
  readonly #params = new Uint8Array(ARENA_BYTES);
  #used = 0;
  #encoder: GPUCommandEncoder | null = null;
  /** The compute pass the dispatches go into (one per batch: each dispatch sees the last one's writes). */
  #pass: GPUComputePassEncoder | null = null;
  #recorded = 0;
  #lost: string | null = null;
  #error: string | null = null;

  constructor(device: GPUDevice) {
    this.device = device;
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
      throw new BackendError("webgpu", op, `the GPU device was lost (${this.#lost})`);
    }
    if (this.#error !== null) {
      const message = this.#error;
      this.#error = null;
      throw new BackendError("webgpu", op, `the GPU reported an error: ${message}`);
    }
  }

  /** A new storage buffer of `bytes` bytes. */
  create(bytes: number): GPUBuffer {
    // GPUBufferUsage is read here, never at load time: a page without WebGPU has no such global
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    return this.device.createBuffer({ size: bytes, usage });
  }

  /** Destroys a buffer once the dispatches recorded so far (which may read it) are submitted. */
  destroy(buffer: GPUBuffer): void {
    this.flush();
    buffer.destroy();
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
