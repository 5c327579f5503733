/**
 * Loads an HTML file in headless Chromium and reads back the report's status line and the
 * browser's console log. Uses `--dump-dom` with a virtual time budget: no driver library, and
 * the page's own status element says whether every chart rendered.
 * @module
 */

/** Where Debian's chromium package puts the browser (scripts/setup.sh installs it). */
export const CHROMIUM = "/usr/bin/chromium";

/** What the page reported after loading. */
export interface PageStatus {
  /** `data-state` of #report-status: "ok", "error", or "pending" if the page script never ran. */
  state: string;
  rendered: number;
  total: number;
  /** The status line's text (lists every captured error). */
  text: string;
  /** How many chart containers hold an `<svg>` in the final DOM. */
  chartsWithSvg: number;
  /** Every console message Chromium logged for the page (any level). */
  console: string[];
  /** The final DOM. */
  dom: string;
}

/**
 * Opens `htmlPath` in a fresh headless Chromium profile with networking features off.
 * @throws Error when Chromium is not installed or exits with an error
 */
export async function loadInChromium(htmlPath: string): Promise<PageStatus> {
  try {
    await Deno.stat(CHROMIUM);
  } catch {
    throw new Error(
      `Cannot load ${htmlPath} in Chromium as ${CHROMIUM} does not exist: run scripts/setup.sh ` +
        "(apt-get install chromium)",
    );
  }
  const profile = await Deno.makeTempDir({ prefix: "report-chromium-" });
  try {
    const output = await new Deno.Command(CHROMIUM, {
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        `--user-data-dir=${profile}`,
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=20000",
        "--dump-dom",
        `file://${htmlPath}`,
      ],
      stdout: "piped",
      stderr: "piped",
      // A hung browser must fail the test, not stall the suite.
      signal: AbortSignal.timeout(120_000),
    }).output();
    const dom = new TextDecoder().decode(output.stdout);
    const stderr = new TextDecoder().decode(output.stderr);
    if (!output.success) {
      throw new Error(
        `Chromium exited with ${output.code} loading ${htmlPath}: ${stderr.slice(-2000)}`,
      );
    }
    const status = dom.match(/<p id="report-status"([^>]*)>([^<]*)<\/p>/);
    const attribute = (name: string) =>
      status?.[1].match(new RegExp(`${name}="([^"]*)"`))?.[1] ?? "";
    return {
      state: status ? attribute("data-state") : "missing",
      rendered: Number(attribute("data-rendered")),
      total: Number(attribute("data-total")),
      text: status?.[2] ?? "",
      chartsWithSvg:
        (dom.match(/<div id="chart-[^"]*"[^>]*>(?:(?!<\/figure>)[\s\S])*?<svg/g) ?? []).length,
      console: stderr.split("\n").filter((line) => line.includes(":CONSOLE")),
      dom,
    };
  } finally {
    await Deno.remove(profile, { recursive: true });
  }
}
