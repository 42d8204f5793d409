/**
 * Every demo's report opens offline in headless Chromium without a console message, and the
 * checker itself catches a page that has one. Needs Chromium (CI installs it).
 */
import assert from "node:assert/strict";
import { DEMOS } from "../apps/trainer/demos/mod.ts";
import { runDemo } from "../apps/trainer/main.ts";
import { comparisonHtml } from "../apps/trainer/compare.ts";
import { chromium, consoleMessages } from "../scripts/check_reports.ts";

const ignore = chromium() === undefined;

Deno.test({
  name: "the checker catches a page with a console error",
  ignore,
  async fn(): Promise<void> {
    const page = await Deno.makeTempFile({ suffix: ".html" });
    await Deno.writeTextFile(page, "<!doctype html><script>throw new Error('boom')</script>");
    const messages = await consoleMessages(page);
    assert.ok(messages.some((m) => m.includes("Uncaught Error: boom")), messages.join("\n"));
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
        const limit = demo.ignores?.includes("limit") ? undefined : 300;
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
        assert.deepEqual(await consoleMessages(`${out}/report.html`), []);
        if (demo.name.startsWith("mnist")) runs.push(out);
      });
    }
    const page = await Deno.makeTempFile({ suffix: ".html" });
    await Deno.writeTextFile(page, await comparisonHtml(runs));
    assert.deepEqual(await consoleMessages(page), []);
  },
});
