import type { Ranges } from './agreement';
import { lowerBound } from './sorted';

// Krippendorff's αᵤ for unitizing a continuum (Krippendorff 1995, "On the reliability of unitizing
// contiguous data", Sociological Methodology 25:47–76; the expected disagreement as corrected in
// Content Analysis, 2nd ed., 2004, §12.4). For one code: each coder divides the text into units
// (what they coded with it) and gaps. Two coders' overlapping units disagree by the squared
// differences of their starts and ends; a unit that lies inside the other coder's gap disagrees by
// its squared length. Expected disagreement is that of every possible placement of the same units
// and gaps along the continuum. So, unlike character-level α, a unit off by two characters at each
// end costs 8, one that is missed costs its length squared, and long units weigh more.
//
// Documents are laid end to end as one continuum (a unit never crosses from one into the next).
// A coder's overlapping highlights with the same code are taken together, since αᵤ's units of one
// coder must not overlap. Cost: a sweep per pair of coders, and a sort of the gaps:
// O(m² s + s log s) for m coders and s sections.

export interface UnitizedAlpha {
  alpha: number | null;
  observed: number;
  expected: number;
}

interface Section {
  start: number;
  end: number;
  unit: boolean;
}

/** A coder's units (merged, sorted) and the gaps between them, covering [0, length). */
function sections(ranges: Ranges, length: number): Section[] {
  const sorted = [...ranges].filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: Section[] = [];
  let at = 0;
  for (const r of sorted) {
    const end = Math.min(r.end, length);
    const last = out[out.length - 1];
    // Overlapping ranges are one unit; ranges that only touch stay two (a segmentation).
    if (last?.unit && r.start < last.end) {
      last.end = Math.max(last.end, end);
      at = last.end;
      continue;
    }
    const start = Math.max(r.start, at);
    if (end <= start) continue;
    if (start > at) out.push({ start: at, end: start, unit: false });
    out.push({ start, end, unit: true });
    at = end;
  }
  if (at < length) out.push({ start: at, end: length, unit: false });
  return out;
}

/** δ² of two sections that intersect (one from each coder). */
function distance(g: Section, h: Section): number {
  if (g.unit && h.unit) return (g.start - h.start) ** 2 + (g.end - h.end) ** 2;
  if (g.unit && !h.unit && h.start <= g.start && g.end <= h.end) return (g.end - g.start) ** 2;
  if (!g.unit && h.unit && g.start <= h.start && h.end <= g.end) return (h.end - h.start) ** 2;
  return 0;
}

/** Σ δ² over every pair of intersecting sections of two coders. */
function pairDisagreement(a: Section[], b: Section[]): number {
  let sum = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    sum += distance(a[i], b[j]);
    if (a[i].end < b[j].end) i++;
    else if (b[j].end < a[i].end) j++;
    else {
      i++;
      j++;
    }
  }
  return sum;
}

/**
 * αᵤ for one code over documents laid end to end. `byCoder[k]` is coder k's ranges in each
 * document. Null when there is nothing to disagree about (no units at all, or one coder).
 */
export function unitizedAlpha(documents: readonly { length: number; byCoder: readonly Ranges[] }[]): UnitizedAlpha {
  const m = documents[0]?.byCoder.length ?? 0;
  const L = documents.reduce((n, d) => n + d.length, 0);
  if (m < 2 || L === 0) return { alpha: null, observed: 0, expected: 0 };
  // Each coder's sections over the whole continuum, document after document.
  const perCoder: Section[][] = Array.from({ length: m }, () => []);
  let offset = 0;
  for (const d of documents) {
    for (let k = 0; k < m; k++) {
      for (const s of sections(d.byCoder[k] ?? [], d.length)) {
        perCoder[k].push({ start: s.start + offset, end: s.end + offset, unit: s.unit });
      }
    }
    offset += d.length;
  }
  let pairs = 0;
  for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) pairs += pairDisagreement(perCoder[a], perCoder[b]);
  const observed = (2 * pairs) / (m * (m - 1) * L * L);

  const units = perCoder
    .flat()
    .filter((s) => s.unit)
    .map((s) => s.end - s.start);
  const gaps = perCoder
    .flat()
    .filter((s) => !s.unit)
    .map((s) => s.end - s.start)
    .sort((x, y) => x - y);
  // Σ over gaps γ ≥ l of (γ − l + 1), for any l, from suffix sums of the sorted gaps.
  const suffix = new Array<number>(gaps.length + 1).fill(0);
  for (let k = gaps.length - 1; k >= 0; k--) suffix[k] = suffix[k + 1] + gaps[k];
  const fitting = (l: number) => {
    const lo = lowerBound(gaps, l);
    const count = gaps.length - lo;
    return suffix[lo] - count * (l - 1);
  };
  const n = units.length;
  let numerator = 0;
  let within = 0;
  for (const l of units) {
    numerator += ((n - 1) * (2 * l ** 3 - 3 * l ** 2 + l)) / 3 + l ** 2 * fitting(l);
    within += l * (l - 1);
  }
  const expected = ((2 / L) * numerator) / (m * L * (m * L - 1) - within);
  if (n === 0 || expected === 0) return { alpha: null, observed, expected };
  return { alpha: 1 - observed / expected, observed, expected };
}
