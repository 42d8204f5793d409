/**
 * What the CPU comparison scripts share: each configuration measured in its own process (so that
 * the threads of one do not disturb another), PyTorch's side run by Debian's `/usr/bin/python3`,
 * medians, and the CPU's name for the table.
 *
 * @module
 */

/** The middle value (the upper one of an even count). */
export function median(xs: readonly number[]): number {
  const s = xs.toSorted((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Runs `deno run -A script …args` and parses what it prints as JSON. */
export async function inOwnProcess<T>(script: string, args: readonly string[]): Promise<T> {
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...args],
    stderr: "inherit",
  }).output();
  return JSON.parse(new TextDecoder().decode(run.stdout));
}

/**
 * Runs a Python script with `/usr/bin/python3` (Debian's PyTorch) and parses its JSON output, or
 * says in one line why it could not (no Python, no torch, an error).
 */
export async function pythonJson<T>(script: string, args: readonly string[]): Promise<T | string> {
  const env = Deno.env.toObject();
  // the wasm backend's BLAS settings are not meant for PyTorch's OpenBLAS
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  try {
    const run = await new Deno.Command("/usr/bin/python3", {
      args: [script, ...args],
      env,
      clearEnv: true,
      stderr: "piped",
    }).output();
    if (!run.success) {
      return new TextDecoder().decode(run.stderr).trim().split("\n").at(-1) ?? "failed";
    }
    return JSON.parse(new TextDecoder().decode(run.stdout));
  } catch (e) {
    return (e as Error).message;
  }
}

/** The CPU's model name (from /proc/cpuinfo), or the architecture. */
export async function cpuModel(): Promise<string> {
  const info = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  return info.match(/model name\s*:\s*(.*)/)?.[1] ?? Deno.build.arch;
}

/** A table's columns: a configuration's name and its figure per workload. */
export type Columns = [string, Record<string, number>][];

/**
 * Measures each configuration of `script` in its own process (`script …args name` prints its
 * figures as JSON), then PyTorch's with 1 and 2 threads from `torch` (or says why it could not).
 */
export async function measureColumns(
  script: string,
  configurations: readonly string[],
  args: readonly string[],
  torch: () => Promise<Record<string, Record<string, number>> | string>,
): Promise<{ columns: Columns; torch: Record<string, Record<string, number>> | undefined }> {
  const columns: Columns = [];
  for (const name of configurations) {
    columns.push([name, await inOwnProcess<Record<string, number>>(script, [...args, name])]);
  }
  const rates = await torch();
  if (typeof rates === "string") {
    console.error(`PyTorch not measured: ${rates}`);
    return { columns, torch: undefined };
  }
  columns.push(["PyTorch 1 thread", rates["1"]], ["PyTorch 2 threads", rates["2"]]);
  return { columns, torch: rates };
}
