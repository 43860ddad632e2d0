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
  unit?: 'ms' | 'MB' | 'count';
  target: string;
  /** How many measurements each arm took, and the spread of the measured arm. */
  samples?: number;
  min_ms?: number;
  max_ms?: number;
}

/** The p-th percentile (0–1) of some measurements. */
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/**
 * A row from two arms' raw measurements, taken interleaved in the same run: the statistic (median
 * unless told) of each, their ratio, the sample count and the measured arm's min–max.
 */
export function fromSamples(
  name: string,
  values: number[],
  baseline: string,
  baselineValues: number[],
  target: string,
  p = 0.5,
): BenchRow {
  const value = percentile(values, p);
  const base = percentile(baselineValues, p);
  return {
    ...compared(name, value, baseline, base, target),
    samples: Math.min(values.length, baselineValues.length),
    min_ms: Math.min(...values),
    max_ms: Math.max(...values),
  };
}

/** A row whose ratio is value / baseline, from one measurement of each. */
export function compared(
  name: string,
  value: number,
  baseline: string,
  baselineValue: number,
  target: string,
): BenchRow {
  // One measurement (or a figure derived from medians): its own min and max.
  return {
    name,
    value_ms: value,
    baseline,
    baseline_ms: baselineValue,
    ratio: value / baselineValue,
    target,
    samples: 1,
    min_ms: value,
    max_ms: value,
  };
}

/** Prints the table every benchmark prints, and writes its rows (rounded) to `<file>` at the repo root. */
export async function report(title: string, rows: BenchRow[], file: string): Promise<void> {
  const rounded = rows.map((r) => ({
    ...r,
    value_ms: +r.value_ms.toFixed(2),
    baseline_ms: +r.baseline_ms.toFixed(2),
    // A count against a baseline of none (long tasks) has no ratio: the value says it.
    ratio: Number.isFinite(r.ratio) ? +r.ratio.toFixed(2) : null,
    ...(r.min_ms !== undefined ? { min_ms: +r.min_ms.toFixed(2), max_ms: +(r.max_ms ?? 0).toFixed(2) } : {}),
  }));
  console.log(`\n${title}`);
  console.table(
    rounded.map((r) => ({
      name: r.name,
      value: `${r.value_ms} ${r.unit ?? 'ms'}${r.min_ms !== undefined ? ` (${r.min_ms}–${r.max_ms}, n=${r.samples})` : ''}`,
      baseline: `${r.baseline_ms} ${r.unit ?? 'ms'} (${r.baseline})`,
      ratio: r.ratio,
      target: r.target,
    })),
  );
  await writeFile(join(ROOT, file), `${JSON.stringify(rounded, null, 2)}\n`);
}
