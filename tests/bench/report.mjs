// The benchmark's statistics and its Markdown table (what BENCHMARKS.md keeps).

export function median(values) {
  return percentile(values, 50);
}

/** The p-th percentile, nearest rank. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** The noise of a set of ratios: half their interquartile range, relative to their median. */
export function spread(values) {
  return (percentile(values, 75) - percentile(values, 25)) / 2 / median(values);
}

const ms = (x) => `${Math.round(x)} ms`;
const kb = (x) => `${(x / 1024).toFixed(1)} KB`;

function row(caseName, measure, c, format) {
  return `| ${caseName} | ${measure} | ${format(c.widget)} | ${format(c.surveyjs)} | ${c.ratio.toFixed(2)} | ±${(c.noise * 100).toFixed(0)}% |`;
}

function filesTable(report) {
  const lines = ['| side | file | raw | gzip -9 | transferred (Brotli, headers included) |', '|---|---|---:|---:|---:|'];
  const fast = report.cases[0];
  for (const [side, files] of Object.entries(fast.files)) {
    let raw = 0, gzip = 0, sent = 0;
    for (const [name, f] of Object.entries(files)) {
      lines.push(`| ${side} | ${name} | ${f.raw ?? '—'} | ${f.gzip ?? '—'} | ${f.transferred} |`);
      raw += f.raw ?? 0; gzip += f.gzip ?? 0; sent += f.transferred;
    }
    lines.push(`| ${side} | **total** | **${raw}** | **${gzip}** | **${sent}** |`);
  }
  return lines.join('\n');
}

/** The tables and the run's conditions, as Markdown. */
export function renderReport(report) {
  const lines = [
    `Measured ${report.date} on ${report.machine}; ${report.chromium}; ${report.runs} runs per side and case, ${report.keystrokes} keystrokes per typing run.`,
    'Command: `pkg-scripts/bench-widget.sh`',
    '',
    '| case | measure | widget | SurveyJS 2.5.38 | ratio | noise |',
    '|---|---|---:|---:|---:|---:|',
  ];
  for (const c of report.cases) {
    lines.push(row(c.name, 'first question', c.firstQuestion, ms));
    lines.push(row(c.name, 'interactive', c.interactive, ms));
    if (c.typing) {
      lines.push(row(c.name, 'keystroke to next frame, median', c.typing.median, ms));
      lines.push(row(c.name, 'keystroke to next frame, p90', c.typing.p90, ms));
    }
    lines.push(row(c.name, 'memory after rendering', c.heap, kb));
    lines.push(row(c.name, 'bytes transferred', c.transferred, kb));
  }
  lines.push('', filesTable(report));
  return lines.join('\n');
}
