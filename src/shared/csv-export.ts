import { stringify } from 'csv-stringify/browser/esm/sync';
import { offsetConverter } from './code-points';
import { paragraphRef } from './plain-text';
import type { Codebook, DocumentView, Highlight } from './types';

export interface CsvOptions {
  tags?: string[];
  /** A UTF-8 byte-order mark, which Excel needs to read non-ASCII text correctly. */
  bom?: boolean;
  /**
   * Prefixes an apostrophe to text a spreadsheet would run as a formula (=, +, -, @ at the start):
   * a quoted passage like "=HYPERLINK(…)" must open as text. Off by default because it changes
   * the text for every other reader of the file.
   */
  formulaSafe?: boolean;
}

const FORMULA_START = /^[=+\-@\t\r]/;

export const CSV_COLUMNS = [
  'document',
  'title',
  'date',
  'paragraph',
  'start',
  'end',
  'quote',
  'tags',
  'note',
  'created',
  'updated',
  'coder',
];

const inOrder = (a: Highlight, b: Highlight) =>
  a.target.position.start - b.target.position.start || b.target.position.end - a.target.position.end;

/**
 * One row per highlight (RFC 4180: CRLF rows, fields quoted where needed), in document order.
 * Tags are the codebook's names joined by "; "; an orphan's paragraph is "orphaned"; `coder` is
 * who made the highlight, when the library or an imported project says. `start` and
 * `end` count Unicode code points, as the JSON-LD TextPositionSelector and REFI-QDA do, so the
 * three exports of a highlight give the same numbers (Glossa itself counts UTF-16 units).
 */
export function exportCsv(docs: DocumentView[], codebook: Codebook, options: CsvOptions = {}): string {
  const names = new Map(codebook.tags.map((t) => [t.id, t.name]));
  const only = options.tags && options.tags.length > 0 ? new Set(options.tags) : null;
  const rows: string[][] = [];
  for (const doc of docs) {
    const offsets = offsetConverter(doc.text);
    for (const h of [...doc.highlights].sort(inOrder)) {
      if (only && !h.tags.some((t) => only.has(t))) continue;
      const { start, end } = h.target.position;
      rows.push([
        doc.meta.id,
        doc.meta.title,
        doc.meta.date ?? '',
        h.orphan ? 'orphaned' : paragraphRef(doc.paragraphs, start, end).replace('¶ ', ''),
        String(offsets.toCodePoints(start)),
        String(offsets.toCodePoints(end)),
        h.target.quote.exact,
        h.tags.map((t) => names.get(t) ?? t).join('; '),
        h.note,
        h.created,
        h.updated,
        h.coder ?? '',
      ]);
    }
  }
  const safe = options.formulaSafe
    ? rows.map((row) => row.map((cell) => (FORMULA_START.test(cell) ? `'${cell}` : cell)))
    : rows;
  const body = stringify([CSV_COLUMNS, ...safe], { record_delimiter: '\r\n' });
  return options.bom ? `\uFEFF${body}` : body;
}
