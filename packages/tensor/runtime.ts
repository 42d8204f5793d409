/**
 * What differs between Deno, Node and a browser, looked up when called and never imported, so
 * that every kiso package loads in a web page: Node's built-in modules (which Deno serves too),
 * the file system, the terminal and the interrupt signal. Each piece is `undefined` where the
 * runtime has no such thing (a browser has none of them); callers then fall back or throw an
 * error naming themselves.
 *
 * @example Usage
 * ```ts
 * import { fileSystem, nodeBuiltin } from "@kiso/tensor/runtime";
 * import assert from "node:assert/strict";
 *
 * assert.equal(typeof nodeBuiltin<{ cpus(): unknown[] }>("node:os")?.cpus, "function");
 * assert.ok(fileSystem() !== undefined); // Deno has one, a browser has none
 * ```
 *
 * @module
 */

/** The parts of Node's `process` used here (Deno has the same global). */
interface NodeProcess {
  getBuiltinModule?(name: string): unknown;
  stdout?: { isTTY?: boolean; columns?: number; write(text: string): unknown };
  on?(event: string, listener: () => void): unknown;
  off?(event: string, listener: () => void): unknown;
  exit?(code: number): never;
}

/** The parts of Node's `fs.promises` used here. */
interface NodeFs {
  readFile(path: string): Promise<Uint8Array>;
  readFile(path: string, encoding: "utf8"): Promise<string>;
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: boolean }): Promise<void>;
  stat(path: string): Promise<{ isFile(): boolean; size: number }>;
  open(path: string, flags: "r"): Promise<{
    read(into: Uint8Array, offset: number, length: number, position: null): Promise<{
      bytesRead: number;
    }>;
    close(): Promise<void>;
  }>;
}

/** The globals a runtime may have: Deno's namespace, Node's `process`. */
function runtime(): { Deno?: typeof Deno; process?: NodeProcess } {
  return globalThis as { Deno?: typeof Deno; process?: NodeProcess };
}

/**
 * One of Node's built-in modules (`node:v8`, `node:worker_threads`, …) through
 * `process.getBuiltinModule` (Node 22.3 and later, and Deno), or undefined where the runtime has
 * none (a browser). Nothing is imported, so a bundle that calls this still loads in a page.
 *
 * @typeParam T The module's type, as the caller uses it.
 * @param name The module's name, with its `node:` prefix.
 * @returns The module, or undefined.
 *
 * @example Usage
 * ```ts
 * import { nodeBuiltin } from "@kiso/tensor/runtime";
 * import assert from "node:assert/strict";
 *
 * const v8 = nodeBuiltin<{ setFlagsFromString(flags: string): void }>("node:v8");
 * assert.equal(typeof v8?.setFlagsFromString, "function");
 * ```
 */
export function nodeBuiltin<T>(name: string): T | undefined {
  try {
    return runtime().process?.getBuiltinModule?.(name) as T | undefined;
  } catch {
    return undefined;
  }
}

/** A file opened for reading, in order. */
export interface OpenFile {
  /**
   * Reads up to `into.length` bytes into `into`.
   *
   * @param into Where the bytes go.
   * @returns The bytes read, or null at the end of the file.
   */
  read(into: Uint8Array): Promise<number | null>;
  /** Closes the file. */
  close(): Promise<void>;
}

/** The runtime's file API: Deno's own, or Node's `fs.promises`. */
export interface FileSystem {
  /**
   * A file's bytes.
   *
   * @param path The file.
   * @returns Its bytes.
   */
  readFile(path: string): Promise<Uint8Array>;
  /**
   * A UTF-8 text file's text.
   *
   * @param path The file.
   * @returns Its text.
   */
  readTextFile(path: string): Promise<string>;
  /**
   * Writes (or replaces) a file.
   *
   * @param path The file.
   * @param bytes Its content.
   */
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
  /**
   * Renames a file, replacing the target.
   *
   * @param from The file.
   * @param to Its new name.
   */
  rename(from: string, to: string): Promise<void>;
  /**
   * Removes a file.
   *
   * @param path The file.
   */
  remove(path: string): Promise<void>;
  /**
   * Whether the path is a regular file, and its size.
   *
   * @param path The path.
   * @returns What it is.
   */
  stat(path: string): Promise<{ isFile: boolean; size: number }>;
  /**
   * Opens a file for reading.
   *
   * @param path The file.
   * @returns The open file.
   */
  open(path: string): Promise<OpenFile>;
}

/** Deno's file API (looked up at each call, so tests may replace parts of it). */
function denoFiles(deno: typeof Deno): FileSystem {
  return {
    readFile: (path) => deno.readFile(path),
    readTextFile: (path) => deno.readTextFile(path),
    writeFile: (path, bytes) => deno.writeFile(path, bytes),
    rename: (from, to) => deno.rename(from, to),
    remove: (path) => deno.remove(path),
    stat: async (path) => {
      const info = await deno.stat(path);
      return { isFile: info.isFile, size: info.size };
    },
    open: async (path) => {
      const file = await deno.open(path);
      return {
        read: (into) => file.read(into),
        close: () => Promise.resolve(file.close()),
      };
    },
  };
}

