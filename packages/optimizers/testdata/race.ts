// Shared by convergence_test.ts and scripts/optimizer_race.ts: each optimizer with the
// settings it is raced with, and the two test functions.
import { add, backward, mul, square, sub, sum, type Tensor, tensor } from "@kiso/tensor";
import {
  AdaDelta,
  AdaGrad,
  Adam,
  AdamW,
  Momentum,
  Nesterov,
  type Optimizer,
  RMSProp,
  SGD,
} from "../mod.ts";
import type { BaseHyper } from "../optimizer.ts";

/** One contestant. */
export interface Race {
  name: string;
  settings: string;
  make: (params: Tensor[], problem: Problem) => Optimizer<BaseHyper>;
  /** A looser tolerance where the optimizer cannot reach the common one. */
  tolerance?: Partial<Record<Problem, number>>;
}

/** The test functions. */
export type Problem = "quadratic" | "rosenbrock";

/** The common tolerances on f. */
export const TOLERANCE: Record<Problem, number> = { quadratic: 1e-6, rosenbrock: 1e-4 };
/** The step cap of the race. */
export const CAP = 20000;

/** f(w) = (w₀ − 1)² + 10(w₁ + 2)², an ill-conditioned convex quadratic with minimum 0 at (1, −2). */
function quadratic(w: Tensor): Tensor {
  const scale = tensor([1, 10], { dtype: "float64" });
  return sum(mul(square(sub(w, tensor([1, -2], { dtype: "float64" }))), scale));
}

/** Rosenbrock (1 − x)² + 100(y − x²)², minimum 0 at (1, 1). */
function rosenbrock(w: Tensor): Tensor {
  const [x, y] = [0, 1].map((i) =>
    sum(mul(w, tensor(i === 0 ? [1, 0] : [0, 1], { dtype: "float64" })))
  );
  return add(square(sub(1, x)), mul(square(sub(y, square(x))), 100));
}

/** Starting points: (−1, 1) for the quadratic, (−1.2, 1) for Rosenbrock (the classic one). */
const START: Record<Problem, number[]> = { quadratic: [-1, 1], rosenbrock: [-1.2, 1] };

const lr = (problem: Problem, quadraticLr: number, rosenbrockLr: number): number =>
  problem === "quadratic" ? quadraticLr : rosenbrockLr;

/** The contestants with the settings used in the README table and the tests. */
export const RACES: Race[] = [
  {
    name: "SGD",
    settings: "η 0.04 / 0.001",
    make: (p, pb) => new SGD(p, { lr: lr(pb, 0.04, 0.001) }),
  },
  {
    name: "Momentum (Alg. 12)",
    settings: "η 0.02 / 0.0005, α 0.9",
    make: (p, pb) => new Momentum(p, { lr: lr(pb, 0.02, 0.0005), momentum: 0.9 }),
  },
  {
    name: "Nesterov (Alg. 13, s_t)",
    settings: "η 0.04 / 0.001",
    make: (p, pb) => new Nesterov(p, { lr: lr(pb, 0.04, 0.001) }),
  },
  {
    name: "Nesterov ((t−1)/(t+2))",
    settings: "η 0.04 / 0.001",
    make: (p, pb) => new Nesterov(p, { lr: lr(pb, 0.04, 0.001), schedule: "simple" }),
  },
  {
    name: "SGD PyTorch Nesterov",
    settings: "η 0.02 / 0.0005, μ 0.9",
    make: (p, pb) => new SGD(p, { lr: lr(pb, 0.02, 0.0005), momentum: 0.9, nesterov: true }),
  },
  { name: "AdaGrad (Alg. 14)", settings: "η 0.5 / 0.5", make: (p) => new AdaGrad(p, { lr: 0.5 }) },
  {
    name: "RMSProp (Alg. 15)",
    settings: "η 0.01 / 0.0003, β 0.9",
    make: (p, pb) => new RMSProp(p, { lr: lr(pb, 0.01, 0.0003) }),
  },
  {
    name: "AdaDelta (Alg. 16)",
    settings: "β 0.95, ε 1e-6, η 1",
    make: (p) => new AdaDelta(p),
    // AdaDelta stalls in Rosenbrock's valley near f ≈ 0.5 (its step size follows past steps).
    tolerance: { rosenbrock: 1 },
  },
  {
    name: "Adam (Alg. 17)",
    settings: "α 0.05 / 0.02",
    make: (p, pb) => new Adam(p, { lr: lr(pb, 0.05, 0.02) }),
  },
  {
    name: "AdamW",
    settings: "α 0.05 / 0.02, λ 0",
    make: (p, pb) => new AdamW(p, { lr: lr(pb, 0.05, 0.02), weightDecay: 0 }),
  },
];

/** The tolerance a race is held to. */
export function toleranceOf(race: Race, problem: Problem): number {
  return race.tolerance?.[problem] ?? TOLERANCE[problem];
}

/**
 * Steps until f(w) < tolerance, or undefined past the cap.
 */
export function stepsToTolerance(race: Race, problem: Problem, cap = CAP): number | undefined {
  const f = problem === "quadratic" ? quadratic : rosenbrock;
  const w = tensor(START[problem], { dtype: "float64", requiresGrad: true });
  const opt = race.make([w], problem);
  for (let step = 1; step <= cap; step++) {
    opt.zeroGrad();
    const loss = f(w);
    backward(loss);
    opt.step();
    if (f(w.detach()).item() < toleranceOf(race, problem)) return step;
  }
  return undefined;
}
