import { describe, expect, it } from 'vitest';
import { ANNO_CONTEXT, exportWebAnnotations, parseWebAnnotations } from './web-annotation';
import { mustProblems } from '../test-support/web-annotation-musts';
import { suiteAvailable, W3C_SUITE_DIR, w3cSuite } from '../test-support/w3c-annotation-suite';
import type { DocumentView } from './types';
import { oneParagraphDoc } from '../test-support/one-paragraph-doc';

const text = 'Москва 🤝🏽 Kabul: الأمن والدبلوماسية';
const at = text.indexOf('Kabul');
const doc = oneParagraphDoc('d1', text, [
  { id: 'h1', exact: 'Kabul', tags: ['security', 'drugs'], note: 'a *note*', created: 'c', updated: 'u' },
]);
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
    const [a] = collection.first!.items;
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

  it('embeds one AnnotationPage with an id, partOf and startIndex; the collection names it first and last', () => {
    const collection = exportWebAnnotations([doc], codebook, { label: 'Export' });
    expect(collection.first).toMatchObject({
      id: 'urn:glossa:collection:d1:page:1',
      type: 'AnnotationPage',
      partOf: { id: 'urn:glossa:collection:d1', label: 'Export', total: 1 },
      startIndex: 0,
    });
    expect(collection.last).toBe(collection.first!.id);
  });

  it('has no page at all when nothing is exported: total 0, no first or last', () => {
    const empty = exportWebAnnotations([doc], codebook, { label: 'x', tags: ['diplomacy'] });
    expect(empty).toEqual({
      '@context': ANNO_CONTEXT,
      id: 'urn:glossa:collection:d1',
      type: 'AnnotationCollection',
      label: 'x',
      total: 0,
    });
  });

  // Real times, as stored highlights have them (the fixture above uses placeholders).
  const timed: DocumentView = {
    ...doc,
    highlights: doc.highlights.map((h) => ({
      ...h,
      created: '2026-01-01T10:00:00.000Z',
      updated: '2026-01-02T11:00:00.000Z',
    })),
  };

  it('meets every MUST of the data model: collection, page and each annotation', () => {
    const collection = exportWebAnnotations([timed], codebook, { label: 'Export' });
    expect(mustProblems('collection', collection)).toEqual([]);
    expect(mustProblems('page', collection.first)).toEqual([]);
    for (const item of collection.first!.items) {
      expect(mustProblems('annotation', { '@context': ANNO_CONTEXT, ...item })).toEqual([]);
    }
    // The checks can fail: a page without its id, a selector without exact, body and bodyValue.
    const { id: _id, ...noId } = collection.first!;
    expect(mustProblems('page', noId)).not.toEqual([]);
    const item = collection.first!.items[0];
    expect(
      mustProblems('annotation', {
        '@context': ANNO_CONTEXT,
        ...item,
        bodyValue: 'x',
        target: { ...item.target, selector: [{ type: 'TextQuoteSelector' }] },
      }).length,
    ).toBeGreaterThanOrEqual(2);
  });

  it.skipIf(!suiteAvailable())(
    `passes the W3C test suite's MUST assertions (${suiteAvailable() ? W3C_SUITE_DIR : 'skipped: set GLOSSA_W3C_WA_TESTS to a clone of w3c/web-annotation-tests'})`,
    () => {
      const run = w3cSuite();
      const collection = exportWebAnnotations([timed], codebook, { label: 'Export' });
      const { first } = collection;
      expect(run('collections/collectionMusts.test', collection)).toEqual([]);
      // An empty export too; and the suite does fail a collection that counts items but has no page.
      const empty = exportWebAnnotations([timed], codebook, { label: 'x', tags: ['diplomacy'] });
      expect(run('collections/collectionMusts.test', empty)).toEqual([]);
      expect(run('collections/collectionMusts.test', { ...empty, total: 1 })).not.toEqual([]);
      expect(run('collections/pages/pageMusts.test', { '@context': ANNO_CONTEXT, ...first })).toEqual([]);
      for (const item of first!.items) {
        expect(run('annotations/annotationMusts.test', { '@context': ANNO_CONTEXT, ...item })).toEqual([]);
      }
    },
  );

  it('never writes half a character at the edge of a prefix or suffix, even from context stored that way', () => {
    const t = `😀${'z'.repeat(31)}[q]${'z'.repeat(31)}😀`;
    const start = t.indexOf('[q]');
    const stale = {
      ...timed.highlights[0],
      // As describeRange cut it before it kept to whole characters: half an emoji at each edge.
      target: {
        position: { type: 'TextPositionSelector' as const, start, end: start + 3 },
        quote: {
          type: 'TextQuoteSelector' as const,
          exact: '[q]',
          prefix: t.slice(start - 32, start),
          suffix: t.slice(start + 3, start + 35),
        },
      },
    };
    expect(stale.target.quote.prefix.charCodeAt(0)).toBe(0xde00);
    const out = exportWebAnnotations([{ ...timed, text: t, highlights: [stale] }], codebook, { label: 'x' });
    const json = JSON.stringify(out);
    expect(json).not.toMatch(/\\ud[89ab][0-9a-f]{2}|\\ud[c-f][0-9a-f]{2}/i);
    expect(new TextDecoder('utf-8', { fatal: true }).decode(new TextEncoder().encode(json))).toBe(json);
    const [quote] = out.first!.items[0].target.selector;
    expect(quote).toMatchObject({ prefix: 'z'.repeat(31), suffix: 'z'.repeat(31) });
  });

  it('filters by tag', () => {
    expect(exportWebAnnotations([doc], codebook, { label: 'x', tags: ['diplomacy'] }).total).toBe(0);
  });
});

