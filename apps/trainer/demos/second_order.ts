import { eigh, leastSquares, pinv, solve } from "@kiso/linalg";
import { binaryCrossEntropyWithLogits, mse } from "@kiso/losses";
import { Adam } from "@kiso/optimizers";
import {
  add,
  backward,
  concat,
  grad,
  hessian,
  hvp,
  jacobian,
  linear,
  matmul,
  mul,
  noGrad,
  normal,
  ones,
  reshape,
  type Rng,
  slice,
  sub,
  sum,
  tanh,
  type Tensor,
  tensor,
  zeros,
} from "@kiso/tensor";
import type { Demo, DemoContext, DemoResult } from "../lib/demo.ts";
import { onCpu } from "../lib/backend.ts";
import { lineChart } from "../lib/report.ts";

const F64 = { dtype: "float64" } as const;

/** ‖t‖₂ as a number. */
function norm(t: Tensor): number {
  return Math.sqrt(noGrad(() => sum(mul(t, t))).item());
}

/** The gradient and Hessian of a scalar function of one vector. */
function derivatives(f: (w: Tensor) => Tensor, w: Tensor): { g: Tensor; h: Tensor } {
  const leaf = w.detach();
  leaf.requiresGrad = true;
  const [g] = grad(f(leaf), [leaf]);
  const [[h]] = hessian(f, [w]);
  return { g: g!, h };
}

/**
 * One Newton step w − H⁻¹∇E from w = 0 on the squared error ½·mean(Xw − y)²: the error is
 * quadratic, so the step lands on the minimum, which is the normal equations' ŵ = (XᵀX)⁻¹Xᵀy.
 */
export function newtonLeastSquares(x: Tensor, y: Tensor): { newton: Tensor; normal: Tensor } {
  const error = (w: Tensor): Tensor => mul(mse(matmul(x, w), y), 0.5);
  const w0 = zeros([x.shape[1], 1], F64);
  const { g, h } = derivatives((w) => error(reshape(w, [-1, 1])), reshape(w0, [-1]));
  const newton = sub(w0, solve(h, reshape(g, [-1, 1])));
  return { newton, normal: leastSquares(x, y) };
}

/** The gradient norm after each iteration of a minimiser of a logistic regression. */
export interface Convergence {
  weights: Tensor;
  gradientNorms: number[];
}

/** Logistic regression's mean binary cross-entropy as a function of the weights. */
export function logisticLoss(x: Tensor, labels: Tensor): (w: Tensor) => Tensor {
  return (w) => binaryCrossEntropyWithLogits(matmul(x, reshape(w, [-1, 1])), labels);
}

/** Newton's method w ← w − H⁻¹g until ‖g‖ < tol: quadratic convergence near the minimum. */
export function newton(f: (w: Tensor) => Tensor, w0: Tensor, tol = 1e-12): Convergence {
  let w = w0;
  const gradientNorms: number[] = [];
  for (let i = 0; i < 50; i++) {
    const { g, h } = derivatives(f, w);
    gradientNorms.push(norm(g));
    if (gradientNorms[i] < tol) break;
    w = noGrad(() => sub(w, reshape(solve(h, reshape(g, [-1, 1])), [-1])));
  }
  return { weights: w, gradientNorms };
}

/**
 * Newton-CG: each Newton step solves H·d = g by conjugate gradients, a Krylov method that
 * touches H only through Hessian-vector products Hv = ∇[(∇f)ᵀv], never forming H.
 */
export function newtonCg(f: (w: Tensor) => Tensor, w0: Tensor, tol = 1e-12): Convergence {
  let w = w0;
  const gradientNorms: number[] = [];
  for (let i = 0; i < 50; i++) {
    const leaf = w.detach();
    leaf.requiresGrad = true;
    const [g] = grad(f(leaf), [leaf]);
    gradientNorms.push(norm(g!));
    if (gradientNorms[i] < tol) break;
    const hv = (v: Tensor): Tensor => hvp(f, [w], [v]).hvp[0];
    w = noGrad(() => sub(w, conjugateGradients(hv, g!, w.size)));
  }
  return { weights: w, gradientNorms };
}

