/** Pieces the side-by-side benchmark scripts share: medians, the CPU's name, PyTorch runs. */

export { median } from "./_train_workloads.ts";

/** The CPU model as /proc/cpuinfo names it (or the architecture). */
export async function cpuModel(): Promise<string> {
  const info = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  return info.match(/model name\s*:\s*(.*)/)?.[1] ?? Deno.build.arch;
}

/** The machine, for a bench's header: the CPU model, its cores and the load average now. */
export async function machine(): Promise<string> {
  const load = Deno.loadavg().map((l) => l.toFixed(1)).join(" ");
  return `${await cpuModel()}, ${navigator.hardwareConcurrency} cores, load average ${load}`;
}

/**
 * Runs a PyTorch side of a benchmark with Debian's `/usr/bin/python3` (OpenBLAS tuning variables
 * cleared) and parses the JSON it prints, or returns why it could not.
 */
export async function runTorch(script: URL, args: readonly string[]): Promise<unknown | string> {
  const env = Deno.env.toObject();
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  try {
    const run = await new Deno.Command("/usr/bin/python3", {
      args: [script.pathname, ...args],
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

/** Runs `deno run -A script …args` in its own process and parses what it prints as JSON. */
export async function inOwnProcess<T>(script: string, args: readonly string[]): Promise<T> {
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...args],
    stderr: "inherit",
  }).output();
  return JSON.parse(new TextDecoder().decode(run.stdout));
}

/** A table's columns: a configuration's name and its figure per workload. */
export type Columns = [string, Record<string, number>][];

/**
 * Measures each configuration of `script` in its own process (so that the threads of one do not
 * disturb another; `script …args name` prints its figures as JSON), then PyTorch's with 1 and 2
 * threads from `torch` (or says why it could not).
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
