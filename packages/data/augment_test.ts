import assert from "node:assert/strict";
import { arange, cast, ones, reshape, Rng, tensor } from "@kiso/tensor";
import {
  compose,
  DataLoader,
  normalize,
  randomAffine,
  randomCrop,
  randomHorizontalFlip,
  TensorDataset,
} from "./mod.ts";

/** A batch of n distinct 1-channel images, h×w, valued 1, 2, 3, … */
function images(n: number, h: number, w: number, channels = 1): ReturnType<typeof ones> {
  return reshape(cast(arange(1, n * channels * h * w + 1), "float32"), [n, channels, h, w]);
}

Deno.test("randomCrop() cuts each padded image at its own offset, drawn in sample order", () => {
  const x = images(3, 4, 5, 2);
  const y = randomCrop([3, 4], { padding: 1, fill: -1 })(x, new Rng(7));
  assert.deepEqual(y.shape, [3, 2, 3, 4]);
  const replay = new Rng(7);
  const xs = x.arraySync() as number[][][][];
  const ys = y.arraySync() as number[][][][];
  for (let n = 0; n < 3; n++) {
    const dy = replay.int(4 + 2 - 3 + 1) - 1;
    const dx = replay.int(5 + 2 - 4 + 1) - 1;
    for (let c = 0; c < 2; c++) {
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 4; j++) {
          const inside = i + dy >= 0 && i + dy < 4 && j + dx >= 0 && j + dx < 5;
          assert.equal(ys[n][c][i][j], inside ? xs[n][c][i + dy][j + dx] : -1);
        }
      }
    }
  }
  assert.throws(() => randomCrop(9)(x, new Rng(0)), {
    name: "ShapeError",
    message: "randomCrop: [3,2,4,5]: crop 9×9 is larger than the padded image 4×5",
  });
  assert.throws(
    () => randomCrop(3, { padding: -1 }),
    /randomCrop: padding must be an integer >= 0/,
  );
  assert.throws(() => randomCrop(3, { pad: 1 } as never), /randomCrop: unknown option "pad"/);
});

Deno.test("randomHorizontalFlip() mirrors the images it draws, with probability p", () => {
  const x = images(200, 1, 3);
  const y = randomHorizontalFlip()(x, new Rng(1)).arraySync() as number[][][][];
  const xs = x.arraySync() as number[][][][];
  let flipped = 0;
  y.forEach((image, n) => {
    const row = image[0][0];
    if (row.join() !== xs[n][0][0].join()) {
      assert.deepEqual(row, [...xs[n][0][0]].reverse());
      flipped++;
    }
  });
  assert.ok(flipped > 70 && flipped < 130, `${flipped} of 200`);
  assert.deepEqual(randomHorizontalFlip({ p: 0 })(x, new Rng(1)).arraySync(), x.arraySync());
  assert.throws(
    () => randomHorizontalFlip({ p: 2 }),
    /randomHorizontalFlip: p must be in \[0, 1\]: current value is 2/,
  );
});

Deno.test("randomAffine() shifts, turns and scales about the centre, reproducibly", () => {
  const x = images(4, 5, 5);
  // no motion at all is the identity
  assert.deepEqual(randomAffine()(x, new Rng(2)).arraySync(), x.arraySync());
  // a rotation keeps the centre pixel of an odd-sized image where it is
  const turned = randomAffine({ degrees: 45 })(x, new Rng(3)).arraySync() as number[][][][];
  turned.forEach((image, n) =>
    assert.equal(image[0][2][2], (x.arraySync() as number[][][][])[n][0][2][2])
  );
  // a shift moves a dot by whole pixels: it stays one dot or leaves the image
  const dot = tensor([[[[0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 9, 0, 0], [0, 0, 0, 0, 0], [
    0,
    0,
    0,
    0,
    0,
  ]]]]);
  for (let seed = 0; seed < 10; seed++) {
    const moved = Array.from(
      randomAffine({ translate: [0.4, 0.4] })(dot, new Rng(seed)).dataSync(),
    );
    assert.deepEqual(moved.filter((v) => v !== 0), [9]);
  }
  // doubling the scale about the centre reads the inner pixels
  const zoomed = randomAffine({ scale: [2, 2] })(images(1, 5, 5), new Rng(0))
    .arraySync() as number[][][][];
  // row 2 of 11…15 read at columns round(2 + (j − 2)/2) = 1, 2, 2, 3, 3
  assert.deepEqual(zoomed[0][0][2], [12, 13, 13, 14, 14]);
  const a = randomAffine({ degrees: 10, translate: [0.1, 0.1], scale: [0.9, 1.1] });
  assert.deepEqual(a(x, new Rng(4)).arraySync(), a(x, new Rng(4)).arraySync());
  assert.throws(() => randomAffine({ scale: [0, 1] }), /randomAffine: scale must be a range/);
  assert.throws(
    () => randomAffine({ degrees: 200 }),
    /randomAffine: degrees must be in \[0, 180\]/,
  );
  assert.throws(() => randomAffine({ shear: 5 } as never), /randomAffine: unknown option "shear"/);
});

Deno.test("normalize() standardises per channel; compose() applies augmentations in order", () => {
  const x = tensor([[[[1, 3]], [[10, 30]]]]);
  assert.deepEqual(normalize([2, 20], [1, 10])(x, new Rng(0)).arraySync(), [[[[-1, 1]], [[
    -1,
    1,
  ]]]]);
  assert.throws(
    () => normalize([0], [0]),
    /normalize: needs one mean and one positive std per channel/,
  );
  assert.throws(
    () => normalize([0], [1])(x, new Rng(0)),
    /normalize: \[1,2,1,2\]: expects 1 channels/,
  );
  const both = compose(randomHorizontalFlip({ p: 1 }), normalize([2, 20], [1, 10]));
  assert.deepEqual(both(x, new Rng(0)).arraySync(), [[[[1, -1]], [[1, -1]]]]);
  assert.throws(
    () => normalize([0], [1])(ones([2, 3]), new Rng(0)),
    /normalize: \[2,3\]: expects a batch of images/,
  );
});

Deno.test("DataLoader augments each batch's inputs with its generator, so equal states give equal epochs", () => {
  const x = images(10, 4, 4);
  const y = arange(10);
  const make = (rng: Rng): DataLoader =>
    new DataLoader(new TensorDataset(x, y), {
      batchSize: 4,
      shuffle: true,
      rng,
      augment: compose(randomCrop(4, { padding: 1 }), randomHorizontalFlip()),
    });
  const epoch = (loader: DataLoader): number[][] =>
    [...loader].map(([a]) => Array.from(a.dataSync()));
  const rng = new Rng(5);
  const loader = make(rng);
  epoch(loader);
  const state = rng.getState();
  const second = epoch(loader);
  // a loader resumed from the generator's state after the first epoch sees the same second epoch
  const resumed = new Rng(0);
  resumed.setState(state);
  assert.deepEqual(epoch(make(resumed)), second);
  // the targets are left alone (each sample once per epoch), and the inputs did change
  const targets = [...make(new Rng(5))].flatMap(([, t]) => Array.from(t.dataSync()));
  assert.deepEqual(targets.sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const sums = (batches: number[][]): number => batches.flat().reduce((a, b) => a + b, 0);
  assert.ok(sums(second) < sums([Array.from(x.dataSync())]));
});
