/**
 * Opens report pages in headless Chromium, offline, and fails on any console message (the
 * reports have no scripts, so any message is an error: a failed load, a bad data URL, …);
 * optionally saves a screenshot of each, to look at.
 *
 * Usage: deno run -A scripts/check_reports.ts [--screenshots DIR] report.html…
 */

/** The Chromium binary, or undefined where none is installed. */
export function chromium(): string | undefined {
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
      try {
        if (Deno.statSync(`${dir}/${name}`).isFile) return `${dir}/${name}`;
      } catch {
        // not in this directory
      }
    }
  }
  return undefined;
}

/**
 * Loads `page` in headless Chromium with the network off and returns its console messages.
 *
 * @param page The HTML file.
 * @param screenshot Where to save a PNG of the page, if anywhere.
 */
export async function consoleMessages(page: string, screenshot?: string): Promise<string[]> {
  const binary = chromium();
  if (binary === undefined) {
    throw new Error("check_reports: no Chromium found (apt-get install chromium)");
  }
  const output = await new Deno.Command(binary, {
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--enable-logging=stderr",
      "--v=0",
      "--proxy-server=127.0.0.1:9", // offline: any fetch fails (and says so in the console)
      "--window-size=1280,3600",
      `--screenshot=${screenshot ?? await Deno.makeTempFile({ suffix: ".png" })}`,
      new URL(page, `file://${Deno.cwd()}/`).href,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const log = new TextDecoder().decode(output.stderr);
  return log.split("\n").filter((line) => line.includes(":CONSOLE"));
}

/** A box on the page, in CSS pixels. */
export interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** What {@linkcode checkPage} measures. */
export interface PageLayout {
  /** The page's width and the window's: a wider page has a horizontal scrollbar. */
  scrollWidth: number;
  clientWidth: number;
  /** Every image of an image grid with its caption (if any). */
  cells: { image: Box; caption?: Box; text?: string }[];
}

/**
 * Loads `page` in headless Chromium (offline, a window `width` pixels wide) once, and returns its
 * console messages (as {@linkcode consoleMessages}) and its layout: the page's width against the
 * window's and where each grid image and its caption are. The measuring script runs in a copy of
 * the page and logs nothing; the report itself has no script.
 *
 * @param page The HTML file.
 * @param width The window's width.
 */
export async function checkPage(
  page: string,
  width = 1280,
): Promise<{ messages: string[]; layout: PageLayout }> {
  const binary = chromium();
  if (binary === undefined) {
    throw new Error("check_reports: no Chromium found (apt-get install chromium)");
  }
  const measure = `<script>document.addEventListener("DOMContentLoaded", () => {
const box = (e) => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; };
const cells = [...document.querySelectorAll("figure.cell")].map((f) => {
  const c = f.querySelector("figcaption");
  return { image: box(f.querySelector("img")), caption: c ? box(c) : undefined, text: c?.textContent };
});
const out = document.createElement("pre");
out.id = "kiso-layout";
out.textContent = JSON.stringify({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth, cells });
document.body.append(out);
});</script>`;
  const copy = await Deno.makeTempFile({ suffix: ".html" });
  const html = await Deno.readTextFile(page);
  await Deno.writeTextFile(
    copy,
    html.includes("</body>") ? html.replace("</body>", `${measure}</body>`) : html + measure,
  );
  const output = await new Deno.Command(binary, {
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--hide-scrollbars",
      "--enable-logging=stderr",
      "--v=0",
      "--proxy-server=127.0.0.1:9",
      `--window-size=${width},1000`,
      "--dump-dom",
      `file://${copy}`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(copy);
  const dom = new TextDecoder().decode(output.stdout);
  const json = /<pre id="kiso-layout">(.*?)<\/pre>/s.exec(dom)?.[1];
  if (json === undefined) throw new Error(`check_reports: ${page} was not laid out`);
  const messages = new TextDecoder().decode(output.stderr).split("\n")
    .filter((line) => line.includes(":CONSOLE"));
  const unescaped = json.replaceAll("&quot;", '"').replaceAll("&lt;", "<").replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
  return { messages, layout: JSON.parse(unescaped) };
}

if (import.meta.main) {
  const args = [...Deno.args];
  const at = args.indexOf("--screenshots");
  const dir = at >= 0 ? args.splice(at, 2)[1] : undefined;
  if (dir) await Deno.mkdir(dir, { recursive: true });
  let failed = 0;
  for (const page of args) {
    const shot = dir ? `${dir}/${page.replaceAll("/", "_").replace(/\.html$/, "")}.png` : undefined;
    const messages = await consoleMessages(page, shot);
    console.log(`${messages.length === 0 ? "ok" : "FAILED"} ${page}${shot ? ` → ${shot}` : ""}`);
    for (const m of messages) console.log(`  ${m}`);
    if (messages.length > 0) failed++;
  }
  Deno.exit(failed > 0 ? 1 : 0);
}
