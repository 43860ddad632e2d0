import type { Coded } from './query';

// Co-occurrence and coverage of codes, per document. The definitions (the tests hold the code to
// a brute-force count, character by character, on random highlights):
//
// - both[i][j]: highlights that carry code i and code j. The diagonal: highlights with code i.
// - overlaps[i][j]: unordered pairs {h, g} of different highlights of one document that share at
//   least one character, where one carries i and the other j. A pair counts once per cell however
//   many codes the two carry. The diagonal: overlapping pairs that both carry i.
// - chars[i][j]: characters of the text covered both by some highlight with i and by some
//   highlight with j (it may be one highlight with both). The diagonal: characters coded i — the
//   code's coverage, each character once however many highlights repeat it.
//
// Cost per document: a sweep over the 2n range ends (n log n) with, per elementary stretch, the
// pairs of codes active there; plus the overlapping pairs, found by the same sweep.

export interface CodePairs {
  both: number[][];
  overlaps: number[][];
  chars: number[][];
}

export function emptyPairs(size: number): CodePairs {
  const square = () => Array.from({ length: size }, () => new Array<number>(size).fill(0));
  return { both: square(), overlaps: square(), chars: square() };
}

/** Adds one document's highlights to the matrices; `index` maps a code id to its row. */
export function addDocumentPairs(
  pairs: CodePairs,
  highlights: readonly Coded[],
  index: ReadonlyMap<string, number>,
): void {
  const rows = (h: Coded) => [...new Set(h.tags.map((t) => index.get(t)).filter((i): i is number => i !== undefined))];
  const coded = highlights.map((h) => ({ h, rows: rows(h) })).filter((x) => x.rows.length > 0);

  for (const { rows: r } of coded) for (const i of r) for (const j of r) pairs.both[i][j]++;

  // Sweep: events sorted by position, ends before starts at the same place (ranges are half-open).
  const events: { at: number; open: boolean; k: number }[] = [];
  coded.forEach(({ h }, k) => {
    events.push({ at: h.start, open: true, k }, { at: h.end, open: false, k });
  });
  events.sort((a, b) => a.at - b.at || Number(a.open) - Number(b.open));
  const active = new Set<number>();
  const activeRows = new Map<number, number>(); // row → how many active highlights carry it
  let last = 0;
  for (const e of events) {
    const length = e.at - last;
    if (length > 0 && activeRows.size > 0) {
      const present = [...activeRows.keys()];
      for (const i of present) for (const j of present) pairs.chars[i][j] += length;
    }
    last = e.at;
    const r = coded[e.k].rows;
    if (e.open) {
      // Every highlight still open shares characters with this one (it ends after this starts).
      for (const other of active) {
        const cells = new Set<number>();
        for (const i of r) {
          for (const j of coded[other].rows) {
            const [a, b] = i <= j ? [i, j] : [j, i];
            cells.add(a * index.size + b);
          }
        }
        for (const cell of cells) {
          const a = Math.floor(cell / index.size);
          const b = cell % index.size;
          pairs.overlaps[a][b]++;
          if (a !== b) pairs.overlaps[b][a]++;
        }
      }
      active.add(e.k);
      for (const i of r) activeRows.set(i, (activeRows.get(i) ?? 0) + 1);
    } else {
      active.delete(e.k);
      for (const i of r) {
        const left = activeRows.get(i)! - 1;
        if (left === 0) activeRows.delete(i);
        else activeRows.set(i, left);
      }
    }
  }
}

/** Characters covered by each code in one document (the chars diagonal alone), by row. */
export function coverageByRow(highlights: readonly Coded[], index: ReadonlyMap<string, number>): number[] {
  const out = new Array<number>(index.size).fill(0);
  const byRow = new Map<number, [number, number][]>();
  for (const h of highlights) {
    for (const t of new Set(h.tags)) {
      const i = index.get(t);
      if (i === undefined) continue;
      const list = byRow.get(i) ?? [];
      list.push([h.start, h.end]);
      byRow.set(i, list);
    }
  }
  for (const [i, ranges] of byRow) {
    ranges.sort((a, b) => a[0] - b[0]);
    let [s, e] = ranges[0];
    for (const [a, b] of ranges.slice(1)) {
      if (a > e) {
        out[i] += e - s;
        [s, e] = [a, b];
      } else if (b > e) e = b;
    }
    out[i] += e - s;
  }
  return out;
}
