/** Pieces the side-by-side benchmark scripts share: medians, the CPU's name, PyTorch runs. */

/** The median of some numbers (the upper one of an even count). */
export function median(xs: readonly number[]): number {
  const s = xs.toSorted((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

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
