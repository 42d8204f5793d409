/**
 * Steps each optimizer needs to bring a convex quadratic and the Rosenbrock function below a
 * tolerance (the comparison of course notes §3.6, measured). Prints a Markdown table; the
 * settings are the ones `packages/optimizers/convergence_test.ts` asserts.
 *
 * Usage: deno run -A scripts/optimizer_race.ts
 */
import { RACES, stepsToTolerance, toleranceOf } from "../packages/optimizers/testdata/race.ts";

console.log(
  "| optimizer | settings (quadratic / Rosenbrock) | quadratic: steps to f < 1e-6 | Rosenbrock from (−1.2, 1): steps to f < tol |",
);
console.log("| --- | --- | ---: | ---: |");
for (const race of RACES) {
  const q = stepsToTolerance(race, "quadratic");
  const r = stepsToTolerance(race, "rosenbrock");
  console.log(
    `| ${race.name} | ${race.settings} | ${q ?? "> cap"} | ${r ?? "> cap"} (tol ${
      toleranceOf(race, "rosenbrock")
    }) |`,
  );
}
