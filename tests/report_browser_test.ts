/**
 * Every demo's report opens offline in headless Chromium without a console message, with no
 * horizontal scrollbar and each image's label under it, and the checker itself catches a page
 * that has a console message. Needs Chromium (CI installs it).
 */
import assert from "node:assert/strict";
import { DEMOS } from "../apps/trainer/demos/mod.ts";
import { runDemo } from "../apps/trainer/main.ts";
import { comparisonHtml, defaultOutput } from "../apps/trainer/compare.ts";
import { checkPage, chromium, consoleMessages, type PageLayout } from "../scripts/check_reports.ts";

/** No horizontal scrollbar, and every caption sits under its own image. */
function assertLaidOut(layout: PageLayout, page: string): void {
  assert.ok(
    layout.scrollWidth <= layout.clientWidth,
    `${page} is ${layout.scrollWidth} px wide in a ${layout.clientWidth} px window`,
  );
  for (const { image, caption, text } of layout.cells) {
    if (caption === undefined) continue;
    const centre = (caption.left + caption.right) / 2;
    assert.ok(
      centre >= image.left && centre <= image.right && caption.top >= image.bottom - 0.5 &&
        caption.top - image.bottom < 20,
      `${page}: caption "${text}" at ${JSON.stringify(caption)} is not under its image at ${
        JSON.stringify(image)
      }`,
    );
  }
}

const ignore = chromium() === undefined;

Deno.test({
  name: "the checker catches a page with a console error",
  ignore,
  async fn(): Promise<void> {
    const page = await Deno.makeTempFile({ suffix: ".html" });
    await Deno.writeTextFile(page, "<!doctype html><script>throw new Error('boom')</script>");
    const messages = await consoleMessages(page);
    assert.ok(messages.some((m) => m.includes("Uncaught Error: boom")), messages.join("\n"));
    const checked = await checkPage(page);
    assert.ok(checked.messages.some((m) => m.includes("Uncaught Error: boom")));
  },
});

Deno.test({
  name:
    "every demo's report and a comparison page open in headless Chromium without a console message",
  ignore,
  async fn(t): Promise<void> {
    const runs: string[] = [];
    for (const demo of Object.values(DEMOS)) {
      await t.step(demo.name, async () => {
        const out = await Deno.makeTempDir();
        // the pages are what is checked, not the learning: the smallest runs that fill them
        const limit = demo.ignores?.includes("limit") ? undefined : 200;
        const epochs = demo.name === "second-order" ? 300 : Math.min(demo.defaults.epochs, 2);
        await runDemo(demo, {
          ...demo.defaults,
          epochs,
          limit,
          seed: 0,
          out,
          resume: false,
          quiet: true,
          backend: "cpu",
        });
        const html = await Deno.readTextFile(`${out}/report.html`);
        assert.match(html, /<h2>Settings<\/h2>/);
        const { messages, layout } = await checkPage(`${out}/report.html`);
        assert.deepEqual(messages, []);
        assertLaidOut(layout, demo.name);
        if (demo.name.startsWith("mnist")) {
          const captions = layout.cells.filter((c) => c.caption !== undefined);
          assert.ok(captions.length > 0, "the misclassified digits are shown with their labels");
          assert.ok(captions.every((c) => /^\d→\d$/.test(c.text!)));
          runs.push(out);
        }
      });
    }
    const page = await Deno.makeTempFile({ suffix: ".html" });
    const html = await comparisonHtml(runs);
    await Deno.writeTextFile(page, html);
    const { messages, layout } = await checkPage(page);
    assert.deepEqual(messages, []);
    assertLaidOut(layout, "comparison.html");
    // the test metric of every run, in words, and the title of a comparison
    assert.match(html, new RegExp(`<title>kiso — ${runs.length} runs compared</title>`));
    assert.match(html, new RegExp(`<th>test accuracy</th>(<td>0\\.\\d+</td>){${runs.length}}`));
    // one run: named, not "comparison of 1 runs" / "(single model)"
    const single = await comparisonHtml([runs[0]]);
    assert.match(single, new RegExp(`<title>kiso — ${runs[0]}</title>`));
    assert.doesNotMatch(single, /single model|1 runs/);
    assert.equal(defaultOutput(["runs/a", "runs/b/"]), "runs/comparison.html");
  },
});
