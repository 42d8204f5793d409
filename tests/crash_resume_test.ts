/**
 * Crash safety: a multi-model demo killed with SIGKILL at several points, each time resumed,
 * ends with the same models, bit for bit, as a run that was never interrupted.
 */
import assert from "node:assert/strict";

const MAIN = new URL("../apps/trainer/main.ts", import.meta.url).pathname;
const ARGS = [
  "regularization",
  "--backend",
  "cpu",
  "--limit",
  "300",
  "--epochs",
  "3",
  "--quiet",
  "--seed",
  "2",
];

function trainer(out: string, resume: boolean): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...ARGS, "--out", out, ...(resume ? ["--resume"] : [])],
    stdout: "null",
    stderr: "null",
  }).spawn();
}

Deno.test("kill -9 at several points, then --resume, ends where an uninterrupted run ends", async () => {
  const whole = await Deno.makeTempDir();
  assert.equal((await trainer(whole, false).status).code, 0);
  const out = await Deno.makeTempDir();
  let kills = 0;
  for (const [i, delay] of [1200, 1900, 2600, 3300].entries()) {
    const child = trainer(out, i > 0);
    await new Promise((resolve) => setTimeout(resolve, delay));
    try {
      child.kill("SIGKILL");
      kills++;
    } catch {
      // it had already finished
    }
    await child.status;
  }
  assert.ok(kills > 0);
  assert.equal((await trainer(out, true).status).code, 0);
  const models = [...Deno.readDirSync(whole)].map((e) => e.name).filter((n) =>
    n.startsWith("model")
  );
  assert.equal(models.length, 4);
  for (const name of models) {
    const [a, b] = [await Deno.readFile(`${whole}/${name}`), await Deno.readFile(`${out}/${name}`)];
    assert.ok(
      a.length === b.length && a.every((v, k) => v === b[k]),
      `${name} differs after ${kills} kills`,
    );
  }
  assert.ok(
    ![...Deno.readDirSync(out)].some((e) => e.name.includes(".tmp-")),
    "partial files remain",
  );
  await Deno.remove(whole, { recursive: true });
  await Deno.remove(out, { recursive: true });
});
