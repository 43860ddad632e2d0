import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { SEED_FILE } from '../test-support/temp-library';
import { describeRange } from './anchoring';
import { CSV_COLUMNS, exportCsv } from './csv-export';
import { exportProject } from './refi-qda';
import { exportWebAnnotations } from './web-annotation';
import { oneParagraphDoc } from '../test-support/one-paragraph-doc';
import { parsePlainText } from './plain-text';
import type { Codebook, DocumentView } from './types';

const codebook: Codebook = {
  tags: [
    { id: 'security', name: 'security', color: '#e0524a' },
    { id: 'drugs', name: 'drugs', color: '#3a9d5d' },
  ],
};

function doc(): DocumentView {
  const { text, paragraphs } = parsePlainText(readFileSync(SEED_FILE, 'utf8'));
  const at = (exact: string) => text.indexOf(exact);
  const h = (id: string, exact: string, tags: string[], note = '', orphan = false) => ({
    id,
    documentId: 'seed',
    tags,
    note,
    created: '2026-01-01T00:00:00.000Z',
    updated: '2026-01-02T00:00:00.000Z',
    ...(orphan ? { orphan } : {}),
    target: describeRange(text, at(exact), at(exact) + exact.length),
  });
  return {
    revision: 0,
    meta: {
      id: 'seed',
      title: 'Title, with "quotes"',
      titleSource: 'user',
      date: '2021-10-26',
      source: 's',
      added: 'x',
    },
    text,
    paragraphs,
    highlights: [
      { ...h('b', 'combat drug traffickers', ['drugs', 'security'], 'line one\nline "two", with comma'), coder: 'Ana' },
      h('a', '"no one will harm a hair on the heads of Russian diplomats."', ['security']),
      h('c', 'Kabul', ['security'], '', true),
    ],
  };
}

describe('exportCsv', () => {
  it('writes one RFC 4180 row per highlight, in document order, that a CSV parser reads back exactly', () => {
    const csv = exportCsv([doc()], codebook);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parse(csv) as string[][];
    expect(rows[0]).toEqual(CSV_COLUMNS);
    expect(rows.slice(1).map((r) => r[6])).toEqual([
      'Kabul',
      '"no one will harm a hair on the heads of Russian diplomats."',
      'combat drug traffickers',
    ]);
    const drugs = rows[3];
    expect(drugs).toEqual([
      'seed',
      'Title, with "quotes"',
      '2021-10-26',
      '4',
      expect.stringMatching(/^\d+$/),
      expect.stringMatching(/^\d+$/),
      'combat drug traffickers',
      'drugs; security',
      'line one\nline "two", with comma',
      '2026-01-01T00:00:00.000Z',
      '2026-01-02T00:00:00.000Z',
      'Ana',
    ]);
    expect(rows[1][3]).toBe('orphaned');
    // No coder named: an empty cell.
    expect(rows[1][11]).toBe('');
  });

  it('counts start and end in code points, the same numbers the JSON-LD and REFI-QDA exports give', () => {
    const text = 'Talks 🤝🏽 in Москва: 𝔘nity and "quotes", here.';
    const exact = '𝔘nity and "quotes"';
    const start = text.indexOf(exact);
    const d = oneParagraphDoc('e', text, [{ id: 'h', exact, tags: ['security'] }]);
    const [, row] = parse(exportCsv([d], codebook)) as string[][];
    const points = [...text.slice(0, start)].length;
    expect(row.slice(3, 7)).toEqual(['1', String(points), String(points + [...exact].length), exact]);
    // UTF-16 would say 2 more before it (the hand and its skin tone are astral), and 1 more inside.
    expect(start - points).toBe(2);
    const [annotation] = exportWebAnnotations([d], codebook, { label: 'x' }).first!.items;
    expect(annotation.target.selector[1]).toMatchObject({ start: Number(row[4]), end: Number(row[5]) });
    const project = exportProject([d], codebook, { name: 'x', now: new Date('2026-01-01T00:00:00.000Z') });
    expect(project.project).toContain(`startPosition="${row[4]}" endPosition="${row[5]}"`);
  });

  it('adds a byte-order mark for Excel when asked, and filters by tag', () => {
    const csv = exportCsv([doc()], codebook, { bom: true, tags: ['drugs'] });
    expect(csv.startsWith('\uFEFFdocument,')).toBe(true);
    expect(parse(csv, { bom: true })).toHaveLength(2);
  });
});

describe('formula-safe CSV', () => {
  it('keeps spreadsheets from running quoted text as formulas, only when asked', () => {
    const text = '=HYPERLINK("http://x") and +1 and -2 and @SUM(A1)';
    const d = {
      revision: 0,
      meta: { id: 'f', title: '=cmd|calc', titleSource: 'user' as const, source: 's', added: 'x' },
      text,
      paragraphs: [{ n: 1, start: 0, end: text.length, kind: 'body' as const }],
      highlights: [
        {
          id: 'h',
          documentId: 'f',
          tags: ['security'],
          note: '-note',
          created: 'c',
          updated: 'u',
          target: describeRange(text, 0, 22),
        },
      ],
    };
    const cb = { tags: [{ id: 'security', name: 'security', color: '#000' }] };
    const plain = parse(exportCsv([d], cb), { columns: true });
    expect(plain[0]).toMatchObject({ title: '=cmd|calc', quote: '=HYPERLINK("http://x")', note: '-note' });
    const safe = parse(exportCsv([d], cb, { formulaSafe: true }), { columns: true });
    expect(safe[0]).toMatchObject({
      title: "'=cmd|calc",
      quote: '\'=HYPERLINK("http://x")',
      note: "'-note",
      start: '0',
    });
  });
});
