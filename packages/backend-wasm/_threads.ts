/**
 * Worker threads sharing the backend's WebAssembly memory. Each runs its own instance of the
 * kernels module (with its own stack) and waits for calls on a shared control block: the main
 * thread posts one call per worker, runs its own share, then waits for the others. Workers are
 * `node:worker_threads` workers evaluated from source and unref'ed, so they need no permission
 * flags and never keep the process alive.
 */
import { Worker } from "node:worker_threads";
import { BackendError } from "@kiso/tensor/errors";

/** A kernel call: the export's name and its integer arguments. */
export type Call = readonly [name: string, args: readonly number[]];

const MAX_ARGS = 20;
// per worker: [state, name index, argc, args…]; state 0 idle, 1 posted, 2 done, 3 failed, 4 stop
const SLOT = 4 + MAX_ARGS;
const IDLE = 0;
const POSTED = 1;
const DONE = 2;
const FAILED = 3;
const STOP = 4;
/** Spins before sleeping, so calls a few microseconds apart skip the futex wake-up. */
const SPIN = 20000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { kernels, memory, control, slot, names, stackTop } = workerData;
const c = new Int32Array(control, slot * ${SLOT} * 4, ${SLOT});
WebAssembly.instantiate(kernels, { env: { memory } }).then((instance) => {
  const ex = instance.exports;
  ex.__stack_pointer.value = stackTop;
  const fns = names.map((n) => ex[n]);
  parentPort.postMessage("ready");
  for (;;) {
    let spins = 0;
    for (let s = Atomics.load(c, 0); s !== ${POSTED}; s = Atomics.load(c, 0)) {
      if (s === ${STOP}) return;
      if (++spins > ${SPIN}) Atomics.wait(c, 0, s, 50);
    }
    let state = ${DONE};
    try {
      const f = fns[c[1]];
      // a fixed argument list: spreading an array here slows every later call down 4×
      f(c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13], c[14], c[15], c[16], c[17], c[18], c[19], c[20], c[21], c[22], c[23]);
    } catch (e) {
      state = ${FAILED};
    }
    Atomics.store(c, 0, state);
    Atomics.notify(c, 0);
  }
});
`;

/** A pool of worker threads running kernel calls beside the main thread. */
export class ThreadPool {
  /** Threads in all, the main one included. */
  readonly threads: number;
  #control: Int32Array;
  #index: Map<string, number>;
  #workers: Worker[];

  private constructor(
    threads: number,
    control: Int32Array,
    names: readonly string[],
    workers: Worker[],
  ) {
    this.threads = threads;
    this.#control = control;
    this.#index = new Map(names.map((n, i) => [n, i]));
    this.#workers = workers;
  }

  /**
   * Starts `threads − 1` workers and waits until each has instantiated the module.
   *
   * @param threads Threads in all (1 starts none).
   * @param module The compiled kernels.
   * @param memory The shared memory.
   * @param names The exports workers may call.
   * @param stackTops One stack top (byte offset) per worker.
   */
  static async start(
    threads: number,
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    names: readonly string[],
    stackTops: readonly number[],
  ): Promise<ThreadPool> {
    const control = new SharedArrayBuffer(Math.max(1, threads - 1) * SLOT * 4);
    const ready: Promise<unknown>[] = [];
    const workers: Worker[] = [];
    for (let slot = 0; slot < threads - 1; slot++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { kernels: module, memory, control, slot, names, stackTop: stackTops[slot] },
      });
      workers.push(worker);
      ready.push(
        new Promise((resolve, reject) => {
          worker.once("message", resolve);
          worker.once("error", reject);
        }).then(() => worker.unref()),
      );
    }
    await Promise.all(ready);
    return new ThreadPool(threads, new Int32Array(control), names, workers);
  }

  /** Stops every worker (each leaves its loop when told); settles when all have exited. */
  async close(): Promise<void> {
    const workers = this.#workers;
    this.#workers = [];
    const c = this.#control;
    // referenced again, so that the event loop waits for their exits
    const exited = workers.map((w) => {
      w.ref();
      return new Promise((resolve) => w.once("exit", resolve));
    });
    for (let w = 0; w < workers.length; w++) {
      Atomics.store(c, w * SLOT, STOP);
      Atomics.notify(c, w * SLOT);
    }
    await Promise.all(exited);
  }

  /**
   * Runs `calls[0]` here and the others on workers, and returns when all are done.
   *
   * @param calls At most {@linkcode ThreadPool.threads} calls.
   * @param local Runs a call on the main thread.
   */
  run(calls: readonly Call[], local: (call: Call) => void): void {
    const c = this.#control;
    for (let w = 1; w < calls.length; w++) {
      const [name, args] = calls[w];
      const base = (w - 1) * SLOT;
      c[base + 1] = this.#index.get(name)!;
      c[base + 2] = args.length;
      for (let i = 0; i < args.length; i++) c[base + 4 + i] = args[i];
      Atomics.store(c, base, POSTED);
      Atomics.notify(c, base);
    }
    local(calls[0]);
    let failed = "";
    for (let w = 1; w < calls.length; w++) {
      const base = (w - 1) * SLOT;
      let spins = 0;
      while (Atomics.load(c, base) === POSTED) {
        if (++spins > SPIN) Atomics.wait(c, base, POSTED, 50);
      }
      if (Atomics.load(c, base) === FAILED) failed = calls[w][0];
      Atomics.store(c, base, IDLE);
    }
    if (failed !== "") {
      throw new BackendError("wasm", failed, "the kernel failed on a worker thread");
    }
  }
}
