/**
 * Worker threads sharing the backend's WebAssembly memory. Each runs its own instance of the
 * kernels module (with its own stack) and waits for calls on a shared control block: the main
 * thread posts one call per worker, runs its own share, then waits for the others. The workers are
 * chosen at run time: in Deno and Node, `node:worker_threads` workers evaluated from source and
 * unref'ed, so they need no permission flags and never keep the process alive; in a browser, Web
 * Workers from a `Blob`, which can share the memory only in a cross-origin isolated page.
 */
import { BackendError } from "@kiso/tensor/errors";
import { nodeBuiltin } from "@kiso/tensor/runtime";

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

/**
 * A worker's life, `start(data, post)`: instantiate the kernels on the shared memory, post
 * "ready", run calls until told to stop, then post "stopped".
 */
const WORKER_LOOP = `
function start({ kernels, memory, control, slot, names, stackTop }, post) {
  const c = new Int32Array(control, slot * ${SLOT} * 4, ${SLOT});
  WebAssembly.instantiate(kernels, { env: { memory } }).then((instance) => {
    const ex = instance.exports;
    ex.__stack_pointer.value = stackTop;
    const fns = names.map((n) => ex[n]);
    post("ready");
    for (;;) {
      let spins = 0;
      for (let s = Atomics.load(c, 0); s !== ${POSTED}; s = Atomics.load(c, 0)) {
        if (s === ${STOP}) return post("stopped");
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
}
`;

/** What a worker starts from: the module, the shared memory and control block, its slot. */
interface WorkerData {
  kernels: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  slot: number;
  names: readonly string[];
  stackTop: number;
}

/** A started worker: settles `ready` once it has instantiated the kernels. */
interface StartedWorker {
  ready: Promise<void>;
  /** Settles once the worker, told to stop, has left its loop and exited. */
  stopped(): Promise<void>;
}

/** Starts a worker running {@linkcode WORKER_LOOP} on `data`. */
export type Spawn = (data: WorkerData) => StartedWorker;

/** The parts of `node:worker_threads` used here. */
interface NodeWorkers {
  Worker: new (source: string, options: { eval: true; workerData: WorkerData }) => {
    once(event: string, listener: (value: unknown) => void): void;
    ref(): void;
    unref(): void;
  };
}

/** Waits for a message `what` from a worker (rejecting on its error). */
function messageFrom(
  worker: { once(event: string, listener: (value: unknown) => void): void },
  what: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.once("message", (m) => m === what ? resolve() : reject(new Error(String(m))));
    worker.once("error", reject);
  });
}

/** Deno's and Node's workers: evaluated from source, unref'ed once ready. */
function nodeSpawn(threads: NodeWorkers): Spawn {
  const source = `${WORKER_LOOP}
const { parentPort, workerData } = require("node:worker_threads");
start(workerData, (m) => parentPort.postMessage(m));`;
  return (data) => {
    const worker = new threads.Worker(source, { eval: true, workerData: data });
    return {
      ready: messageFrom(worker, "ready").then(() => worker.unref()),
      stopped(): Promise<void> {
        // referenced again, so that the event loop waits for the exit
        worker.ref();
        return new Promise((resolve) => worker.once("exit", () => resolve()));
      },
    };
  };
}

/** Web Workers (a browser's), module workers from a `Blob` of the loop's source. */
function webSpawn(): Spawn {
  const source = `${WORKER_LOOP}
self.onmessage = (e) => start(e.data, (m) => postMessage(m));`;
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  return (data) => {
    const worker = new Worker(url, { type: "module" });
    const next = (what: string): Promise<void> =>
      new Promise((resolve, reject) => {
        worker.onmessage = (e): void =>
          e.data === what ? resolve() : reject(new Error(String(e.data)));
        worker.onerror = (e): void => reject(new Error(e.message));
      });
    const ready = next("ready");
    worker.postMessage(data);
    return {
      ready,
      stopped: () => next("stopped").then(() => worker.terminate()),
    };
  };
}

/**
 * How this runtime starts workers that share a WebAssembly memory, or why it cannot: Node's
 * worker threads (Deno, Node), or Web Workers in a cross-origin isolated page.
 *
 * @returns The way to start them, or the reason there is none.
 */
export function workerSupport(): Spawn | string {
  const threads = nodeBuiltin<NodeWorkers>("node:worker_threads");
  if (threads !== undefined) return nodeSpawn(threads);
  const page = globalThis as { Worker?: unknown; crossOriginIsolated?: boolean };
  if (typeof page.Worker !== "function") return "this runtime has no workers";
  if (page.crossOriginIsolated !== true) {
    return "the page is not cross-origin isolated, so workers cannot share its memory (serve " +
      "it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: " +
      "require-corp)";
  }
  return webSpawn();
}

/** Whether this thread may block in `Atomics.wait` (a page's main thread may not). */
function mayWait(control: Int32Array): boolean {
  try {
    Atomics.wait(control, 0, IDLE + 1, 0); // returns "not-equal" at once where allowed
    return true;
  } catch {
    return false;
  }
}

/** A pool of worker threads running kernel calls beside the main thread. */
export class ThreadPool {
  /** Threads in all, the main one included. */
  readonly threads: number;
  #control: Int32Array;
  #index: Map<string, number>;
  #workers: StartedWorker[];
  /** Whether this thread sleeps in `Atomics.wait` after spinning (else it spins on). */
  readonly #wait: boolean;

  private constructor(
    threads: number,
    control: Int32Array,
    names: readonly string[],
    workers: StartedWorker[],
  ) {
    this.threads = threads;
    this.#control = control;
    this.#index = new Map(names.map((n, i) => [n, i]));
    this.#workers = workers;
    this.#wait = mayWait(control);
  }

  /**
   * Starts `threads − 1` workers and waits until each has instantiated the module.
   *
   * @param threads Threads in all (1 starts none).
   * @param module The compiled kernels.
   * @param memory The shared memory.
   * @param names The exports workers may call.
   * @param stackTops One stack top (byte offset) per worker.
   * @param spawn How to start a worker ({@linkcode workerSupport}).
   */
  static async start(
    threads: number,
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    names: readonly string[],
    stackTops: readonly number[],
    spawn: Spawn,
  ): Promise<ThreadPool> {
    const control = new SharedArrayBuffer(Math.max(1, threads - 1) * SLOT * 4);
    const workers = Array.from(
      { length: threads - 1 },
      (_, slot) =>
        spawn({ kernels: module, memory, control, slot, names, stackTop: stackTops[slot] }),
    );
    await Promise.all(workers.map((w) => w.ready));
    return new ThreadPool(threads, new Int32Array(control), names, workers);
  }

  /** Stops every worker (each leaves its loop when told); settles when all have exited. */
  async close(): Promise<void> {
    const workers = this.#workers;
    this.#workers = [];
    const c = this.#control;
    const exited = workers.map((w) => w.stopped());
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
    let failed = "";
    try {
      local(calls[0]);
    } finally {
      // the workers' shares are awaited even when this thread's share failed: a worker still
      // running would otherwise meet the next call (or the stop) in its slot
      for (let w = 1; w < calls.length; w++) {
        const base = (w - 1) * SLOT;
        let spins = 0;
        while (Atomics.load(c, base) === POSTED) {
          if (++spins > SPIN && this.#wait) Atomics.wait(c, base, POSTED, 50);
        }
        if (Atomics.load(c, base) === FAILED) failed = calls[w][0];
        Atomics.store(c, base, IDLE);
      }
    }
    if (failed !== "") {
      throw new BackendError("wasm", failed, "the kernel failed on a worker thread");
    }
  }
}
