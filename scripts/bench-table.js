#!/usr/bin/env node
// Prints a results file of `npm run bench` as the Markdown table the README quotes, so the README
// says exactly what the checked-in results say: `node scripts/bench-table.js bench/results/x.json`.
import { readFileSync } from 'node:fs';

const [file] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node scripts/bench-table.js <results.json>\n');
  process.exit(1);
}
const rows = JSON.parse(readFileSync(file, 'utf8'));
const unit = (r) => (r.unit === 'MB' ? 'MB' : r.unit === 'count' ? 'count' : 'ms');
const spread = (r) => (r.samples > 1 ? ` (${r.min_ms}–${r.max_ms})` : '');
const n1 = (r) => (r.samples === 1 ? ' (n=1)' : '');
const lines = [
  '| measure | Glossa | baseline (same run) | ratio | target |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.name}${n1(r)} | ${r.value_ms} ${unit(r)}${spread(r)} | ${r.baseline_ms} ${unit(r)} (${r.baseline}) | ${r.ratio ?? '—'} | ${r.target} |`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
