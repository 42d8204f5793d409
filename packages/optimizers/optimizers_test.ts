import assert from "node:assert/strict";
import { backward, mul, Rng, square, sum, type Tensor, tensor, uniform } from "@kiso/tensor";
import {
  AdaDelta,
  AdaGrad,
  Adam,
  AdamW,
  clipGradNorm,
  clipGradValue,
  cosineDecay,
  LRScheduler,
  Momentum,
  Nesterov,
  OneCycleLR,
  type Optimizer,
  RMSProp,
  type Scheduler,
  SGD,
  warmupCosine,
} from "./mod.ts";
import type { BaseHyper } from "./optimizer.ts";
import { RACES, stepsToTolerance } from "./testdata/race.ts";

const W0 = [1, -2];
const G = [[2, -1], [0.5, 3]];

/** Runs two steps with the hand-made gradients G and returns w after each. */
function twoSteps(make: (w: Tensor) => Optimizer<BaseHyper>): number[][] {
  const w = tensor(W0, { dtype: "float64", requiresGrad: true });
  const opt = make(w);
  return G.map((g) => {
    w.grad = tensor(g, { dtype: "float64" });
    opt.step();
    return Array.from(w.dataSync());
  });
}

/** The closed form, element by element: `update(i, w, g, state)` returns the new w. */
function closedForm(
  update: (w: number, g: number, s: Record<string, number>, t: number) => number,
): number[][] {
  const states = W0.map(() => ({}));
  const w = W0.slice();
  return G.map((g, t) => w.map((_, i) => (w[i] = update(w[i], g[i], states[i], t + 1))));
}

Deno.test("each optimizer's first two steps equal the closed form of its algorithm", async (t) => {
  const cases: [
    string,
    (w: Tensor) => Optimizer<BaseHyper>,
    (w: number, g: number, s: Record<string, number>, t: number) => number,
  ][] = [
    ["SGD", (w) => new SGD([w], { lr: 0.1 }), (w, g) => w - 0.1 * g],
    [
      "SGD weight decay",
      (w) => new SGD([w], { lr: 0.1, weightDecay: 0.5 }),
      (w, g) => w - 0.1 * (g + 0.5 * w),
    ],
    [
      "SGD momentum (velocity form, PyTorch)",
      (w) => new SGD([w], { lr: 0.1, momentum: 0.9 }),
      (w, g, s) => {
        s.b = s.b === undefined ? g : 0.9 * s.b + g;
        return w - 0.1 * s.b;
      },
    ],
    [
      "SGD Nesterov (PyTorch)",
      (w) => new SGD([w], { lr: 0.1, momentum: 0.9, nesterov: true }),
      (w, g, s) => {
        s.b = s.b === undefined ? g : 0.9 * s.b + g;
        return w - 0.1 * (g + 0.9 * s.b);
      },
    ],
    ["Momentum (Alg. 12)", (w) => new Momentum([w], { lr: 0.1, momentum: 0.9 }), (w, g, s) => {
      const next = w + 0.9 * (s.delta ?? 0) - 0.1 * g;
      s.delta = next - w;
      return next;
    }],
    ["Nesterov (Alg. 13, s_t)", (w) => new Nesterov([w], { lr: 0.1 }), (v, g, s) => {
      // the parameter holds v; the iterate w is tracked here
      const next = (x: number): number => (1 + Math.sqrt(1 + 4 * x * x)) / 2;
      const wPrev = s.w ?? v;
      const wNext = v - 0.1 * g;
      const s1 = next(s.s ?? 1);
      s.s = s1;
      s.w = wNext;
      return wNext + ((s1 - 1) / next(s1)) * (wNext - wPrev);
    }],
    [
      "Nesterov ((t−1)/(t+2))",
      (w) => new Nesterov([w], { lr: 0.1, schedule: "simple" }),
      (v, g, s, t) => {
        const wPrev = s.w ?? v;
        const wNext = v - 0.1 * g;
        s.w = wNext;
        const k = t + 1; // α for the next point, with the first step at t = 1 (α₁ = 0)
        return wNext + ((k - 1) / (k + 2)) * (wNext - wPrev);
      },
    ],
    ["AdaGrad (Alg. 14)", (w) => new AdaGrad([w], { lr: 0.1 }), (w, g, s) => {
      s.v = (s.v ?? 1e-8) + g * g;
      return w - (0.1 / Math.sqrt(s.v)) * g;
    }],
    ["RMSProp (Alg. 15)", (w) => new RMSProp([w], { lr: 0.1 }), (w, g, s) => {
      s.v = 0.9 * (s.v ?? 0) + 0.1 * g * g;
      return w - (0.1 / Math.sqrt(s.v + 1e-8)) * g;
    }],
    ["AdaDelta (Alg. 16)", (w) => new AdaDelta([w]), (w, g, s) => {
      s.v = 0.95 * (s.v ?? 0) + 0.05 * g * g;
      const u = (Math.sqrt((s.s ?? 0) + 1e-6) / Math.sqrt(s.v + 1e-6)) * g;
      s.s = 0.95 * (s.s ?? 0) + 0.05 * u * u;
      return w - u;
    }],
    ["Adam (Alg. 17)", (w) => new Adam([w], { lr: 0.1 }), (w, g, s, t) => {
      s.m = 0.9 * (s.m ?? 0) + 0.1 * g;
      s.v = 0.999 * (s.v ?? 0) + 0.001 * g * g;
      const mHat = s.m / (1 - 0.9 ** t);
      const vHat = s.v / (1 - 0.999 ** t);
      return w - (0.1 * mHat) / (Math.sqrt(vHat) + 1e-8);
    }],
    ["AdamW", (w) => new AdamW([w], { lr: 0.1, weightDecay: 0.1 }), (w, g, s, t) => {
      const decayed = w - 0.1 * 0.1 * w;
      s.m = 0.9 * (s.m ?? 0) + 0.1 * g;
      s.v = 0.999 * (s.v ?? 0) + 0.001 * g * g;
      return decayed - (0.1 * (s.m / (1 - 0.9 ** t))) / (Math.sqrt(s.v / (1 - 0.999 ** t)) + 1e-8);
    }],
  ];
  for (const [name, make, update] of cases) {
    await t.step(name, () => {
      const actual = twoSteps(make);
      const expected = closedForm(update);
      actual.flat().forEach((v, i) =>
        assert.ok(
          Math.abs(v - expected.flat()[i]) <= 1e-15 * Math.max(1, Math.abs(v)),
          `${name}: ${actual} vs ${expected}`,
        )
      );
    });
  }
});

