import assert from "node:assert/strict";
import { Dense, ReLU, Sequential } from "@kiso/layers";
import { mse } from "@kiso/losses";
import { SGD } from "@kiso/optimizers";
import { mul, Rng, sum, tensor, uniform } from "@kiso/tensor";
import { fit, ProgressBar } from "./mod.ts";

/**
 * A terminal of `columns` columns as a user sees it: printable characters wrap at the last
 * column, `\r` goes back to the line's start, `\x1b[2K` clears the line the cursor is on,
 * `\n` starts a new line. It returns the rows left in the scrollback.
 */
class Terminal {
  readonly rows: string[][] = [[]];
  #col = 0;
  constructor(readonly columns: number) {}

  write(text: string): void {
    for (let i = 0; i < text.length; i++) {
      if (text.startsWith("\x1b[2K", i)) {
        this.rows[this.rows.length - 1] = [];
        i += 3;
        continue;
      }
      const c = text[i];
      if (c === "\r") this.#col = 0;
      else if (c === "\n") this.#newRow();
      else {
        if (this.#col === this.columns) this.#newRow(); // the pending wrap of a full line
        const row = this.rows[this.rows.length - 1];
        row[this.#col++] = c;
      }
    }
  }

  #newRow(): void {
    this.rows.push([]);
    this.#col = 0;
  }

  /** The non-empty rows as text. */
  lines(): string[] {
    return this.rows.map((r) => r.join("")).filter((r) => r.trim() !== "");
  }
}

/** Runs `fn` with `Deno.stdout.writeSync` sending what is written to `sink` instead. */
async function capturingStdout<T>(
  sink: (text: string) => void,
  fn: () => T | Promise<T>,
): Promise<T> {
  const write = Deno.stdout.writeSync;
  Deno.stdout.writeSync = (bytes: Uint8Array): number => {
    sink(new TextDecoder().decode(bytes));
    return bytes.length;
  };
  try {
    return await fn();
  } finally {
    Deno.stdout.writeSync = write;
  }
}

/**
 * Trains a small model for `epochs` with a ProgressBar drawing onto a simulated terminal of
 * `columns` columns (`Deno.consoleSize` and `Deno.stdout.writeSync` replaced for the run; a
 * `columns` of undefined is a terminal whose size cannot be read). Returns the terminal and
 * every redraw.
 */
async function trainOn(
  columns: number | undefined,
  epochs: number,
  prefix = "",
): Promise<{ terminal: Terminal; draws: string[]; printed: string[] }> {
  const terminal = new Terminal(columns ?? 80);
  const draws: string[] = [];
  const printed: string[] = [];
  const size = Deno.consoleSize;
  Deno.consoleSize = (): { columns: number; rows: number } => {
    if (columns === undefined) throw new Deno.errors.NotConnected("not a terminal");
    return { columns, rows: 24 };
  };
  const rng = new Rng(3);
  const x = uniform([96, 3], { rng });
  const y = sum(mul(x, tensor([1, -2, 0.5])), { axis: 1, keepDims: true });
  const model = new Sequential(new Dense(3, 8, { rng }), new ReLU(), new Dense(8, 1, { rng }));
  const bar = new ProgressBar({
    prefix,
    terminal: true,
    samples: 96,
    print: (line) => {
      printed.push(line);
      terminal.write(`${line}\n`);
    },
  });
  const sink = (text: string): void => {
    draws.push(text);
    terminal.write(text);
  };
  try {
    await capturingStdout(sink, () =>
      fit(model, {
        x,
        y,
        loss: mse,
        optimizer: new SGD(model.parameters(), { lr: 0.05 }),
        rng,
        epochs,
        batchSize: 8,
        metrics: ["mae", "r2"],
        callbacks: [bar],
      }));
  } finally {
    Deno.consoleSize = size;
  }
  return { terminal, draws, printed };
}

Deno.test("ProgressBar on an 80-column terminal leaves one line per epoch in the scrollback", async () => {
  const { terminal, draws } = await trainOn(80, 3);
  assert.ok(draws.length >= 3 * 12, "the bar was redrawn after every batch");
  const lines = terminal.lines();
  assert.equal(lines.length, 3, lines.join("\n"));
  lines.forEach((line, i) => assert.match(line, new RegExp(`^epoch ${i + 1}/3  loss [\\d.]+`)));
  for (const draw of draws) {
    const text = draw.replace("\r\x1b[2K", "");
    assert.ok([...text].length <= 79, `${[...text].length} columns: ${text}`);
  }
});

Deno.test("ProgressBar cuts its tail item by item on a narrow terminal, never inside a number", async () => {
  for (const columns of [60, 40, 24]) {
    const { terminal, draws, printed } = await trainOn(columns, 2, "[narrow] ");
    // nothing of the bar is left: only the epoch lines, broken between items to fit
    assert.deepEqual(terminal.lines(), printed);
    for (const row of printed) assert.ok(row.length < columns, `${columns} columns: ${row}`);
    const epochs = printed.join("\n").split(/\n(?=\[narrow\] epoch)/).map((e) =>
      e.replaceAll("\n  ", "  ")
    );
    assert.equal(epochs.length, 2);
    epochs.forEach((e, i) =>
      assert.match(
        e,
        new RegExp(
          `^\\[narrow\\] epoch ${
            i + 1
          }/2  loss [\\d.]+  mae [\\d.]+  r2 -?[\\d.]+  [\\d.]+s  \\d+ samples/s$`,
        ),
      )
    );
    const bars = draws.map((d) => d.replace("\r\x1b[2K", "")).filter((d) => d !== "");
    for (const bar of bars) {
      assert.ok([...bar].length < columns, `${columns} columns: ${bar}`);
      // whatever is kept is whole: every item is one the full line has, in its order
      assert.match(
        bar,
        /^\[narrow\] epoch \d\/2( [█░]{6,20})?( [ \d]\d\/12)?( loss \d+\.\d{4})?( mae \d+\.\d{4})?( r2 -?\d+\.\d{4})?( \[\d\d:\d\d<\d\d:\d\d, [\d.]+ steps\/s\])?( · run \d\d:\d\d left)?$/,
        `${columns} columns: ${bar}`,
      );
    }
    const last = bars.at(-1)!;
    if (columns >= 40) assert.match(last, /^\[narrow\] epoch 2\/2 [█░]{6,20} 12\/12/);
    if (columns === 24) assert.equal(last, "[narrow] epoch 2/2");
  }
});

Deno.test("ProgressBar keeps to 79 columns where the terminal's width cannot be read", async () => {
  const { draws } = await trainOn(undefined, 1);
  const bars = draws.map((d) => d.replace("\r\x1b[2K", "")).filter((d) => d !== "");
  assert.ok(bars.length > 0);
  for (const bar of bars) assert.ok([...bar].length <= 79, bar);
});

Deno.test("ProgressBar's columns option overrides the terminal's width and very narrow lines end in …", async () => {
  const drawn: string[] = [];
  await capturingStdout((text) => drawn.push(text), () => {
    const ctx = { epochs: 10, steps: 100, history: [] } as never;
    const wide = new ProgressBar({ terminal: true, columns: 200, print: () => {} });
    wide.onTrainBegin();
    wide.onEpochBegin();
    wide.onBatchEnd(50, { loss: 0.25 }, ctx);
    for (const columns of [19, 12, 9]) {
      new ProgressBar({ terminal: true, columns, print: () => {} }).onBatchEnd(50, {}, ctx);
    }
  });
  assert.ok(drawn[0].startsWith("\r\x1b[2K"));
  assert.match(
    drawn[0].slice(5),
    /^epoch 1\/10 █{10}░{10} {2}50\/100 loss 0\.2500 \[.*\] · run .* left$/,
  );
  assert.deepEqual(drawn.slice(1), [
    "\r\x1b[2Kepoch 1/10  50/100",
    "\r\x1b[2Kepoch 1/10",
    "\r\x1b[2Kepoch 1…",
  ]);
});
