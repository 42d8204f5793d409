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