Deno.test("each optimizer drives a quadratic and Rosenbrock below tolerance in the stated steps", async (t) => {
  // Measured by scripts/optimizer_race.ts (README of @kiso/optimizers); deterministic in float64.
  const stated: Record<string, [number, number]> = {
    "SGD": [92, 9339],
    "Momentum (Alg. 12)": [145, 1782],
    "Nesterov (Alg. 13, s_t)": [54, 122],
    "Nesterov ((t−1)/(t+2))": [22, 124],
    "SGD PyTorch Nesterov": [57, 1820],
    "AdaGrad (Alg. 14)": [110, 4981],
    "RMSProp (Alg. 15)": [345, 10720],
    "AdaDelta (Alg. 16)": [996, 533],
    "Adam (Alg. 17)": [183, 2316],
    "AdamW": [183, 2316],
  };
  for (const race of RACES) {
    await t.step(race.name, () => {
      const [q, r] = stated[race.name];
      assert.ok((stepsToTolerance(race, "quadratic", q) ?? Infinity) <= q);
      assert.ok((stepsToTolerance(race, "rosenbrock", r) ?? Infinity) <= r);
    });
  }
});

Deno.test("saving optimizer state mid-training and restoring it continues bit-identically", async (t) => {
  const makers: [string, (ps: Tensor[]) => Optimizer<BaseHyper>][] = [
    ["Adam", (ps) => new Adam(ps, { lr: 0.01 })],
    ["Adam amsgrad", (ps) => new Adam(ps, { lr: 0.01, amsgrad: true })],
    ["AdamW amsgrad", (ps) => new AdamW(ps, { lr: 0.01, amsgrad: true })],
    ["SGD momentum", (ps) => new SGD(ps, { lr: 0.05, momentum: 0.9 })],
    ["Nesterov", (ps) => new Nesterov(ps, { lr: 0.05 })],
    ["AdaDelta", (ps) => new AdaDelta(ps)],
  ];
  const x = uniform([8, 3], { rng: new Rng(1) });
  const loss = (w: Tensor): Tensor => sum(square(mul(x, w)));
  const train = (w: Tensor, opt: Optimizer<BaseHyper>, steps: number): void => {
    for (let i = 0; i < steps; i++) {
      opt.zeroGrad();
      backward(loss(w));
      opt.step();
    }
  };
  for (const [name, make] of makers) {
    await t.step(name, () => {
      const w = tensor([0.5, -1, 2], { requiresGrad: true });
      const opt = make([w]);
      train(w, opt, 5);
      const savedW = w.dataSync();
      const saved = opt.stateDict();
      train(w, opt, 5);
      const w2 = tensor(savedW, { requiresGrad: true });
      const opt2 = make([w2]);
      opt2.loadStateDict(saved);
      train(w2, opt2, 5);
      assert.deepEqual(w2.dataSync(), w.dataSync());
    });
  }
});

