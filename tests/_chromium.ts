/**
 * Headless Chromium for the browser tests and the browser benchmark, driven through
 * `puppeteer-core` (test-only: loaded by the tests that need it, never by `deno task train`),
 * pointed at the system's Chromium and started with the flags that keep it quiet and offline.
 *
 * @module
 */
// deno-lint-ignore no-import-prefix -- test-only: an import-map entry would make every run install it
import puppeteer, { type Browser, type Page } from "npm:puppeteer-core@25.19.0";
import { chromium } from "../scripts/check_reports.ts";

export type { Browser, Page };

/** No sandbox (containers), no GPU process, nothing fetched in the background, a fresh profile. */
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A started Chromium whose profile folder is removed when it is closed. */
export interface Chromium extends AsyncDisposable {
  browser: Browser;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/**
 * Starts headless Chromium with a new empty profile.
 *
 * @param extra More flags (`--enable-unsafe-webgpu` for SwiftShader's WebGPU adapter).
 * @returns The browser.
 */
export async function launchChromium(extra: readonly string[] = []): Promise<Chromium> {
  const executablePath = chromium();
  if (executablePath === undefined) throw new Error("no Chromium found (apt-get install chromium)");
  const profile = await Deno.makeTempDir({ prefix: "kiso-chromium-" });
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: [...FLAGS, `--user-data-dir=${profile}`, ...extra],
  });
  const close = async (): Promise<void> => {
    await browser.close();
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  };
  return { browser, close, [Symbol.asyncDispose]: close };
}

/**
 * Collects what a page and its workers write to the console: every message as `type: text`,
 * uncaught errors as `pageerror: …`, and failed requests.
 *
 * @param page The page.
 * @returns The list, filled as messages come.
 */
export function consoleOf(page: Page): string[] {
  const messages: string[] = [];
  page.on("console", (m) => void messages.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => void messages.push(`pageerror: ${(e as Error).message ?? e}`));
  page.on("requestfailed", (r) => void messages.push(`requestfailed: ${r.url()}`));
  page.on("workercreated", (worker) => {
    worker.on("console", (m) => void messages.push(`worker ${m.type()}: ${m.text()}`));
  });
  return messages;
}

/** The errors among {@linkcode consoleOf}'s messages. */
export function errorsIn(messages: readonly string[]): string[] {
  return messages.filter((m) => /^(worker )?error:|^pageerror:|^requestfailed:/.test(m));
}