/** Solves A·d = b for a symmetric positive definite A given only as v ↦ A·v. */
function conjugateGradients(apply: (v: Tensor) => Tensor, b: Tensor, steps: number): Tensor {
  const dot = (a: Tensor, c: Tensor): number => noGrad(() => sum(mul(a, c))).item();
  let d = zeros(b.shape, { dtype: b.dtype });
  let r = b;
  let p = b;
  let rr = dot(r, r);
  for (let k = 0; k < steps && Math.sqrt(rr) > 1e-15; k++) {
    const ap = apply(p);
    const alpha = rr / dot(p, ap);
    d = noGrad(() => add(d, mul(p, alpha)));
    r = noGrad(() => sub(r, mul(ap, alpha)));
    const next = dot(r, r);
    p = noGrad(() => add(r, mul(p, next / rr)));
    rr = next;
  }
  return d;
}

/** Plain gradient descent for comparison, `steps` steps of size `lr`. */
export function gradientDescent(
  f: (w: Tensor) => Tensor,
  w0: Tensor,
  lr: number,
  steps: number,
): Convergence {
  const w = w0.detach();
  w.requiresGrad = true;
  const gradientNorms: number[] = [];
  for (let i = 0; i < steps; i++) {
    const [g] = grad(f(w), [w]);
    gradientNorms.push(norm(g!));
    noGrad(() => w.assign(sub(w, mul(g!, lr))));
  }
  return { weights: w.detach(), gradientNorms };
}

const XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const XOR_Y = [[0], [1], [1], [0]];
/** Parameters of the 2-3-1 tanh network: W₁ [3,2], b₁ [3], W₂ [1,3], b₂ [1]. */
export const XOR_PARAMETERS = 13;

/** The squared error of a 2-3-1 tanh network on XOR, as a function of its 13 parameters. */
export function xorLoss(theta: Tensor): Tensor {
  const part = (from: number, to: number, shape: number[]): Tensor =>
    reshape(slice(theta, [[from, to]]), shape);
  const x = tensor(XOR_X, F64);
  const hidden = tanh(linear(x, part(0, 6, [3, 2]), part(6, 9, [3])));
  return mse(linear(hidden, part(9, 12, [1, 3]), part(12, 13, [1])), tensor(XOR_Y, F64));
}

/** The Hessian's spectrum at a trained XOR network's minimum. */
export interface XorSpectrum {
  loss: number;
  eigenvalues: number[];
  /** The largest eigenvalue by power iteration on Hessian-vector products alone. */
  powerIteration: number;
}

/**
 * Trains the XOR network with Adam, polishes the minimum with Gauss–Newton-like pseudo-inverse
 * Newton steps (H is singular there), and returns the Hessian's eigenvalues (`eigh`).
 */
export function xorSpectrum(rng: Rng, steps: number, lr: number): XorSpectrum {
  const theta = normal([XOR_PARAMETERS], { ...F64, std: 1, rng });
  theta.requiresGrad = true;
  const adam = new Adam([theta], { lr });
  for (let i = 0; i < steps; i++) {
    adam.zeroGrad();
    backward(xorLoss(theta));
    adam.step();
  }
  let w = theta.detach();
  for (let i = 0; i < 5; i++) {
    const { g, h } = derivatives(xorLoss, w);
    w = noGrad(() => sub(w, reshape(matmul(pinv(h), reshape(g, [-1, 1])), [-1])));
  }
  const [[h]] = hessian(xorLoss, [w]);
  const eigenvalues = Array.from(eigh(h).values.dataSync());
  let v = normal([XOR_PARAMETERS], { ...F64, rng });
  let lambda = 0;
  for (let i = 0; i < 200; i++) {
    const hv = hvp(xorLoss, [w], [v]).hvp[0];
    lambda = noGrad(() => sum(mul(v, hv))).item() / noGrad(() => sum(mul(v, v))).item();
    v = noGrad(() => mul(hv, 1 / norm(hv)));
  }
  return { loss: noGrad(() => xorLoss(w)).item(), eigenvalues, powerIteration: lambda };
}