Deno.test("parameter groups carry their own hyper-parameters", () => {
  const a = tensor([1], { requiresGrad: true, dtype: "float64" });
  const b = tensor([1], { requiresGrad: true, dtype: "float64" });
  const opt = new SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
  a.grad = tensor([1], { dtype: "float64" });
  b.grad = tensor([1], { dtype: "float64" });
  opt.step();
  assert.deepEqual([a.item(), b.item()], [0.9, 0.5]);
  const dict = opt.stateDict();
  assert.deepEqual(dict.paramGroups.map((g) => [g.lr, g.params]), [[0.1, [0]], [0.5, [1]]]);
  opt.zeroGrad();
  assert.equal(a.grad, null);
});

Deno.test("optimizers refuse bad hyper-parameters and mismatched state", () => {
  const w = tensor([1], { requiresGrad: true });
  assert.throws(() => new SGD([w], { lr: -1 }), {
    name: "RangeError",
    message: "SGD: lr must be in [0, Infinity]: current value is -1",
  });
  assert.throws(
    () => new Adam([w], { beta1: 1 }),
    /Adam: beta1 must be in \[0, 1\): current value is 1/,
  );
  assert.throws(
    () => new Momentum([w], { momentum: 1.5 }),
    /Momentum: momentum must be in \[0, 1\)/,
  );
  assert.throws(
    () => new SGD([w], { nesterov: true }),
    /SGD: nesterov needs momentum > 0 and dampening 0/,
  );
  const opt = new Adam([w]);
  w.grad = tensor([1]);
  opt.step();
  const other = new Adam([tensor([1, 2], { requiresGrad: true })]);
  assert.throws(
    () => other.loadStateDict(opt.stateDict()),
    /Adam.loadStateDict: parameter 0 m: \[1\] float32 in the state, \[2\] float32 here/,
  );
  assert.throws(
    () => new Adam([w, w]).loadStateDict(opt.stateDict()),
    /group 0 has 1 parameters in the state, 2 here/,
  );
});

Deno.test("clipGradNorm() and clipGradValue() clip as PyTorch does", () => {
  const a = tensor([0, 0], { requiresGrad: true, dtype: "float64" });
  const b = tensor([0], { requiresGrad: true, dtype: "float64" });
  a.grad = tensor([2, 4], { dtype: "float64" });
  b.grad = tensor([4], { dtype: "float64" });
  assert.equal(clipGradNorm([a, b], 12).item(), 6);
  assert.deepEqual(b.grad.arraySync(), [4]);
  clipGradNorm([a, b], 3);
  const norm = Math.sqrt(
    [...a.grad.dataSync(), ...b.grad.dataSync()].reduce((s, v) => s + v * v, 0),
  );
  assert.ok(Math.abs(norm - 3) < 1e-5);
  clipGradValue([a, b], 0.5);
  assert.ok([...a.grad.dataSync(), ...b.grad.dataSync()].every((v) => Math.abs(v) <= 0.5));
  assert.throws(() => clipGradNorm([a], 0), /clipGradNorm: maxNorm must be > 0/);
});

Deno.test("Momentum (Algorithm 12) equals the velocity form of SGD with momentum", () => {
  const rng = new Rng(4);
  const grads = Array.from({ length: 10 }, () => uniform([3], { dtype: "float64", rng }));
  const run = (make: (w: Tensor) => Optimizer<BaseHyper>): number[] => {
    const w = tensor([0.5, -1, 2], { dtype: "float64", requiresGrad: true });
    const opt = make(w);
    for (const g of grads) {
      w.grad = g;
      opt.step();
    }
    return Array.from(w.dataSync());
  };
  const seed = run((w) => new Momentum([w], { lr: 0.1, momentum: 0.8 }));
  const velocity = run((w) => new SGD([w], { lr: 0.1, momentum: 0.8 }));
  seed.forEach((v, i) => assert.ok(Math.abs(v - velocity[i]) < 1e-14, `${seed} vs ${velocity}`));
});

