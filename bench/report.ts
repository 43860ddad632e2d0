import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../e2e/support/glossa';

/** One benchmark result: a measured value against a baseline measured in the same run. */
export interface BenchRow {
  name: string;
  value_ms: number;
  baseline: string;
  baseline_ms: number;
  ratio: number;
  unit?: 'ms' | 'MB';
  target: string;
}

/** A row whose ratio is value / baseline. */
export function compared(
  name: string,
  value: number,
  baseline: string,
  baselineValue: number,
  target: string,
): BenchRow {
  return { name, value_ms: value, baseline, baseline_ms: baselineValue, ratio: value / baselineValue, target };
}

/** Prints the table every benchmark prints, and writes its rows (rounded) to `<file>` at the repo root. */
export async function report(title: string, rows: BenchRow[], file: string): Promise<void> {
  const rounded = rows.map((r) => ({
    ...r,
    value_ms: +r.value_ms.toFixed(2),
    baseline_ms: +r.baseline_ms.toFixed(2),
    ratio: +r.ratio.toFixed(2),
  }));
  console.log(`\n${title}`);
  console.table(
    rounded.map((r) => ({
      name: r.name,
      value: `${r.value_ms} ${r.unit ?? 'ms'}`,
      baseline: `${r.baseline_ms} ${r.unit ?? 'ms'} (${r.baseline})`,
      ratio: r.ratio,
      target: r.target,
    })),
  );
  await writeFile(join(ROOT, file), `${JSON.stringify(rounded, null, 2)}\n`);
}
