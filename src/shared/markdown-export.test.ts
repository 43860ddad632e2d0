import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Parser, type Node } from 'commonmark';
import { SEED_FILE } from '../test-support/temp-library';
import { describeRange } from './anchoring';
import { escapeMarkdownLine, toBlockquote } from './markdown-escape';
import { exportFileName, exportMarkdown, MARKDOWN_LAYOUTS } from './markdown-export';
import { parseOpenRequest } from './deep-link';
import { parsePlainText } from './plain-text';
import type { Codebook, DocumentView, Highlight } from './types';

const codebook: Codebook = {
  tags: [
    { id: 'security', name: 'security', color: '#e0524a' },
    { id: 'diplomacy', name: 'diplomacy', color: '#3f7fd0' },
    { id: 'drugs', name: 'drugs', color: '#3a9d5d' },
  ],
};

const PLAIN = new Set(['document', 'block_quote', 'paragraph', 'text', 'linebreak']);

/** The text a CommonMark renderer shows for each blockquote; fails on any markup it did not expect. */
function renderedQuotes(markdown: string): string[] {
  const quotes: string[] = [];
  let child: Node | null = new Parser().parse(markdown).firstChild;
  for (; child; child = child.next) {
    if (child.type !== 'block_quote') continue;
    const paragraphs: string[] = [];
    for (let p = child.firstChild; p; p = p.next) {
      let text = '';
      const walker = p.walker();
      for (let event = walker.next(); event; event = walker.next()) {
        if (!event.entering) continue;
        const node = event.node;
        if (!PLAIN.has(node.type)) throw new Error(`quote rendered as ${node.type}: ${JSON.stringify(markdown)}`);
        if (node.type === 'text') text += node.literal ?? '';
        if (node.type === 'linebreak') text += '\n';
      }
      paragraphs.push(text);
    }
    quotes.push(paragraphs.join('\n\n'));
  }
  return quotes;
}

function seedDoc(): DocumentView {
  const parsed = parsePlainText(readFileSync(SEED_FILE, 'utf8'));
  return {
    revision: 0,
    meta: {
      id: 'seed',
      title: 'The Taliban, Russia and Afghanistan',
      titleSource: 'derived',
      date: '2021-10-26',
      dateline: 'MOSCOW',
      source: '000_6a4053b3925a4b14.txt',
      added: '2026-01-01T00:00:00.000Z',
    },
    text: parsed.text,
    paragraphs: parsed.paragraphs,
    highlights: [],
  };
}

function highlight(doc: DocumentView, exact: string, tags: string[], note = '', id = exact.slice(0, 8)): Highlight {
  const start = doc.text.indexOf(exact);
  if (start < 0) throw new Error(`not in the text: ${exact}`);
  return {
    id: id.replace(/\W/g, 'x'),
    documentId: doc.meta.id,
    tags,
    note,
    created: '2026-01-01T00:00:00.000Z',
    updated: '2026-01-01T00:00:00.000Z',
    target: describeRange(doc.text, start, start + exact.length),
  };
}

