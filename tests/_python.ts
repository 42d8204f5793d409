/**
 * Debian's Python for the tests that compare with PyTorch or the ONNX project's tools (`/usr/bin/python3`,
 * whose packages `python3-torch` and `python3-onnx` CI installs).
 *
 * @module
 */

/** The Python that has Debian's packages (the default `python3` may be another one). */
export const PYTHON = "/usr/bin/python3";

/**
 * Whether {@linkcode PYTHON} imports a module; warns, naming the test and the package, when not.
 *
 * @param module The module, e.g. `torch`.
 * @param test The test file, for the warning.
 * @returns True when the import works.
 */
export async function pythonHas(module: string, test: string): Promise<boolean> {
  const ok = await new Deno.Command(PYTHON, {
    args: ["-c", `import ${module}`],
    stdout: "null",
    stderr: "null",
  })
    .output().then((o) => o.success, () => false);
  if (!ok) {
    console.warn(
      `${test}: ${PYTHON} has no ${module} (apt-get install python3-${module}): its tests are skipped`,
    );
  }
  return ok;
}
