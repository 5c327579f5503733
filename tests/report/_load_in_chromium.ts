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

/** Options of {@linkcode loadInChromium}. */
export interface LoadOptions {
  /** Browser window size in CSS pixels. Default: Chromium's (800 × 600). */
  windowSize?: [number, number];
}

/**
 * Opens `htmlPath` in a fresh headless Chromium profile with networking features off.
 * @throws Error when Chromium is not installed or exits with an error
 */
export async function loadInChromium(
  htmlPath: string,
  options: LoadOptions = {},
): Promise<PageStatus> {
  const { stdout, stderr } = await runChromium(htmlPath, [
    ...(options.windowSize ? [`--window-size=${options.windowSize.join(",")}`] : []),
    "--virtual-time-budget=20000",
    "--dump-dom",
  ]);
  const dom = stdout;
  const status = dom.match(/<p id="report-status"([^>]*)>([^<]*)<\/p>/);
  const attribute = (name: string) => status?.[1].match(new RegExp(`${name}="([^"]*)"`))?.[1] ?? "";
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
}

/**
 * Takes a screenshot of `htmlPath` at `size` (CSS pixels).
 * @returns the PNG bytes
 */
export async function screenshotInChromium(
  htmlPath: string,
  size: [number, number],
): Promise<Uint8Array> {
  const dir = await Deno.makeTempDir({ prefix: "report-shot-" });
  try {
    const path = `${dir}/shot.png`;
    await runChromium(htmlPath, [`--window-size=${size.join(",")}`, `--screenshot=${path}`]);
    return await Deno.readFile(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function runChromium(
  htmlPath: string,
  extra: string[],
): Promise<{ stdout: string; stderr: string }> {
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
        "--hide-scrollbars",
        ...extra,
        `file://${htmlPath}`,
      ],
      stdout: "piped",
      stderr: "piped",
      // A hung browser must fail the test, not stall the suite.
      signal: AbortSignal.timeout(120_000),
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    const stderr = new TextDecoder().decode(output.stderr);
    if (!output.success) {
      throw new Error(
        `Chromium exited with ${output.code} loading ${htmlPath}: ${stderr.slice(-2000)}`,
      );
    }
    return { stdout, stderr };
  } finally {
    await Deno.remove(profile, { recursive: true });
  }
}
