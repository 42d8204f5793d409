import assert from "node:assert/strict";
import {
  add,
  type Backend,
  backward,
  getBackend,
  keep,
  mul,
  reshape,
  setBackend,
  type Storage,
  sum,
  type Tensor,
  tensor,
  tidy,
} from "./mod.ts";
import { createCpuBackend } from "./cpu/mod.ts";

/** Runs `fn` on a cpu backend that records each storage it is asked to free. */
function counting(fn: (freed: Storage[]) => void | Promise<void>): () => Promise<void> {
  return async () => {
    const cpu = createCpuBackend();
    const freed: Storage[] = [];
    const backend: Backend = { ...cpu, name: "counting", dispose: (s) => void freed.push(s) };
    const previous = getBackend();
    setBackend(backend);
    try {
      await fn(freed);
    } finally {
      setBackend(previous);
    }
  };
}

const isFreed = (freed: Storage[], t: Tensor): boolean => freed.includes(t.storage);

Deno.test(
  "Tensor [Symbol.dispose]() frees a tensor declared with using at the end of its block, once",
  counting((freed) => {
    const x = tensor([1, 2]);
    let inner: Tensor | undefined;
    {
      using y = mul(x, x);
      inner = y;
      assert.deepEqual(y.arraySync(), [1, 4]);
      assert.equal(freed.length, 0);
    }
    assert.deepEqual(freed, [inner.storage]);
    {
      using z = add(x, 1);
      z.dispose(); // disposing by hand as well frees it once
    }
    assert.equal(freed.length, 2);
    assert.ok(!isFreed(freed, x));
  }),
);

Deno.test(
  "tidy() frees every tensor made inside except those it returns, in arrays and objects too",
  counting((freed) => {
    const x = tensor([1, 2, 3]);
    let a: Tensor | undefined;
    let b: Tensor | undefined;
    const out = tidy(() => {
      a = mul(x, 2);
      b = add(a, 1);
      return { sum: sum(b), parts: [reshape(b, [3, 1])] };
    });
    assert.ok(isFreed(freed, a!));
    // b is freed but for its view, which shares its storage and is returned
    assert.ok(!isFreed(freed, b!) && !isFreed(freed, out.parts[0]) && !isFreed(freed, out.sum));
    assert.equal(out.sum.item(), 15);
    assert.deepEqual(out.parts[0].arraySync(), [[3], [5], [7]]);
    assert.ok(!isFreed(freed, x));
    assert.equal(freed.length, 3); // a, and the tensors made of the numbers 2 and 1
  }),
);

Deno.test(
  "tidy() never frees tensors made before it, nor views of them made inside",
  counting((freed) => {
    const x = tensor([1, 2, 3, 4]);
    tidy(() => {
      reshape(x, [2, 2]);
      x.detach();
    });
    assert.equal(freed.length, 0);
    assert.deepEqual(x.arraySync(), [1, 2, 3, 4]);
  }),
);

Deno.test(
  "tidy() scopes nest: an inner scope's result is the outer scope's to free or return",
  counting((freed) => {
    let inner: Tensor | undefined;
    let dropped: Tensor | undefined;
    const outer = tidy(() => {
      inner = tidy(() => {
        dropped = tensor([9]);
        return tensor([1]);
      });
      assert.ok(isFreed(freed, dropped!) && !isFreed(freed, inner));
      return add(inner, 1);
    });
    assert.ok(isFreed(freed, inner!));
    assert.deepEqual(outer.arraySync(), [2]);
    assert.equal(freed.length, 3); // dropped, inner and the tensor made of the number 1
  }),
);

Deno.test(
  "tidy() spares kept tensors, assigned values and gradients",
  counting((freed) => {
    const w = tensor([1, 2], { requiresGrad: true });
    let saved: Tensor | undefined;
    let next: Tensor | undefined;
    tidy(() => {
      backward(sum(mul(w, w)));
      saved = keep(mul(w, 10));
      next = add(w, 1);
      w.assign(next.detach());
    });
    assert.deepEqual(w.grad!.arraySync(), [2, 4]);
    assert.deepEqual(saved!.arraySync(), [10, 20]);
    assert.deepEqual(w.arraySync(), [2, 3]);
    assert.ok(!isFreed(freed, w.grad!) && !isFreed(freed, saved!) && !isFreed(freed, w));
    assert.ok(freed.length > 0); // the squares and their sum
  }),
);

Deno.test(
  "tidy() frees what it made when its function throws, and passes the error on",
  counting((freed) => {
    let made: Tensor | undefined;
    assert.throws(
      () =>
        tidy(() => {
          made = tensor([1]);
          throw new RangeError("boom");
        }),
      { name: "RangeError", message: "boom" },
    );
    assert.deepEqual(freed, [made!.storage]);
    // the scope is closed: a tensor made now belongs to none
    tensor([2]);
    tidy(() => undefined);
    assert.equal(freed.length, 1);
  }),
);

Deno.test(
  "tidy() refuses an async function and frees nothing it made",
  counting(async (freed) => {
    let made: Tensor | undefined;
    let finished: Promise<void> | undefined;
    assert.throws(
      () =>
        tidy(() => {
          made = tensor([1]);
          finished = (async () => {
            await Promise.resolve();
            assert.deepEqual(made!.arraySync(), [1]);
          })();
          return finished;
        }),
      { name: "TypeError", message: /tidy: fn returned a promise: a scope spans synchronous code/ },
    );
    await finished;
    assert.equal(freed.length, 0);
  }),
);
