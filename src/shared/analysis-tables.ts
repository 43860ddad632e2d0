import { stringify } from 'csv-stringify/browser/esm/sync';
import type { Analysis, Codebook } from './types';

// The Analysis view's tables as rows: one shape for the screen's tables, the CLI's JSON and
// every CSV, so what a researcher sees and what they export cannot differ.

export interface FrequencyRow {
  code: string;
  codeId: string;
  /** A document id, or an attribute value ('' for documents without one). */
  group: string;
  label: string;
  highlights: number;
  characters: number;
  /** Percent of the group's characters the code covers, to two decimals. */
  coverage: number;
}

export interface PairRow {
  codeA: string;
  codeB: string;
  /** Highlights carrying both codes. */
  both: number;
  /** Pairs of different highlights, one with each code, sharing characters. */
  overlaps: number;
  /** Characters covered by both codes. */
  characters: number;
}

const nameOf = (codebook: Codebook) => {
  const names = new Map(codebook.tags.map((t) => [t.id, t.name]));
  return (id: string) => names.get(id) ?? id;
};

export function frequencyRows(analysis: Analysis, codebook: Codebook): FrequencyRow[] {
  const name = nameOf(codebook);
  const { groups, highlights, chars } = analysis.frequencies;
  return analysis.tags.flatMap((id, r) =>
    groups.map((g, c) => ({
      code: name(id),
      codeId: id,
      group: g.key,
      label: g.label,
      highlights: highlights[r][c],
      characters: chars[r][c],
      coverage: g.chars > 0 ? Math.round((chars[r][c] / g.chars) * 10_000) / 100 : 0,
    })),
  );
}

/** Each unordered pair once, the diagonal (a code with itself) included. */
export function pairRows(analysis: Analysis, codebook: Codebook): PairRow[] {
  const name = nameOf(codebook);
  const { both, overlaps, chars } = analysis.cooccurrence;
  const rows: PairRow[] = [];
  analysis.tags.forEach((a, i) => {
    for (let j = i; j < analysis.tags.length; j++) {
      rows.push({
        codeA: name(a),
        codeB: name(analysis.tags[j]),
        both: both[i][j],
        overlaps: overlaps[i][j],
        characters: chars[i][j],
      });
    }
  });
  return rows;
}

/** RFC 4180 CSV of rows with a header of their keys. */
export function toCsv(rows: object[], columns: string[]): string {
  return stringify(
    rows.map((r) => columns.map((c) => (r as Record<string, unknown>)[c])),
    { header: true, columns, record_delimiter: '\r\n' },
  );
}

export const FREQUENCY_COLUMNS = ['code', 'group', 'label', 'highlights', 'characters', 'coverage'];
export const PAIR_COLUMNS = ['codeA', 'codeB', 'both', 'overlaps', 'characters'];