Deno.test("amsgrad keeps the largest second moment in the state (vMax) and never steps further for a shrinking gradient", () => {
  const w = tensor([0], { requiresGrad: true, dtype: "float64" });
  const plain = tensor([0], { requiresGrad: true, dtype: "float64" });
  const ams = new Adam([w], { lr: 0.1, amsgrad: true });
  const adam = new Adam([plain], { lr: 0.1 });
  const moves: number[][] = [];
  for (const g of [10, 0.01, 0.01]) {
    const before = [w.item(), plain.item()];
    w.grad = tensor([g], { dtype: "float64" });
    plain.grad = tensor([g], { dtype: "float64" });
    ams.step();
    adam.step();
    moves.push([before[0] - w.item(), before[1] - plain.item()]);
  }
  const state = ams.state.get(w)!;
  assert.deepEqual(Object.keys(state).sort(), ["m", "step", "v", "vMax"]);
  // v falls after the large gradient; vMax holds it
  assert.ok((state.vMax as Tensor).item() > (state.v as Tensor).item());
  assert.equal(moves[0][0], moves[0][1]);
  assert.ok(moves[2][0] < moves[2][1]);
});

/** Runs `steps` SGD steps on a quadratic, stepping the scheduler after each; the lrs seen. */
function scheduledRun(
  w: Tensor,
  opt: Optimizer<BaseHyper>,
  scheduler: Scheduler,
  steps: number,
): number[] {
  const lrs: number[] = [];
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    backward(sum(square(w)));
    lrs.push(opt.paramGroups[0].lr);
    opt.step();
    scheduler.step();
  }
  return lrs;
}

Deno.test("schedulers save and restore their position: a resumed run continues bit-identically", async (t) => {
  const makers: [string, (opt: Optimizer<BaseHyper>) => Scheduler][] = [
    ["LRScheduler warmupCosine", (opt) => new LRScheduler(opt, warmupCosine(3, 12))],
    ["OneCycleLR", (opt) => new OneCycleLR(opt, { maxLr: 0.2, totalSteps: 12 })],
  ];
  for (const [name, make] of makers) {
    await t.step(name, () => {
      const w = tensor([0.5, -1, 2], { requiresGrad: true });
      const opt = new AdamW([w], { lr: 0.1, amsgrad: true });
      const scheduler = make(opt);
      const first = scheduledRun(w, opt, scheduler, 5);
      const saved = {
        w: w.dataSync().slice(),
        optimizer: opt.stateDict(),
        scheduler: JSON.parse(JSON.stringify(scheduler.stateDict())),
      };
      const rest = scheduledRun(w, opt, scheduler, 7);
      // a fresh run: the optimizer restored first (its lr is the scheduled one), then the scheduler
      const w2 = tensor(saved.w, { requiresGrad: true });
      const opt2 = new AdamW([w2], { lr: 0.1, amsgrad: true });
      const scheduler2 = make(opt2);
      opt2.loadStateDict(saved.optimizer);
      scheduler2.loadStateDict(saved.scheduler);
      assert.deepEqual(scheduledRun(w2, opt2, scheduler2, 7), rest);
      assert.deepEqual(w2.dataSync(), w.dataSync());
      assert.notDeepEqual(first.slice(0, 1), rest.slice(0, 1));
    });
  }
});

Deno.test("an LRScheduler built after the optimizer was restored keeps the saved initial rates", () => {
  const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.4 });
  const scheduler = new LRScheduler(opt, cosineDecay(4));
  scheduler.step();
  const saved = scheduler.stateDict();
  const opt2 = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.4 });
  opt2.loadStateDict(opt.stateDict()); // lr is now the scheduled 0.2
  const scheduler2 = new LRScheduler(opt2, cosineDecay(4));
  scheduler2.loadStateDict(saved);
  scheduler.step();
  scheduler2.step();
  assert.equal(opt2.paramGroups[0].lr, opt.paramGroups[0].lr);
  assert.throws(
    () => scheduler2.loadStateDict({ epoch: 2 }),
    /LRScheduler.loadStateDict: expected \{ epoch, baseLrs \} for 1 groups: got \{"epoch":2\}/,
  );
});

