import { describe, expect, it } from 'vitest';
import { describeRange } from './anchoring';
import { exportWebAnnotations } from './web-annotation';
import type { DocumentView } from './types';

const text = 'Москва 🤝🏽 Kabul: الأمن والدبلوماسية';
const at = text.indexOf('Kabul');
const doc: DocumentView = {
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
          { type: 'TextPositionSelector', start: at, end: at + 5 },
        ],
      },
    });
    // Positions are UTF-16 code units, as JavaScript counts them: the emoji with its skin tone is 4.
    expect(at).toBe('Москва '.length + 4 + 1);
  });

  it('filters by tag', () => {
    expect(exportWebAnnotations([doc], codebook, { label: 'x', tags: ['diplomacy'] }).total).toBe(0);
  });
});