describe('escaping for CommonMark', () => {
  it.each([
    '[mobilized]',
    '"very adequate people"',
    '*not emphasis* and _not either_',
    '# not a heading',
    '> not a quote',
    '- not a list',
    '+ nor this',
    '1986. Not a list',
    '3) nor this',
    '<b>not html</b> <http://not.a.link>',
    'a `code` span',
    '&amp; &#169; stay as typed',
    'back\\slash',
    '---',
    '===',
    '~~~ not a fence',
    '![not an image](x)',
    'MOSCOW -- On the morning',
  ])('renders %j as exactly that text', (text) => {
    expect(renderedQuotes(toBlockquote(text))).toEqual([text]);
  });

  it('keeps paragraphs of a quote that spans paragraphs', () => {
    expect(renderedQuotes(toBlockquote('First *one*.\n\n# Second.'))).toEqual(['First *one*.\n\n# Second.']);
  });

  it('renders any text of special characters exactly (property)', () => {
    const unit = fc.constantFrom(...'*_[]<>#`\\!&;-+=.)(|~:/ 1aZé😀'.split(''), '😀', '&amp;', '&#35;', '1.', '- ');
    const line = fc
      .array(unit, { minLength: 1, maxLength: 30 })
      .map((units) => units.join('').trim())
      .filter((s) => s.length > 0);
    const text = fc.array(line, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n\n'));
    fc.assert(
      fc.property(text, (t) => {
        expect(renderedQuotes(toBlockquote(t))).toEqual([t]);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves ordinary prose readable', () => {
    expect(escapeMarkdownLine('On the morning of Aug. 16, a contingent')).toBe(
      'On the morning of Aug. 16, a contingent',
    );
  });
});

describe('exportMarkdown', () => {
  const doc = seedDoc();
  doc.highlights = [
    highlight(doc, "That's why Russia has [mobilized] all the necessary resources", ['security'], 'Key *claim*.'),
    highlight(doc, 'a Taliban commander promised him', ['diplomacy', 'security']),
    highlight(doc, 'combat drug traffickers', ['drugs']),
  ];
  const md = exportMarkdown([doc], codebook, { exported: '2026-11-25T10:00:00.000Z' });

  it('starts with YAML front matter and the title', () => {
    const lines = md.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      '---',
      'title: "The Taliban, Russia and Afghanistan"',
      'date: "2021-10-26"',
      'source: "000_6a4053b3925a4b14.txt"',
      'exported: "2026-11-25T10:00:00.000Z"',
      'highlights: 3',
      '---',
    ]);
    expect(lines[8]).toBe('# The Taliban, Russia and Afghanistan');
  });

  it('has one section per tag in codebook order, highlights in document order', () => {
    const headings = md.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual(['## security', '## diplomacy', '## drugs']);
    const security = md.slice(md.indexOf('## security'), md.indexOf('## diplomacy'));
    expect(security.indexOf('a Taliban commander')).toBeLessThan(security.indexOf('mobilized'));
    expect(security.indexOf('mobilized')).toBeGreaterThan(0);
  });

  it('quotes each highlight exactly, in every section it is tagged with', () => {
    const quotes = renderedQuotes(md.slice(md.indexOf('\n---\n') + 5));
    expect(quotes).toEqual([
      'a Taliban commander promised him',
      "That's why Russia has [mobilized] all the necessary resources",
      'a Taliban commander promised him',
      'combat drug traffickers',
    ]);
  });

  it('follows each quote with its ¶ reference and note', () => {
    expect(md).toContain(
      "> That's why Russia has \\[mobilized\\] all the necessary resources\n\n— ¶ 9\n\n**Note:** Key *claim*.",
    );
    expect(md).toContain('> a Taliban commander promised him\n\n— ¶ 2');
  });

  it('gives the same bytes for the same library, except the export time', () => {
    const again = exportMarkdown([structuredClone(doc)], codebook, { exported: '2030-01-01T00:00:00.000Z' });
    expect(again.replace('2030-01-01T00:00:00.000Z', '2026-11-25T10:00:00.000Z')).toBe(md);
  });

  it('limits sections to the tags asked for', () => {
    const only = exportMarkdown([doc], codebook, { exported: 'x', tags: ['drugs'] });
    expect(only.split('\n').filter((l) => l.startsWith('## '))).toEqual(['## drugs']);
    expect(only).toContain('highlights: 1');
  });

  it('gives one # section per document when exporting several by document', () => {
    const other = { ...seedDoc(), meta: { ...seedDoc().meta, id: 'two', title: 'Second *doc*' } };
    const both = exportMarkdown([doc, other], codebook, { exported: 'x', layout: 'document' });
    expect(both.split('\n').filter((l) => l.startsWith('# '))).toEqual([
      '# The Taliban, Russia and Afghanistan',
      '# Second \\*doc\\*',
    ]);
    expect(both).toContain('_No tagged highlights._');
    expect(both).toContain('documents: 2');
  });

  it('keeps orphaned highlights, saying so instead of giving a ¶ reference', () => {
    const orphaned = { ...doc, highlights: [{ ...doc.highlights[2], orphan: true }] };
    const out = exportMarkdown([orphaned], codebook, { exported: 'x' });
    expect(out).toContain(
      '> combat drug traffickers\n\n— Orphaned: this passage is no longer found in the current text.',
    );
  });

  it('says when a highlight was found approximately and not yet reviewed, with the words it was made on', () => {
    const doc = seedDoc();
    const h = highlight(doc, 'combat drug traffickers', ['drugs']);
    doc.highlights = [{ ...h, approximate: { was: 'combat *drug* smugglers' } }];
    expect(exportMarkdown([doc], codebook, { exported: 'x' })).toContain(
      '> combat drug traffickers\n\n— ¶ 4 (found approximately; made on “combat \\*drug\\* smugglers”)',
    );
  });

  it('names the file after the title, safely', () => {
    expect(exportFileName([doc], 'md')).toBe('The Taliban Russia and Afghanistan.md');
    expect(exportFileName([{ ...doc, meta: { ...doc.meta, title: '../../etc/passwd' } }], 'md')).toBe(
      '....etcpasswd.md',
    );
  });
});

describe('Markdown layouts and options', () => {
  const doc = seedDoc();
  doc.highlights = [
    highlight(doc, 'a Taliban commander promised him', ['diplomacy', 'security'], 'A *promise*.'),
    highlight(doc, 'combat drug traffickers', ['drugs']),
  ];
  const other: DocumentView = {
    ...seedDoc(),
    meta: { ...seedDoc().meta, id: 'other', title: 'Other [doc] #1', source: 'Nikkei <Asia>', author: 'A. *Writer*' },
  };
  other.highlights = [highlight(other, 'protect the Russian diplomatic personnel', ['security'])];
  const docs = [doc, other];
  const headings = (md: string) => md.split('\n').filter((l) => /^#{1,3} /.test(l));

  it('groups by tag across documents (default), by document, or in reading order', () => {
    expect(headings(exportMarkdown(docs, codebook, { exported: 'x' }))).toEqual([
      '## security',
      '### The Taliban, Russia and Afghanistan',
      '### Other \\[doc\\] \\#1',
      '## diplomacy',
      '### The Taliban, Russia and Afghanistan',
      '## drugs',
      '### The Taliban, Russia and Afghanistan',
    ]);
    expect(headings(exportMarkdown(docs, codebook, { exported: 'x', layout: 'document' }))).toEqual([
      '# The Taliban, Russia and Afghanistan',
      '## security',
      '## diplomacy',
      '## drugs',
      '# Other \\[doc\\] \\#1',
      '## security',
    ]);
    const reading = exportMarkdown(docs, codebook, { exported: 'x', layout: 'reading' });
    expect(headings(reading)).toEqual(['# The Taliban, Russia and Afghanistan', '# Other \\[doc\\] \\#1']);
    expect(reading).toContain(
      '> a Taliban commander promised him\n\n— ¶ 2 · security, diplomacy\n\n**Note:** A *promise*.',
    );
    expect(renderedQuotes(reading)).toEqual([
      'a Taliban commander promised him',
      'combat drug traffickers',
      'protect the Russian diplomatic personnel',
    ]);
  });

  it('leaves out notes and ¶ references when asked, and adds citations, #tags, block ids and deep links', () => {
    const bare = exportMarkdown([doc], codebook, { exported: 'x', notes: false, paragraphRefs: false });
    expect(bare).not.toContain('promise*');
    expect(bare).not.toContain('¶');
    const full = exportMarkdown([other], codebook, {
      exported: 'x',
      citation: true,
      obsidianTags: true,
      blockIds: true,
      deepLinks: true,
    });
    const id = other.highlights[0].id;
    const anonymous = exportMarkdown([doc], codebook, { exported: 'x', citation: true });
    expect(anonymous).toContain(
      '\n\n*The Taliban, Russia and Afghanistan* (2021-10-26). 000\\_6a4053b3925a4b14.txt.\n\n',
    );
    expect(full).toContain('A. \\*Writer\\* (2021-10-26). *Other \\[doc\\] \\#1*. Nikkei \\<Asia\\>.');
    expect(full).toContain(
      `> protect the Russian diplomatic personnel\n\n^glossa-${id}\n\n— ¶ 1 · #security · [Open in Glossa](glossa://open?doc=other&highlight=${id})`,
    );
    // The link renders as a link, to a URL Glossa itself reads back.
    const links: string[] = [];
    const walker = new Parser().parse(full).walker();
    for (let e = walker.next(); e; e = walker.next())
      if (e.entering && e.node.type === 'link') links.push(e.node.destination ?? '');
    expect(links.map(parseOpenRequest)).toEqual([{ documentId: 'other', highlightId: id }]);
  });

  it('gives the same block ids on every export, so links to them keep working', () => {
    for (const layout of MARKDOWN_LAYOUTS) {
      const a = exportMarkdown(docs, codebook, { exported: 'x', layout, blockIds: true });
      const b = exportMarkdown(structuredClone(docs), codebook, { exported: 'y', layout, blockIds: true });
      const ids = (md: string) => md.match(/\^glossa-[A-Za-z0-9-]+/g);
      expect(ids(a)).toEqual(ids(b));
      expect(new Set(ids(a))).toEqual(new Set([...doc.highlights, ...other.highlights].map((h) => `^glossa-${h.id}`)));
    }
  });

  it('renders every quote exactly in every layout, whatever the text holds (property)', () => {
    const unit = fc.constantFrom(...'*_[]<>#`\\!&;-+=.)(|~:/ 1aZé😀'.split(''), '😀', '&amp;', '1.', '- ', '^glossa-x');
    fc.assert(
      fc.property(
        fc.array(unit, { minLength: 1, maxLength: 30 }),
        fc.constantFrom(...MARKDOWN_LAYOUTS),
        (units, layout) => {
          const text = units.join('').trim() || 'x';
          const d: DocumentView = {
            revision: 0,
            meta: { id: 'p', title: text, titleSource: 'user', source: text, added: 'x' },
            text,
            paragraphs: [{ n: 1, start: 0, end: text.length, kind: 'body' }],
            highlights: [
              {
                id: 'h1',
                documentId: 'p',
                tags: ['security'],
                note: '',
                created: 'x',
                updated: 'x',
                target: describeRange(text, 0, text.length),
              },
            ],
          };
          const md = exportMarkdown([d], codebook, { exported: 'x', layout, citation: true, obsidianTags: true });
          expect(renderedQuotes(md)).toEqual([text]);
        },
      ),
    );
  });
});

describe('deep links', () => {
  it('reads back what it writes, from the scheme or the web address hash', async () => {
    const { deepLink } = await import('./deep-link');
    expect(deepLink('doc1', 'h-1')).toBe('glossa://open?doc=doc1&highlight=h-1');
    expect(parseOpenRequest(deepLink('doc1', 'h-1'))).toEqual({ documentId: 'doc1', highlightId: 'h-1' });
    expect(parseOpenRequest('#open?doc=doc1')).toEqual({ documentId: 'doc1' });
    expect(parseOpenRequest('GLOSSA://open/?doc=a&highlight=b')).toEqual({ documentId: 'a', highlightId: 'b' });
  });

  it.each([
    'glossa://delete?doc=a',
    'https://open?doc=a',
    '#open?doc=',
    '#open?doc=../x',
    'glossa://open?doc=a&highlight=%3Cscript%3E',
  ])('refuses %s', (link) => {
    expect(parseOpenRequest(link)).toBeNull();
  });
});

describe('memos in the Markdown export', () => {
  const codebook = { tags: [{ id: 'security', name: 'security', color: '#e0524a' }] };
  const memo = (text: string) => ({ text, created: '2026-01-02T00:00:00.000Z', updated: '2026-01-03T00:00:00.000Z' });
  const doc = (id: string): DocumentView => ({
    meta: { id, title: `Doc ${id}`, titleSource: 'user', source: 's', added: '2026-01-01T00:00:00.000Z' },
    revision: 1,
    text: 'Alpha beta.',
    paragraphs: [{ n: 1, start: 0, end: 11, kind: 'body' }],
    highlights: [
      {
        id: `h${id}`,
        documentId: id,
        tags: ['security'],
        note: '',
        created: '2026-01-01T00:00:00.000Z',
        updated: '2026-01-01T00:00:00.000Z',
        target: {
          position: { type: 'TextPositionSelector', start: 0, end: 5 },
          quote: { type: 'TextQuoteSelector', exact: 'Alpha', prefix: '', suffix: ' beta.' },
        },
      },
    ],
  });
  const memos = {
    project: memo('# Journal\n\nWhy.'),
    codes: { security: memo('Code note') },
    documents: { a: memo('Doc note') },
  };

  it('puts the project memo first, each document memo under its title, each code memo under its code', () => {
    const md = exportMarkdown([doc('a'), doc('b')], codebook, { exported: 'x', memoTexts: memos });
    expect(md).toContain('**Project memo** _(2026-01-03)_\n\n## Journal\n\nWhy.');
    expect(md).toContain('## security\n\n**Code memo** _(2026-01-03)_\n\nCode note');
    const byDoc = exportMarkdown([doc('a'), doc('b')], codebook, {
      exported: 'x',
      memoTexts: memos,
      layout: 'document',
    });
    expect(byDoc).toContain('# Doc a\n\n**Memo** _(2026-01-03)_\n\nDoc note');
    expect(byDoc).toContain('# Code memos\n\n## security\n\n**Code memo**');
  });

  it('leaves memos out when asked', () => {
    const md = exportMarkdown([doc('a')], codebook, { exported: 'x', memoTexts: memos, memos: false });
    expect(md).not.toContain('Memo');
    expect(md).not.toContain('Why.');
  });
});
