import { describe, expect, it } from 'vitest';
import { describeRange } from './anchoring';
import { exportWebAnnotations, parseWebAnnotations } from './web-annotation';
import type { DocumentView } from './types';

const text = 'Москва 🤝🏽 Kabul: الأمن والدبلوماسية';
const at = text.indexOf('Kabul');
const doc: DocumentView = {
  revision: 0,
  meta: { id: 'd1', title: 'T', titleSource: 'user', source: 's', added: 'x' },
  text,
  paragraphs: [{ n: 1, start: 0, end: text.length, kind: 'body' }],
  highlights: [
    {
      id: 'h1',
      documentId: 'd1',
      tags: ['security', 'drugs'],
      note: 'a *note*',
      created: 'c',
      updated: 'u',
      target: describeRange(text, at, at + 5),
    },
  ],
};
const codebook = {
  tags: [
    { id: 'security', name: 'security', color: '#f00' },
    { id: 'drugs', name: 'drugs', color: '#0f0' },
  ],
};

describe('exportWebAnnotations', () => {
  it('gives an AnnotationCollection with tagging and commenting bodies and both selectors', () => {
    const collection = exportWebAnnotations([doc], codebook, { label: 'Export' });
    expect(collection).toMatchObject({
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      type: 'AnnotationCollection',
      total: 1,
    });
    const [a] = collection.first.items;
    expect(a).toEqual({
      id: 'urn:glossa:highlight:h1',
      type: 'Annotation',
      motivation: 'tagging',
      created: 'c',
      modified: 'u',
      body: [
        { type: 'TextualBody', purpose: 'tagging', value: 'security' },
        { type: 'TextualBody', purpose: 'tagging', value: 'drugs' },
        { type: 'TextualBody', purpose: 'commenting', value: 'a *note*', format: 'text/markdown' },
      ],
      target: {
        source: 'urn:glossa:document:d1',
        selector: [
          { type: 'TextQuoteSelector', exact: 'Kabul', prefix: text.slice(0, at), suffix: text.slice(at + 5) },
          {
            type: 'TextPositionSelector',
            start: [...text.slice(0, at)].length,
            end: [...text.slice(0, at)].length + 5,
          },
        ],
      },
    });
    // The model counts code points: the emoji with its skin tone is 2 of them, though 4 UTF-16 units.
    expect(at).toBe('Москва '.length + 4 + 1);
    expect(a.target.selector[1]).toMatchObject({ start: at - 2, end: at + 3 });
  });

  it('filters by tag', () => {
    expect(exportWebAnnotations([doc], codebook, { label: 'x', tags: ['diplomacy'] }).total).toBe(0);
  });
});

describe('parseWebAnnotations', () => {
  const exported = JSON.stringify(exportWebAnnotations([doc], codebook, { label: 'x' }));

  it('reads back what Glossa exports: id, document, tags, note, quote and code-point position', () => {
    const [a] = parseWebAnnotations(exported);
    expect(a).toEqual({
      source: 'urn:glossa:document:d1',
      glossaDocumentId: 'd1',
      highlight: {
        id: 'h1',
        tagNames: ['security', 'drugs'],
        note: 'a *note*',
        created: 'c',
        updated: 'u',
        quote: { exact: 'Kabul', prefix: text.slice(0, at), suffix: text.slice(at + 5) },
      },
      codePoints: { start: at - 2, end: at + 3 },
    });
  });

  it('accepts the other shapes the model allows: one annotation, a list, single selector and body', () => {
    const one = {
      id: 'https://hypothes.is/a/xyz',
      type: 'Annotation',
      body: { type: 'TextualBody', purpose: 'tagging', value: 'border' },
      target: { source: 'https://example.org/article', selector: { type: 'TextQuoteSelector', exact: 'Kabul' } },
    };
    const [a] = parseWebAnnotations(JSON.stringify(one));
    expect(a.highlight).toMatchObject({ tagNames: ['border'], quote: { exact: 'Kabul' } });
    expect(a.highlight.id).toMatch(/^x[0-9a-f]{32}$/);
    expect(parseWebAnnotations(JSON.stringify([one, { ...one, id: 'other' }]))).toHaveLength(2);
  });

  it.each([
    ['{not json', /not valid JSON/],
    ['[]', /holds no annotations/],
    ['{"type":"Annotation"}', /annotation 1 is not a W3C Web Annotation: target/],
    ['[{"type":"Note","target":"x"}]', /annotation 1 is not a W3C Web Annotation: type/],
    ['{"type":"Annotation","target":{"source":"urn:x"}}', /neither a TextQuoteSelector nor a TextPositionSelector/],
    [
      '[{"id":"a","type":"Annotation","target":{"source":"s","selector":{"type":"TextQuoteSelector","exact":"x"}}},{"id":"a","type":"Annotation","target":{"source":"s","selector":{"type":"TextQuoteSelector","exact":"y"}}}]',
      /annotation id a appears twice/,
    ],
  ])('refuses %s with a clear reason', (raw, reason) => {
    expect(() => parseWebAnnotations(raw)).toThrow(reason);
  });
});
