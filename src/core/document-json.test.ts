import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { SEED_FILE } from '../test-support/temp-library';
import { describeRange } from '../shared/anchoring';
import { documentFromText } from './import/document';
import { documentJson } from './document-json';

describe('documentJson', () => {
  const doc = documentFromText(readFileSync(SEED_FILE, 'utf8'), 'seed.txt', new Date('2026-01-01T00:00:00Z'));
  const highlight = (start: number, id: string) => ({
    id,
    documentId: doc.meta.id,
    tags: ['security'],
    note: 'a "quoted" note\nwith a line',
    created: 'c',
    updated: 'u',
    target: describeRange(doc.text, start, start + 20),
  });

  it('writes exactly what JSON.stringify writes, as the document changes', () => {
    let current = { ...doc, highlights: [highlight(0, 'a')] };
    expect(JSON.parse(documentJson(current).toString('utf8'))).toEqual(current);
    current = { ...current, highlights: [...current.highlights, highlight(40, 'b')] };
    expect(JSON.parse(documentJson(current).toString('utf8'))).toEqual(current);
    current = { ...current, text: `${current.text} More.`, meta: { ...current.meta, title: 'New “title”' } };
    expect(JSON.parse(documentJson(current).toString('utf8'))).toEqual(current);
    current = { ...current, highlights: current.highlights.filter((h) => h.id !== 'a') };
    expect(JSON.parse(documentJson(current).toString('utf8'))).toEqual(current);
  });

  it('refuses in-place changes to what it has written, so the file can never go stale silently', () => {
    const h = highlight(0, 'c');
    documentJson({ ...doc, highlights: [h] });
    expect(() => {
      h.note = 'changed in place';
    }).toThrow(TypeError);
    expect(() => {
      h.target.position.start = 5;
    }).toThrow(TypeError);
  });
});
