/**
 * The style sheet of report.html: readable tables (long cells wrap; a table still too wide
 * scrolls inside its box with the first column pinned), numbers right-aligned, charts scroll if
 * wide. CJK fonts follow DejaVu Sans in the font stack for Chinese, Japanese and Korean text.
 */
export const REPORT_CSS = `
:root { color-scheme: light; --line: #d9dde3; --muted: #5b6470; --accent: #4c78a8; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 "DejaVu Sans", "Droid Sans Fallback", "Noto Sans CJK SC", system-ui, sans-serif; color: #1d232b; background: #fff; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 26px; margin: 0 0 12px; }
nav.toc { font-size: 13px; color: var(--muted); margin: 0 0 8px; }
nav.toc a { color: var(--accent); text-decoration: none; }
h2 { font-size: 20px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 24px 0 8px; }
code { font: 13px/1.4 "DejaVu Sans Mono", ui-monospace, monospace; background: #f3f5f7; padding: 1px 4px; border-radius: 3px; }
pre { background: #f3f5f7; padding: 10px 12px; border-radius: 4px; overflow-x: auto; }
pre code { background: none; padding: 0; }
.table-wrap { overflow-x: auto; margin: 8px 0; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; white-space: nowrap; }
th { background: #f3f5f7; text-align: left; position: sticky; top: 0; }
th[data-sort="desc"]::after { content: " ▼"; font-size: 10px; }
th[data-sort="asc"]::after { content: " ▲"; font-size: 10px; }
td.right, th.right { text-align: right; font-variant-numeric: tabular-nums; }
td.center, th.center { text-align: center; }
td.wrap { white-space: normal; min-width: 10em; overflow-wrap: anywhere; }
th { white-space: normal; }
th:first-child, td:first-child { position: sticky; left: 0; z-index: 1; background: #fff; }
tbody tr:nth-child(even) td:first-child { background: #fafbfc; }
thead th:first-child { z-index: 2; background: #f3f5f7; }
figure.picture { margin: 16px 0; overflow-x: auto; }
section.notes { border-left: 3px solid var(--line); padding: 2px 0 2px 16px; margin: 16px 0; }
tbody tr:nth-child(even) { background: #fafbfc; }
.note { color: var(--muted); font-size: 13px; margin: 4px 0 12px; }
figure.chart { margin: 16px 0; overflow-x: auto; }
#report-status { color: var(--muted); font-size: 13px; margin-top: 40px; }
#report-status[data-state="error"] { color: #b00020; font-weight: bold; }
`;