describe('parseWebAnnotations', () => {
  const exported = JSON.stringify(exportWebAnnotations([doc], codebook, { label: 'x' }));

  it('reads back what Glossa exports: id, document, tags, note, quote and code-point position', () => {
    const {
      annotations: [a],
      skipped,
    } = parseWebAnnotations(exported);
    expect(skipped).toEqual([]);
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
    const [a] = parseWebAnnotations(JSON.stringify(one)).annotations;
    expect(a.highlight).toMatchObject({ tagNames: ['border'], quote: { exact: 'Kabul' } });
    expect(a.highlight.id).toMatch(/^x[0-9a-f]{32}$/);
    expect(parseWebAnnotations(JSON.stringify([one, { ...one, id: 'other' }])).annotations).toHaveLength(2);
  });

  // Shapes written after the W3C Web Annotation Data Model's own examples (§3.2 bodies and
  // targets, §3.2.5 bodyValue, §4 SpecificResource, §4.2.9 refinement of selection) and the JSON-LD
  // Hypothesis and Recogito produce (one target with a list of Range, Position and Quote selectors;
  // TextualBody notes and tagging bodies). Written here, not copied.
  const quoteOn = (exact: string) => ({
    source: 'https://example.org/a',
    selector: { type: 'TextQuoteSelector', exact },
  });
  const read = (a: object) => parseWebAnnotations(JSON.stringify(a)).annotations[0];

  it('keeps a body that is an IRI as a link in the note, and bodyValue as the note', () => {
    expect(
      read({ id: 'a', type: 'Annotation', body: 'https://example.org/comment/1', target: quoteOn('Kabul') }).highlight
        .note,
    ).toBe('<https://example.org/comment/1>');
    expect(
      read({ id: 'b', type: 'Annotation', bodyValue: 'Comment text', target: quoteOn('Kabul') }).highlight,
    ).toMatchObject({
      note: 'Comment text',
      tagNames: [],
    });
  });

  it('reads TextualBody with or without purpose, SpecificResource bodies and Choice bodies', () => {
    const a = read({
      id: 'c',
      type: 'Annotation',
      body: [
        { type: 'TextualBody', value: 'no purpose: a comment' },
        { type: 'TextualBody', purpose: 'commenting', value: 'a comment' },
        { type: 'TextualBody', purpose: 'tagging', value: 'security' },
        { value: 'untyped tag', purpose: ['tagging', 'classifying'] },
        { type: 'SpecificResource', purpose: 'tagging', source: 'http://vocab.example/terms/border' },
        { type: 'SpecificResource', source: { id: 'https://example.org/doc' } },
        {
          type: 'Choice',
          items: [
            { type: 'TextualBody', value: 'English' },
            { type: 'TextualBody', value: 'Français' },
          ],
        },
      ],
      target: quoteOn('Kabul'),
    });
    expect(a.highlight.tagNames).toEqual(['security', 'untyped tag']);
    expect(a.highlight.note).toBe(
      [
        'no purpose: a comment',
        'a comment',
        'Tag: <http://vocab.example/terms/border>',
        '<https://example.org/doc>',
        'English',
        'Français',
      ].join('\n\n'),
    );
  });

  it('finds the passage through a target list, a single selector, or a selector refined by a quote', () => {
    const hypothesisLike = read({
      id: 'h',
      type: 'Annotation',
      target: [
        {
          source: 'https://example.org/a',
          selector: [
            { type: 'RangeSelector', startContainer: '/p[1]', startOffset: 0, endContainer: '/p[1]', endOffset: 5 },
            { type: 'TextPositionSelector', start: 10, end: 15 },
            { type: 'TextQuoteSelector', exact: 'Kabul', prefix: 'in ', suffix: '.' },
          ],
        },
      ],
    });
    expect(hypothesisLike).toMatchObject({ source: 'https://example.org/a', codePoints: { start: 10, end: 15 } });
    expect(hypothesisLike.highlight.quote).toEqual({ exact: 'Kabul', prefix: 'in ', suffix: '.' });
    const refined = read({
      id: 'r',
      type: 'Annotation',
      target: {
        type: 'SpecificResource',
        source: { id: 'https://example.org/a' },
        selector: {
          type: 'FragmentSelector',
          value: 'para5',
          refinedBy: {
            type: 'TextQuoteSelector',
            exact: 'Kabul',
            refinedBy: { type: 'TextPositionSelector', start: 0, end: 5 },
          },
        },
      },
    });
    expect(refined.source).toBe('https://example.org/a');
    expect(refined.highlight.quote?.exact).toBe('Kabul');
    // A position inside the fragment does not count from the text's start: not used.
    expect(refined.codePoints).toBeUndefined();
  });

  it('takes targets as IRIs or resources, a source from any of them, and no source at all (for --doc)', () => {
    const first = read({ id: 's', type: 'Annotation', target: ['https://example.org/page', quoteOn('Kabul')] });
    expect(first.source).toBe('https://example.org/a');
    const sourceless = read({
      id: 'n',
      type: 'Annotation',
      target: { selector: { type: 'TextQuoteSelector', exact: 'Kabul' } },
    });
    expect(sourceless.source).toBe('');
  });

  it('leaves out annotations with no text selector and lists them; the rest are read', () => {
    const file = {
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      type: 'AnnotationCollection',
      total: 3,
      first: {
        type: 'AnnotationPage',
        items: [
          { id: 'whole-page', type: 'Annotation', bodyValue: 'about the page', target: 'https://example.org/a' },
          {
            id: 'svg',
            type: 'Annotation',
            target: { source: 'https://example.org/img', selector: { type: 'SvgSelector', value: '<svg/>' } },
          },
          { id: 'ok', type: 'Annotation', target: quoteOn('Kabul') },
        ],
      },
    };
    const { annotations, skipped } = parseWebAnnotations(JSON.stringify(file));
    expect(annotations.map((a) => a.highlight.quote?.exact)).toEqual(['Kabul']);
    expect(skipped).toEqual([
      { id: 'whole-page', reason: 'no TextQuoteSelector or TextPositionSelector' },
      { id: 'svg', reason: 'no TextQuoteSelector or TextPositionSelector' },
    ]);
    // A collection with no annotations is an empty file, not a broken one.
    expect(() => parseWebAnnotations('{"type":"AnnotationCollection","total":0}')).toThrow(/holds no annotations/);
  });

  it.each([
    ['{not json', /not valid JSON/],
    ['[]', /holds no annotations/],
    ['{"type":"Annotation"}', /annotation #1 is not a W3C Web Annotation: target/],
    ['[{"type":"Note","target":"x"}]', /annotation #1 is not a W3C Web Annotation: type/],
    [
      '{"id":"urn:x:1","type":"Annotation","target":{"source":"s","selector":{"type":"TextPositionSelector","start":-1,"end":3}}}',
      /annotation urn:x:1 is not a W3C Web Annotation: target.selector.start must not be negative/,
    ],
    [
      '{"id":"urn:x:2","type":"Annotation","body":"x","bodyValue":"y","target":"s"}',
      /annotation urn:x:2 has both body and bodyValue/,
    ],
    [
      '[{"id":"a","type":"Annotation","target":{"source":"s","selector":{"type":"TextQuoteSelector","exact":"x"}}},{"id":"a","type":"Annotation","target":{"source":"s","selector":{"type":"TextQuoteSelector","exact":"y"}}}]',
      /annotation id a appears twice/,
    ],
  ])('refuses %s with a clear reason', (raw, reason) => {
    expect(() => parseWebAnnotations(raw)).toThrow(reason);
  });
});