/** Milliseconds of a Jacobian in each mode for a wide (n → few) and a tall (few → n) map. */
export function jacobianCosts(rng: Rng, n: number, few: number): Record<string, number> {
  const wide = normal([few, n], { ...F64, rng });
  const tall = normal([n, few], { ...F64, rng });
  const time = (f: (x: Tensor) => Tensor, size: number, mode: "forward" | "reverse"): number => {
    const x = normal([size], { ...F64, rng });
    const start = performance.now();
    jacobian(f, [x], { mode });
    return performance.now() - start;
  };
  const fWide = (x: Tensor): Tensor => tanh(matmul(wide, x));
  const fTall = (x: Tensor): Tensor => tanh(matmul(tall, x));
  return {
    wideReverseMs: time(fWide, n, "reverse"),
    wideForwardMs: time(fWide, n, "forward"),
    tallReverseMs: time(fTall, few, "reverse"),
    tallForwardMs: time(fTall, few, "forward"),
  };
}

/** Two overlapping Gaussian classes in 2-D with a bias column: a finite logistic MLE. */
export function logisticData(rng: Rng, n: number): { x: Tensor; labels: Tensor } {
  const labels = tensor(Array.from({ length: n }, (_, i) => [i % 2]), F64);
  const centres = mul(sub(mul(labels, 2), 1), tensor([[1, -0.5]], F64));
  const points = add(normal([n, 2], { ...F64, rng }), centres);
  return { x: concat([ones([n, 1], F64), points], { axis: 1 }), labels };
}

const fixed = (v: number, digits = 3): string => v.toExponential(digits);

export const secondOrder: Demo = {
  name: "second-order",
  ignores: ["limit", "batch-size", "optimizer"],
  settingNames: { epochs: "Adam steps on the XOR network", lr: "Adam's learning rate (XOR)" },
  description:
    "second derivatives: Newton's method (least squares in one step = the normal equations; " +
    "logistic regression, also Newton-CG on Hessian-vector products), the Hessian's " +
    "eigenvalues at a trained XOR network's minimum, forward- vs reverse-mode Jacobians",
  defaults: { epochs: 2000, batchSize: 4, lr: 0.05, optimizer: "adam" },
  // Newton's method to 1e−18 needs float64: the demo computes on the host (cpu) whatever the backend
  run: (ctx) => onCpu(() => secondOrderRun(ctx)),
};