/** Node's `fs.promises`. */
function nodeFiles(fs: NodeFs): FileSystem {
  return {
    readFile: (path) => fs.readFile(path),
    readTextFile: (path) => fs.readFile(path, "utf8"),
    writeFile: (path, bytes) => fs.writeFile(path, bytes),
    rename: (from, to) => fs.rename(from, to),
    remove: (path) => fs.rm(path, { force: true }),
    stat: async (path) => {
      const info = await fs.stat(path);
      return { isFile: info.isFile(), size: info.size };
    },
    open: async (path) => {
      const file = await fs.open(path, "r");
      return {
        read: async (into) => {
          const { bytesRead } = await file.read(into, 0, into.length, null);
          return bytesRead === 0 && into.length > 0 ? null : bytesRead;
        },
        close: () => file.close(),
      };
    },
  };
}

/**
 * The runtime's file system: Deno's file API in Deno, `fs.promises` in Node, undefined in a
 * browser (where files come as bytes, a `Blob` or a `Response` instead).
 *
 * @returns The file API, or undefined.
 *
 * @example Usage
 * ```ts
 * import { fileSystem } from "@kiso/tensor/runtime";
 * import assert from "node:assert/strict";
 *
 * const path = await Deno.makeTempFile();
 * await fileSystem()!.writeFile(path, new TextEncoder().encode("kiso"));
 * assert.equal(await fileSystem()!.readTextFile(path), "kiso");
 * ```
 */
export function fileSystem(): FileSystem | undefined {
  const deno = runtime().Deno;
  if (deno !== undefined) return denoFiles(deno);
  const fs = nodeBuiltin<{ promises: NodeFs }>("node:fs");
  return fs === undefined ? undefined : nodeFiles(fs.promises);
}

/**
 * The runtime's file system, or a `TypeError` naming the caller, the path and what to do
 * instead where there is none (a browser).
 *
 * @param op The calling function.
 * @param path The path it was given.
 * @param instead What the caller can use in its place (its bytes form).
 * @returns The file API.
 * @throws {TypeError} Where the runtime has no file system.
 *
 * @example Usage
 * ```ts
 * import { requireFileSystem } from "@kiso/tensor/runtime";
 * import assert from "node:assert/strict";
 *
 * assert.equal(typeof requireFileSystem("load", "a.bin", "pass the bytes").stat, "function");
 * ```
 */
export function requireFileSystem(op: string, path: string, instead: string): FileSystem {
  const files = fileSystem();
  if (files === undefined) {
    throw new TypeError(`${op}: ${path}: this runtime has no file system: ${instead}`);
  }
  return files;
}

/** Standard output where it is a stream the program writes to (not in a browser). */
export interface StandardOutput {
  /** Whether it is a terminal (where a bar can be redrawn in place). */
  isTerminal(): boolean;
  /** The terminal's width in columns, or undefined where it cannot be read. */
  columns(): number | undefined;
  /**
   * Writes text as it is (no newline added).
   *
   * @param text The text.
   */
  write(text: string): void;
}

const encoder = new TextEncoder();

/**
 * Standard output: Deno's `Deno.stdout` (looked up at each call), Node's `process.stdout`, or
 * undefined in a browser (where `console.log` is the only output).
 *
 * @returns Standard output, or undefined.
 *
 * @example Usage
 * ```ts
 * import { standardOutput } from "@kiso/tensor/runtime";
 * import assert from "node:assert/strict";
 *
 * assert.equal(typeof standardOutput()?.isTerminal(), "boolean");
 * ```
 */
export function standardOutput(): StandardOutput | undefined {
  const { Deno: deno, process } = runtime();
  if (deno !== undefined) {
    return {
      isTerminal: () => deno.stdout.isTerminal(),
      columns: () => {
        try {
          return deno.consoleSize().columns || undefined;
        } catch {
          return undefined;
        }
      },
      write: (text) => void deno.stdout.writeSync(encoder.encode(text)),
    };
  }
  const stdout = process?.stdout;
  if (stdout === undefined) return undefined;
  return {
    isTerminal: () => stdout.isTTY === true,
    columns: () => stdout.columns || undefined,
    write: (text) => void stdout.write(text),
  };
}

/**
 * Listens for the interrupt signal (Ctrl-C, `SIGINT`) in Deno or Node.
 *
 * @param listener Called at each interrupt.
 * @returns A function that stops listening, or undefined where the runtime has no signals (a
 * browser: nothing there interrupts a program).
 *
 * @example Usage
 * ```ts
 * import { onInterrupt } from "@kiso/tensor/runtime";
 * import assert from "node:assert/strict";
 *
 * const stop = onInterrupt(() => {});
 * assert.equal(typeof stop, "function");
 * stop!();
 * ```
 */
export function onInterrupt(listener: () => void): (() => void) | undefined {
  const { Deno: deno, process } = runtime();
  if (deno !== undefined) {
    deno.addSignalListener("SIGINT", listener);
    return () => deno.removeSignalListener("SIGINT", listener);
  }
  if (process?.on === undefined || process.off === undefined) return undefined;
  process.on("SIGINT", listener);
  return () => void process.off?.("SIGINT", listener);
}

/**
 * Ends the program at once with an exit code, where the runtime is a program (Deno, Node); in a
 * browser it does nothing.
 *
 * @param code The exit code.
 *
 * @example Usage
 * ```ts ignore
 * import { exitProgram } from "@kiso/tensor/runtime";
 *
 * exitProgram(130); // what a second Ctrl-C does
 * ```
 */
export function exitProgram(code: number): void {
  const { Deno: deno, process } = runtime();
  if (deno !== undefined) deno.exit(code);
  else process?.exit?.(code);
}
