import { klDivergence, type Reduction, softmaxCrossEntropy } from "@kiso/losses";
import {
  Adam,
  type AdamHyper,
  AdamW,
  LRScheduler,
  OneCycleLR,
  type OneCycleLROptions,
  type Optimizer,
  SGD,
  warmupCosine,
} from "@kiso/optimizers";
import { backward, mul, reshape, slice, sum, type Tensor, zeros } from "@kiso/tensor";
import { assertAllClose } from "@kiso/testing";
import { loadTorchFixture, type TorchFixture } from "./_torch_fixtures.ts";

const CLOSE = { rtol: 1e-10, atol: 1e-12 };

/** A case of a multi-case fixture: its name and options as kiso spells them. */
type Case = { name: string } & Record<string, unknown>;

function cases(fixture: TorchFixture): Case[] {
  return JSON.parse(fixture.meta.cases!);
}

/** A leaf copy of a fixture input that records its gradient. */
function leaf(t: Tensor): Tensor {
  const x = t.detach();
  x.requiresGrad = true;
  return x;
}

/** Compares a loss case: the output, then the gradients of Σ out·cot in `inputs`. */
function checkLoss(
  fixture: TorchFixture,
  name: string,
  inputs: Record<string, Tensor>,
  loss: Tensor,
): void {
  assertAllClose(loss, fixture.outputs[name]!, CLOSE);
  const cot = fixture.cotangents[name];
  backward(cot === undefined ? loss : sum(mul(loss, cot)));
  for (const [key, x] of Object.entries(inputs)) {
    assertAllClose(x.grad!, fixture.inputGrads[`${name}.${key}`]!, CLOSE);
  }
}

for (const layout of ["2d", "nd"]) {
  Deno.test(`softmaxCrossEntropy() matches F.cross_entropy with class indices, every option combination (${layout})`, async (t) => {
    const f = loadTorchFixture(`training_cross_entropy_${layout}`);
    for (const c of cases(f)) {
      await t.step(c.name, () => {
        const logits = leaf(f.inputs.logits!);
        const loss = softmaxCrossEntropy(logits, f.inputs[c.labels as string]!, {
          reduction: c.reduction as Reduction,
          labelSmoothing: c.labelSmoothing as number,
          ignoreIndex: c.ignoreIndex as number | undefined,
          weight: c.weight ? f.inputs.weight : undefined,
        });
        checkLoss(f, c.name, { logits }, loss);
      });
    }
  });
}

Deno.test("softmaxCrossEntropy() matches F.cross_entropy with probability targets: gradients in logits and targets", async (t) => {
  const f = loadTorchFixture("training_cross_entropy_soft");
  for (const c of cases(f)) {
    await t.step(c.name, () => {
      const logits = leaf(f.inputs[`logits_${c.layout}`]!);
      const target = leaf(f.inputs[`target_${c.layout}`]!);
      const loss = softmaxCrossEntropy(logits, target, {
        reduction: c.reduction as Reduction,
        labelSmoothing: c.labelSmoothing as number,
        weight: c.weight ? f.inputs[`weight_${c.layout}`] : undefined,
      });
      checkLoss(f, c.name, { logits, target }, loss);
    });
  }
});

Deno.test("klDivergence() matches F.kl_div: every reduction, with and without logTarget", async (t) => {
  const f = loadTorchFixture("training_kl_div");
  for (const c of cases(f)) {
    await t.step(c.name, () => {
      const input = leaf(f.inputs.input!);
      const target = leaf(f.inputs[c.logTarget ? "log_target" : "target"]!);
      const loss = klDivergence(input, target, {
        reduction: c.reduction as Reduction | "batchmean",
        logTarget: c.logTarget as boolean,
      });
      checkLoss(f, c.name, { input, target }, loss);
    });
  }
});

/** Row k of a matrix, as a vector. */
function row(t: Tensor, k: number): Tensor {
  return reshape(slice(t, [[k, k + 1]]), [t.shape[1]]);
}

Deno.test("Adam and AdamW with amsgrad follow torch.optim's trajectories over ten steps", async (t) => {
  const f = loadTorchFixture("training_adam_amsgrad");
  const grads = f.inputs.grads!;
  for (const c of cases(f)) {
    await t.step(c.name, () => {
      const w = f.inputs.w0!.detach();
      w.requiresGrad = true;
      const options = c.options as Partial<AdamHyper>;
      const opt = c.optimizer === "AdamW" ? new AdamW([w], options) : new Adam([w], options);
      const path = f.outputs[c.name]!;
      for (let k = 0; k < grads.shape[0]; k++) {
        w.grad = row(grads, k);
        opt.step();
        assertAllClose(w, row(path, k), CLOSE);
      }
    });
  }
});

/** Each group's learning rate and momentum at the scheduler's successive positions. */
function sequence(
  opt: Optimizer<AdamHyper> | Optimizer<{ lr: number; weightDecay: number; momentum: number }>,
  step: () => void,
  positions: number,
): { lr: number[][]; momentum: number[][] } {
  const lr: number[][] = [];
  const momentum: number[][] = [];
  for (let k = 0; k < positions; k++) {
    if (k > 0) step();
    lr.push(opt.paramGroups.map((g) => g.lr));
    momentum.push(
      opt.paramGroups.map((g) => ("beta1" in g ? g.beta1 : "momentum" in g ? g.momentum : 0)),
    );
  }
  return { lr, momentum };
}

Deno.test("OneCycleLR follows torch.optim.lr_scheduler.OneCycleLR: rates and momenta at every step", async (t) => {
  const f = loadTorchFixture("training_one_cycle");
  for (const c of cases(f)) {
    await t.step(c.name, () => {
      const params = Array.from(
        { length: c.groups as number },
        () => zeros([1], { requiresGrad: true, dtype: "float64" }),
      );
      const groups = params.map((p) => ({ params: [p] }));
      const opt = c.optimizer === "SGD"
        ? new SGD(groups, { lr: 0.1, momentum: c.name === "sgd_two_groups" ? 0.5 : 0 })
        : c.optimizer === "AdamW"
        ? new AdamW(groups, { lr: 0.01 })
        : new Adam(groups, { lr: 0.01 });
      const scheduler = new OneCycleLR(opt, c.options as unknown as OneCycleLROptions);
      const expectedLr = f.outputs[`${c.name}.lr`]!;
      const got = sequence(opt, () => scheduler.step(), expectedLr.shape[0]);
      assertAllClose(got.lr, expectedLr, CLOSE);
      assertAllClose(got.momentum, f.outputs[`${c.name}.momentum`]!, CLOSE);
    });
  }
});

Deno.test("warmupCosine per step follows PyTorch's SequentialLR(LinearLR, CosineAnnealingLR)", async (t) => {
  const f = loadTorchFixture("training_warmup_cosine");
  for (const c of cases(f)) {
    await t.step(c.name, () => {
      const opt = new SGD([zeros([1], { requiresGrad: true })], { lr: c.lr as number });
      const scheduler = new LRScheduler(
        opt,
        warmupCosine(c.warmupSteps as number, c.totalSteps as number, {
          minFactor: c.minFactor as number,
        }),
      );
      const expected = f.outputs[`${c.name}.lr`]!;
      assertAllClose(sequence(opt, () => scheduler.step(), expected.shape[0]).lr, expected, CLOSE);
    });
  }
});