async function secondOrderRun({ options, progress, rng }: DemoContext): Promise<DemoResult> {
  const design = concat([ones([200, 1], F64), normal([200, 3], { ...F64, rng })], { axis: 1 });
  const y = add(
    matmul(design, tensor([[1.25], [2], [-3.5], [0.5]], F64)),
    normal([200, 1], {
      ...F64,
      std: 0.1,
      rng,
    }),
  );
  const ls = newtonLeastSquares(design, y);
  const lsGap = noGrad(() => norm(sub(ls.newton, ls.normal)));
  progress.log(`least squares: one Newton step vs normal equations, ‖Δw‖ = ${fixed(lsGap)}`);

  const { x, labels } = logisticData(rng, 400);
  const f = logisticLoss(x, labels);
  const w0 = zeros([3], F64);
  const exact = newton(f, w0);
  const cg = newtonCg(f, w0);
  const gd = gradientDescent(f, w0, 1, 100);
  const cgGap = norm(noGrad(() => sub(exact.weights, cg.weights)));
  progress.log(
    `logistic regression: Newton reaches ‖g‖ = ${fixed(exact.gradientNorms.at(-1)!)} in ${
      exact.gradientNorms.length - 1
    } steps, Newton-CG in ${cg.gradientNorms.length - 1} (‖Δw‖ = ${
      fixed(cgGap)
    }); gradient descent after 100 steps: ${fixed(gd.gradientNorms.at(-1)!)}`,
  );

  const spectrum = xorSpectrum(rng, options.epochs, options.lr);
  const top = Math.max(...spectrum.eigenvalues);
  const flat = spectrum.eigenvalues.filter((l) => Math.abs(l) < 1e-6 * top).length;
  progress.log(
    `XOR 2-3-1 tanh network: loss ${fixed(spectrum.loss)}; Hessian eigenvalues ${
      spectrum.eigenvalues.map((l) => fixed(l, 2)).join(", ")
    }; ${flat} of ${XOR_PARAMETERS} flat; power iteration on Hv ${fixed(spectrum.powerIteration)}`,
  );

  const costs = jacobianCosts(rng, 256, 4);
  progress.log(
    `Jacobian 256→4: reverse ${costs.wideReverseMs.toFixed(1)} ms, forward ${
      costs.wideForwardMs.toFixed(1)
    } ms; 4→256: reverse ${costs.tallReverseMs.toFixed(1)} ms, forward ${
      costs.tallForwardMs.toFixed(1)
    } ms`,
  );
  const steps = (c: Convergence) => c.gradientNorms.map((g, i): [number, number] => [i, g]);
  const charts = await Promise.all([
    lineChart([
      { name: "Newton", points: steps(exact) },
      { name: "Newton-CG (Hessian-vector products)", points: steps(cg) },
      { name: "gradient descent, lr 1", points: steps(gd).slice(0, 30) },
    ], { x: "iteration", y: "‖gradient‖", title: "logistic regression", logY: true }),
    lineChart([{
      name: "eigenvalue",
      points: spectrum.eigenvalues.map((l, i): [number, number] => [i + 1, l]),
    }], { x: "index", y: "λ", title: "Hessian spectrum at the XOR minimum" }),
  ]);
  return {
    headline: `Newton: least squares in 1 step (‖Δw‖ ${fixed(lsGap)}), logistic regression in ${
      exact.gradientNorms.length - 1
    } steps; XOR Hessian: ${XOR_PARAMETERS - flat} non-flat eigenvalues`,
    results: {
      leastSquaresGap: lsGap,
      newtonGradientNorms: exact.gradientNorms,
      newtonCgGradientNorms: cg.gradientNorms,
      newtonCgGap: cgGap,
      gradientDescentFinalNorm: gd.gradientNorms.at(-1),
      xorLoss: spectrum.loss,
      xorEigenvalues: spectrum.eigenvalues,
      xorFlatEigenvalues: flat,
      xorPowerIteration: spectrum.powerIteration,
      ...costs,
    },
    names: {
      leastSquaresGap: "least squares: ‖Δw‖ of one Newton step vs the normal equations",
      newtonCgGap: "logistic regression: ‖Δw‖ of Newton-CG vs Newton",
      gradientDescentFinalNorm:
        "logistic regression: ‖gradient‖ after 100 steps of gradient descent",
      newtonGradientNorms: "Newton: ‖gradient‖ at each step",
      newtonCgGradientNorms: "Newton-CG: ‖gradient‖ at each step",
      xorLoss: "XOR network: loss at the minimum",
      xorEigenvalues: "XOR network: Hessian eigenvalues",
      xorFlatEigenvalues: "XOR network: flat eigenvalues (|λ| < 1e-6·max)",
      xorPowerIteration: "XOR network: largest eigenvalue by power iteration on Hv",
      wideReverseMs: "Jacobian 256→4, reverse mode (ms)",
      wideForwardMs: "Jacobian 256→4, forward mode (ms)",
      tallReverseMs: "Jacobian 4→256, reverse mode (ms)",
      tallForwardMs: "Jacobian 4→256, forward mode (ms)",
    },
    charts,
  };
}