Deno.test("OneCycleLR cycles Adam's beta1, may step totalSteps times, and says what is wrong", () => {
  const w = tensor([1], { requiresGrad: true });
  const adam = new Adam([w]);
  const cycle = new OneCycleLR(adam, { maxLr: 0.01, epochs: 2, stepsPerEpoch: 5 });
  assert.equal(cycle.totalSteps, 10);
  assert.equal(adam.paramGroups[0].beta1, 0.95);
  for (let i = 0; i < 9; i++) cycle.step();
  assert.equal(adam.paramGroups[0].lr, 0.01 / 25 / 1e4); // the last step of the cycle
  assert.equal(adam.paramGroups[0].beta1, 0.95);
  cycle.step(); // one past the cycle, as PyTorch allows (fit steps after the last batch)
  assert.throws(() => cycle.step(), {
    name: "RangeError",
    message: "OneCycleLR: stepped 11 times: the cycle has totalSteps 10",
  });
  assert.throws(
    () => cycle.loadStateDict({ stepCount: 3, totalSteps: 9 }),
    /OneCycleLR.loadStateDict: expected \{ stepCount, totalSteps: 10 \}/,
  );
  assert.throws(
    () => new OneCycleLR(new RMSProp([w]), { maxLr: 0.1, totalSteps: 10 }),
    /OneCycleLR: the optimizer has neither momentum nor beta1 to cycle: pass cycleMomentum: false/,
  );
  new OneCycleLR(new RMSProp([w]), { maxLr: 0.1, totalSteps: 10, cycleMomentum: false });
  assert.throws(
    () => new OneCycleLR(adam, { maxLr: 0.1 }),
    /OneCycleLR: totalSteps must be a positive integer: current value is undefined/,
  );
  assert.throws(
    () => new OneCycleLR(adam, { maxLr: 0.1, epochs: 2 }),
    /OneCycleLR: stepsPerEpoch must be a positive integer/,
  );
  assert.throws(
    () => new OneCycleLR(adam, { maxLr: [0.1, 0.2], totalSteps: 10 }),
    /OneCycleLR: maxLr must be a positive number or one per group \(1\): got \[0.1,0.2\]/,
  );
  assert.throws(
    () => new OneCycleLR(adam, { maxLr: 0.1, totalSteps: 10, pctStart: 0.05 }),
    /OneCycleLR: phase 1 of 2 ends at step -0.5, not after its start 0/,
  );
  assert.throws(
    () => new OneCycleLR(adam, { maxLr: 0.1, totalSteps: 10, annealStrategy: "cosine" as "cos" }),
    /OneCycleLR: annealStrategy must be "cos" or "linear": current value is "cosine"/,
  );
  assert.throws(
    () => new OneCycleLR(adam, { maxLr: 0.1, totalSteps: 10, maxMomentum: 1 }),
    /OneCycleLR: maxMomentum must be in \[0, 1\): current value is 1/,
  );
});

Deno.test("optimizers, groups and schedules refuse unknown options by name, with the known ones", () => {
  const w = tensor([1], { requiresGrad: true });
  assert.throws(() => new Adam([w], { lr: 0.1, betas: [0.9, 0.99] } as never), {
    name: "TypeError",
    message:
      'Adam: unknown option "betas": known options are lr, beta1, beta2, eps, weightDecay, amsgrad',
  });
  assert.throws(
    () => new AdamW([w], { amsGrad: true } as never),
    /AdamW: unknown option "amsGrad": known options are lr, beta1, beta2, eps, weightDecay, amsgrad/,
  );
  assert.throws(
    () => new SGD([{ params: [w], momentun: 0.9 } as never]),
    /SGD: parameter group 0: unknown option "momentun": known options are params, lr, momentum, dampening, nesterov, weightDecay/,
  );
  for (
    const make of [
      () => new Momentum([w], { nesterov: true } as never),
      () => new Nesterov([w], { nesterov: true } as never),
      () => new AdaGrad([w], { nesterov: true } as never),
      () => new RMSProp([w], { nesterov: true } as never),
      () => new AdaDelta([w], { nesterov: true } as never),
      () => new SGD([w], { betas: 1 } as never),
    ]
  ) {
    assert.throws(make, /: unknown option "(nesterov|betas)": known options are /);
  }
  assert.throws(
    () => new Adam([w], { amsgrad: 1 as unknown as boolean }),
    /Adam: amsgrad must be true or false: got 1/,
  );
  assert.throws(
    () => new OneCycleLR(new SGD([w]), { maxLr: 0.1, totalSteps: 5, max_lr: 1 } as never),
    /OneCycleLR: unknown option "max_lr": known options are maxLr, totalSteps, epochs/,
  );
  assert.throws(
    () => cosineDecay(5, 0, { after: "hold" } as never),
    /cosineDecay: unknown option "after": known options are afterEnd/,
  );
  assert.throws(
    () => warmupCosine(2, 10, { min: 0.1 } as never),
    /warmupCosine: unknown option "min": known options are minFactor/,
  );
  assert.throws(
    () => warmupCosine(5, 5),
    /warmupCosine: totalSteps must be an integer > warmupSteps \(5\): current value is 5/,
  );
  assert.throws(() => warmupCosine(-1, 5), /warmupCosine: warmupSteps must be an integer >= 0/);
});
