/**
 * What a new user's first command installs: clones the repository's committed state into a
 * temporary folder, runs a task there with an empty Deno cache (`DENO_DIR`), and reports the npm
 * packages it put in `node_modules`, their size, the time and what it printed. Fails when
 * TensorFlow.js (benches only), ONNX Runtime or puppeteer-core (tests only) was installed by
 * another task, when the output shows Deno's download lines or its approve-scripts box, or when the
 * task failed. CI runs it on `deno task train --help`.
 *
 * Usage: deno run -A scripts/clean_install.ts [task and arguments…]   (default: train --help)
 *
 * @module
 */

/** Packages a task must not install, with the reason and the tasks that may. */
const FORBIDDEN: [RegExp, string, string[]][] = [
  [/^@tensorflow\+/, "TensorFlow.js is for the benches only", ["bench"]],
  [/^onnxruntime/, "ONNX Runtime is for the tests only", ["test", "bench"]],
  [/^puppeteer-core@|^@puppeteer\+/, "puppeteer-core is for the browser tests only", ["test"]],
];

/** Runs a command and returns its exit code and its stdout and stderr together. */
async function run(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await new Deno.Command(cmd, {
    args,
    cwd: options.cwd,
    env: { NO_COLOR: "1", ...options.env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array): string => new TextDecoder().decode(b);
  return { code, output: decode(stdout) + decode(stderr) };
}

/** The total size of the files under a folder, in bytes (links not followed). */
async function folderSize(path: string): Promise<number> {
  let total = 0;
  for await (const entry of Deno.readDir(path)) {
    const full = `${path}/${entry.name}`;
    if (entry.isDirectory) total += await folderSize(full);
    else if (entry.isFile) total += (await Deno.lstat(full)).size;
  }
  return total;
}

const args = Deno.args.length > 0 ? Deno.args : ["train", "--help"];
const root = new URL("..", import.meta.url).pathname;
const scratch = await Deno.makeTempDir({ prefix: "kiso-clean-install-" });
try {
  const clone = `${scratch}/kiso`;
  const cloned = await run("git", ["clone", "--quiet", root, clone]);
  if (cloned.code !== 0) throw new Error(`git clone failed:\n${cloned.output}`);
  const denoDir = `${scratch}/deno-dir`;
  await Deno.mkdir(denoDir);
  const started = performance.now();
  const task = await run(Deno.execPath(), ["task", ...args], {
    cwd: clone,
    env: { DENO_DIR: denoDir },
  });
  const seconds = (performance.now() - started) / 1000;
  const store = `${clone}/node_modules/.deno`;
  const packages = await Array.fromAsync(Deno.readDir(store)).then(
    (entries) => entries.filter((e) => e.isDirectory && e.name !== "node_modules"),
    () => [],
  );
  const names = packages.map((e) => e.name).sort();
  const size = await folderSize(`${clone}/node_modules`).catch(() => 0);
  console.log(
    `clean install: deno task ${args.join(" ")} in a fresh clone with an empty DENO_DIR: ` +
      `exit ${task.code}, ${seconds.toFixed(1)} s, ${names.length} npm packages, ` +
      `${(size / 2 ** 20).toFixed(1)} MiB in node_modules`,
  );
  const top = names.filter((n) => !/^(d3-|vega-|@types\+)/.test(n));
  console.log(
    `  packages: ${top.join(", ")}${names.length > top.length ? " (+ vega's and d3's parts)" : ""}`,
  );
  const problems: string[] = [];
  if (task.code !== 0) problems.push(`the task failed:\n${task.output}`);
  for (const [pattern, reason, allowed] of FORBIDDEN) {
    const found = allowed.includes(args[0]) ? [] : names.filter((n) => pattern.test(n));
    if (found.length > 0) problems.push(`installed ${found.join(", ")}: ${reason}`);
  }
  const downloads = task.output.split("\n").filter((l) => /^(Download|Initialize) /.test(l));
  if (downloads.length > 0) {
    problems.push(`printed ${downloads.length} download lines, e.g. "${downloads[0]}"`);
  }
  if (task.output.includes("approve-scripts")) problems.push("printed the approve-scripts box");
  if (problems.length > 0) {
    console.error(`clean install: ${problems.length} problem(s):\n- ${problems.join("\n- ")}`);
    Deno.exitCode = 1;
  }
} finally {
  await Deno.remove(scratch, { recursive: true });
}
