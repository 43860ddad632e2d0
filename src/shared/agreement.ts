// Inter-coder agreement at the level of characters: for one code, each character of each document
// is "coded" or "not coded" by each coder (covered by one of that coder's highlights with the
// code, or not). Every measure below is computed from those per-character values, so they agree
// with each other and with what a researcher can count by hand.
//
// - Percent agreement: characters all coders treat alike, over all characters.
// - Cohen's κ (two coders): (pₒ − pₑ) / (1 − pₑ), pₑ from each coder's own rate of coding
//   (Cohen 1960). NVivo computes it the same way, per code and source, at character level.
// - Krippendorff's α, nominal, with characters as the units and coded / not coded as the values,
//   from the coincidence matrix (Krippendorff, "Computing Krippendorff's Alpha-Reliability", 2011):
//   α = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k. Any number of coders. This is α with
//   characters as units. The segment-based unitizing αᵤ of Krippendorff (1995, 2004), which
//   weighs disagreements by the lengths of the segments around them, is in unitized-alpha.ts.
// - Jaccard: characters coded by all of them over characters coded by any.
//
// Cost: O(highlights · log highlights) per document (a sweep over interval ends), whatever the
// length of the texts: characters are counted in runs, never one by one.

/** A coder's coding of one document for one code: character ranges [start, end), may overlap. */
export type Ranges = readonly { start: number; end: number }[];

/**
 * How many characters are coded by exactly k of the coders, for k = 0 … coders (index k), summed
 * over documents. Everything else is computed from this.
 */
export function codedBy(documents: readonly { length: number; byCoder: readonly Ranges[] }[]): number[] {
  const coders = documents[0]?.byCoder.length ?? 0;
  const counts = new Array<number>(coders + 1).fill(0);
  for (const doc of documents) {
    // Each coder's ranges merged first, so a coder's overlapping highlights count once.
    const events: [number, number][] = [];
    for (const ranges of doc.byCoder) {
      for (const r of merged(ranges, doc.length)) events.push([r.start, 1], [r.end, -1]);
    }
    events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let at = 0;
    let depth = 0;
    for (const [pos, delta] of events) {
      counts[depth] += pos - at;
      at = pos;
      depth += delta;
    }
    counts[depth] += doc.length - at;
  }
  return counts;
}

function merged(ranges: Ranges, length: number): { start: number; end: number }[] {
  const sorted = ranges
    .map((r) => ({ start: Math.max(0, r.start), end: Math.min(length, r.end) }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

export interface Agreement {
  /** Characters in all, and by how many coders each is coded (index = number of coders). */
  characters: number;
  codedBy: number[];
  percent: number | null;
  /** Two coders only. Null when undefined (no characters). */
  kappa: number | null;
  /** Null when undefined: fewer than two coders, or nothing varies (every value the same). */
  alpha: number | null;
  /** Null when no one coded anything. */
  jaccard: number | null;
  /** Krippendorff's αᵤ for unitizing (see unitized-alpha.ts); null with no units to compare. */
  alphaU?: number | null;
  /** Two coders: both, first only, second only, neither. */
  table?: { both: number; firstOnly: number; secondOnly: number; neither: number };
}

/** Cohen's κ from a 2×2 table of characters. */
export function cohensKappa(t: {
  both: number;
  firstOnly: number;
  secondOnly: number;
  neither: number;
}): number | null {
  const n = t.both + t.firstOnly + t.secondOnly + t.neither;
  if (n === 0) return null;
  const po = (t.both + t.neither) / n;
  const a = (t.both + t.firstOnly) / n;
  const b = (t.both + t.secondOnly) / n;
  const pe = a * b + (1 - a) * (1 - b);
  // Both coded all or nothing: they agree on every character, and there is no chance term to beat.
  if (pe === 1) return 1;
  return (po - pe) / (1 - pe);
}

/**
 * Krippendorff's α (nominal) from a coincidence matrix given as unit types: `values` are the
 * values the coders gave one unit (missing ones left out), `times` how many units look like that.
 */
export function alphaNominal(units: readonly { values: readonly (string | number)[]; times: number }[]): number | null {
  const o = new Map<string, number>();
  const key = (c: string | number, k: string | number) => `${c}\u0000${k}`;
  for (const { values, times } of units) {
    const m = values.length;
    if (m < 2 || times === 0) continue;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++)
        if (i !== j) o.set(key(values[i], values[j]), (o.get(key(values[i], values[j])) ?? 0) + times / (m - 1));
  }
  const nc = new Map<string, number>();
  let n = 0;
  let disagreeing = 0;
  for (const [k, v] of o) {
    const [c, other] = k.split('\u0000');
    nc.set(c, (nc.get(c) ?? 0) + v);
    n += v;
    if (c !== other) disagreeing += v;
  }
  let expected = 0;
  for (const [c, a] of nc) for (const [k, b] of nc) if (c !== k) expected += a * b;
  if (n <= 1 || expected === 0) return null;
  return 1 - ((n - 1) * disagreeing) / expected;
}

/** Krippendorff's α from a reliability data matrix: rows are coders, columns units, null missing. */
export function alphaFromMatrix(rows: readonly (readonly (string | number | null)[])[]): number | null {
  const width = Math.max(0, ...rows.map((r) => r.length));
  const units = Array.from({ length: width }, (_, u) => ({
    values: rows.map((r) => r[u]).filter((v): v is string | number => v !== null && v !== undefined),
    times: 1,
  }));
  return alphaNominal(units);
}

/** Every measure for one code, from the per-character counts. */
export function agreementFrom(counts: readonly number[]): Agreement {
  const coders = counts.length - 1;
  const characters = counts.reduce((a, b) => a + b, 0);
  const all = counts[coders] ?? 0;
  const any = characters - (counts[0] ?? 0);
  const percent = characters > 0 && coders > 0 ? ((counts[0] ?? 0) + all) / characters : null;
  const alpha =
    coders >= 2
      ? alphaNominal(
          counts.map((times, k) => ({
            values: [...Array<number>(k).fill(1), ...Array<number>(coders - k).fill(0)],
            times,
          })),
        )
      : null;
  // κ needs the two coders apart ("exactly one" does not say which): see twoCoderAgreement.
  return { characters, codedBy: [...counts], percent, kappa: null, alpha, jaccard: any > 0 ? all / any : null };
}

/** Two coders' agreement on one code, with the 2×2 table κ needs. */
export function twoCoderAgreement(documents: readonly { length: number; first: Ranges; second: Ranges }[]): Agreement {
  const both = codedBy(documents.map((d) => ({ length: d.length, byCoder: [d.first, d.second] })));
  const coded = (pick: (d: (typeof documents)[number]) => Ranges) =>
    documents.reduce((n, d) => n + merged(pick(d), d.length).reduce((m, r) => m + r.end - r.start, 0), 0);
  const first = coded((d) => d.first);
  const second = coded((d) => d.second);
  const table = { both: both[2], firstOnly: first - both[2], secondOnly: second - both[2], neither: both[0] };
  return { ...agreementFrom(both), kappa: cohensKappa(table), table };
}
