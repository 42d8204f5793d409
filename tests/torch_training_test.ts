import { klDivergence, type Reduction, softmaxCrossEntropy } from "@kiso/losses";
import { backward, mul, sum, type Tensor } from "@kiso/tensor";
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
