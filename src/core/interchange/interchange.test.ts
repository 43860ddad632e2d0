import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { strToU8, unzipSync, strFromU8, zipSync } from 'fflate';
import { qualcoderRead, qualcoderWrite } from '../../test-support/qualcoder-rules';
import { afterThisTest } from '../../test-support/cleanup';
import { SEED_FILE, tempDir } from '../../test-support/temp-library';
import { makeLyingZip } from '../../test-support/sample-files';
import type { Highlight } from '../../shared/types';
import { documentFromText } from '../import/document';
import { Library } from '../library';
import { GlossaError } from '../../shared/errors';
import { exportAs } from '../export';
import { addHighlight, editParagraph, importInterchange } from '../../test-support/at-revision';

const MULTISCRIPT = fileURLToPath(new URL('../../../e2e/fixtures/multiscript.txt', import.meta.url));

async function emptyLibrary(): Promise<{ library: Library; dir: string; snapshot: () => Promise<string> }> {
  const { dir, cleanup } = await tempDir();
  const library = await Library.open({ dataDir: dir, owner: 'test' });
  afterThisTest(async () => {
    await library.close();
    await cleanup();
  });
  const snapshot = async () => {
    const docs = await readdir(join(dir, 'documents'));
    const files = await Promise.all(docs.sort().map((n) => readFile(join(dir, 'documents', n), 'utf8')));
    return [await readFile(join(dir, 'library.json'), 'utf8'), ...files].join('\n');
  };
  return { library, dir, snapshot };
}

/** A library with the seed article and a text in several scripts with emoji, highlighted and noted. */
async function annotatedLibrary() {
  const t = await emptyLibrary();
  const ids: string[] = [];
  for (const path of [SEED_FILE, MULTISCRIPT]) {
    const doc = documentFromText(await readFile(path, 'utf8'), path.split('/').pop() as string, new Date());
    await t.library.addDocument(doc);
    ids.push(doc.meta.id);
  }
  const mark = async (documentId: string, exact: string, tags: string[], note?: string) => {
    const { text } = await t.library.getDocument(documentId);
    const start = text.indexOf(exact);
    if (start < 0) throw new Error(`not found: ${exact}`);
    await addHighlight(t.library, { documentId, start, end: start + exact.length, tags, note });
  };
  await mark(
    ids[0],
    'surrounded the Russian Embassy in Kabul',
    ['security'],
    'Embassy *guarded* <by> the Taliban & co.',
  );
  await mark(ids[0], 'combat drug traffickers', ['drugs', 'diplomacy']);
  await mark(ids[1], 'Москва и Талибан', ['diplomacy'], 'Русская заметка');
  await mark(ids[1], 'ended; café', ['security']);
  await mark(ids[1], 'الأمن والدبلوماسية', ['security', 'diplomacy']);
  return { ...t, ids };
}

/** What must survive a round trip: per document title, and each highlight's quote, place, tags (by name) and note. */
async function essentials(library: Library) {
  const names = new Map((await library.getCodebook()).tags.map((t) => [t.id, t.name]));
  const out = [];
  for (const d of (await library.listDocuments()).sort((a, b) => a.id.localeCompare(b.id))) {
    const doc = await library.getDocument(d.id);
    const hs = [...doc.highlights].sort((a, b) => a.target.position.start - b.target.position.start);
    out.push({
      id: d.id,
      highlights: hs.map((h: Highlight) => ({
        quote: h.target.quote.exact,
        start: h.target.position.start,
        end: h.target.position.end,
        tags: h.tags.map((t) => names.get(t)).sort(),
        note: h.note,
        orphan: h.orphan ?? false,
      })),
    });
  }
  return out;
}

const bytesOf = (file: { content: string; encoding?: string }) =>
  file.encoding === 'base64' ? new Uint8Array(Buffer.from(file.content, 'base64')) : strToU8(file.content);

describe('W3C Web Annotation round trip', () => {
  it('export → import into an empty library (with the same texts) → export gives the same highlights', async () => {
    const a = await annotatedLibrary();
    const jsonld = await exportAs(a.library, {}, 'jsonld');
    const b = await emptyLibrary();
    for (const path of [SEED_FILE, MULTISCRIPT]) {
      await b.library.addDocument(
        documentFromText(await readFile(path, 'utf8'), path.split('/').pop() as string, new Date()),
      );
    }
    const report = await importInterchange(b.library, 'export.jsonld', bytesOf(jsonld));
    expect(report).toMatchObject({ highlights: 5, exact: 5, approximate: 0, orphaned: 0, tagsAdded: [] });
    expect(await essentials(b.library)).toEqual(await essentials(a.library));
    const again = await exportAs(b.library, {}, 'jsonld');
    expect(JSON.parse(again.content).first.items).toEqual(JSON.parse(jsonld.content).first.items);
    // A second import of the same file finds every highlight already there and changes nothing.
    const before = await b.snapshot();
    expect(await importInterchange(b.library, 'export.jsonld', bytesOf(jsonld))).toMatchObject({
      highlights: 0,
      alreadyPresent: 5,
    });
    expect(await b.snapshot()).toBe(before);
  });

  it('re-anchors annotations on a changed text, and keeps those that no longer fit as orphans', async () => {
    const a = await annotatedLibrary();
    const jsonld = await exportAs(a.library, { documentIds: [a.ids[0]] }, 'jsonld');
    const b = await emptyLibrary();
    const original = await readFile(SEED_FILE, 'utf8');
    const changed = original
      .replace('surrounded the Russian Embassy in Kabul', 'surrounded the Russian embassy in Kabul')
      .replace('combat drug traffickers', 'fight smugglers');
    const doc = documentFromText(changed, 'changed.txt', new Date());
    await b.library.addDocument(doc);
    const report = await importInterchange(b.library, 'x.jsonld', bytesOf(jsonld), { documentId: doc.meta.id });
    expect(report).toMatchObject({ highlights: 2, exact: 0, approximate: 1, orphaned: 1 });
    const stored = (await b.library.getDocument(doc.meta.id)).highlights;
    expect(stored.find((h) => !h.orphan)?.target.quote.exact).toBe('surrounded the Russian embassy in Kabul');
    // Anchored on other words than the file quotes: marked for the researcher to review.
    expect(stored.find((h) => !h.orphan)?.approximate).toEqual({ was: 'surrounded the Russian Embassy in Kabul' });
    expect(stored.find((h) => h.orphan)?.target.quote.exact).toBe('combat drug traffickers');
  });

  it('anchors annotations from another tool on the chosen document, and reports those with no passage to find', async () => {
    const b = await emptyLibrary();
    const doc = documentFromText(await readFile(SEED_FILE, 'utf8'), 'seed.txt', new Date());
    await b.library.addDocument(doc);
    // Shaped like a web annotator's export: targets without a Glossa source, one on the whole page.
    const file = [
      {
        id: 'https://annotator.example/a/1',
        type: 'Annotation',
        bodyValue: 'the core claim',
        target: { selector: { type: 'TextQuoteSelector', exact: 'combat drug traffickers' } },
      },
      {
        id: 'https://annotator.example/a/2',
        type: 'Annotation',
        body: { type: 'TextualBody', purpose: 'tagging', value: 'drugs' },
        target: {
          source: 'https://nikkei.example/article',
          selector: [{ type: 'TextQuoteSelector', exact: 'sworn enemies' }],
        },
      },
      {
        id: 'https://annotator.example/a/3',
        type: 'Annotation',
        bodyValue: 'about the page',
        target: 'https://nikkei.example/article',
      },
    ];
    const bytes = new TextEncoder().encode(JSON.stringify(file));
    const before = await b.snapshot();
    // Without a document to put them on, a sourceless annotation is refused by name, and nothing changes.
    await expect(importInterchange(b.library, 'h.jsonld', bytes)).rejects.toThrow(/names no document/);
    expect(await b.snapshot()).toBe(before);
    const report = await importInterchange(b.library, 'h.jsonld', bytes, { documentId: doc.meta.id });
    expect(report).toMatchObject({
      highlights: 2,
      exact: 2,
      notImported: [expect.stringContaining('https://annotator.example/a/3')],
    });
    expect(report.summary).toMatch(
      /not imported: 1 annotation with no text selector to find its passage by \(https:\/\/annotator\.example\/a\/3\)/,
    );
    const stored = (await b.library.getDocument(doc.meta.id)).highlights.sort(
      (x, y) => x.target.position.start - y.target.position.start,
    );
    expect(stored.map((h) => [h.target.quote.exact, h.note])).toEqual([
      ['sworn enemies', ''],
      ['combat drug traffickers', 'the core claim'],
    ]);
  });

  it('refuses annotations on documents the library does not have, changing nothing', async () => {
    const a = await annotatedLibrary();
    const jsonld = await exportAs(a.library, {}, 'jsonld');
    const b = await emptyLibrary();
    const before = await b.snapshot();
    await expect(importInterchange(b.library, 'x.jsonld', bytesOf(jsonld))).rejects.toThrow(
      /is on urn:glossa:document:[0-9a-f]+, which is not in this library; import that document first/,
    );
    expect(await b.snapshot()).toBe(before);
  });

  it('gives annotations without tags the tag “untagged”, adding it to the codebook', async () => {
    const b = await emptyLibrary();
    const doc = documentFromText('Plain words about Kabul.', 'k.txt', new Date());
    await b.library.addDocument(doc);
    const one = {
      type: 'Annotation',
      body: { type: 'TextualBody', value: 'a comment' },
      target: { source: 'https://example.org', selector: { type: 'TextQuoteSelector', exact: 'Kabul' } },
    };
    const report = await importInterchange(b.library, 'h.json', strToU8(JSON.stringify(one)), {
      documentId: doc.meta.id,
    });
    expect(report.tagsAdded).toEqual(['untagged']);
    expect((await b.library.getDocument(doc.meta.id)).highlights[0]).toMatchObject({
      note: 'a comment',
      tags: ['untagged'],
    });
  });
});

describe('REFI-QDA', () => {
  it('exports a project whose positions count code points (emoji are one character)', async () => {
    const a = await annotatedLibrary();
    const files = unzipSync(bytesOf(await exportAs(a.library, { documentIds: [a.ids[1]] }, 'qdpx')));
    const qde = strFromU8(files['project.qde']);
    const source = Object.keys(files).find((n) => n.startsWith('sources/')) as string;
    const text = strFromU8(files[source]);
    const u16 = text.indexOf('ended; café');
    const cp = [...text.slice(0, u16)].length;
    expect(cp).toBeLessThan(u16);
    expect(qde).toContain(`startPosition="${cp}" endPosition="${cp + [...'ended; café'].length}"`);
    expect(qde).toContain('<PlainTextContent>Русская заметка</PlainTextContent>');
    expect(qde).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<Project xmlns="urn:QDA-XML:project:1.0"/);
  });

  it('export → import into an empty library → export gives the same documents and highlights', async () => {
    const a = await annotatedLibrary();
    const qdpx = await exportAs(a.library, {}, 'qdpx');
    const b = await emptyLibrary();
    const report = await importInterchange(b.library, 'p.qdpx', bytesOf(qdpx));
    expect(report).toMatchObject({ documentsAdded: 2, highlights: 5, exact: 5, orphaned: 0 });
    // Same texts, so the same document ids; same GUIDs, so the same highlight ids.
    expect(await essentials(b.library)).toEqual(await essentials(a.library));
    const again = unzipSync(bytesOf(await exportAs(b.library, {}, 'qdpx')));
    const first = unzipSync(bytesOf(qdpx));
    const selections = (files: Record<string, Uint8Array>) =>
      strFromU8(files['project.qde'])
        .split('\n')
        .filter((l) => l.includes('<PlainTextSelection') || l.includes('<CodeRef') || l.includes('PlainTextContent'))
        .map((l) => l.replace(/creationDateTime="[^"]*"|modifiedDateTime="[^"]*"/g, ''));
    expect(selections(again)).toEqual(selections(first));
    expect(await importInterchange(b.library, 'p.qdpx', bytesOf(qdpx))).toMatchObject({
      highlights: 0,
      alreadyPresent: 5,
      documentsAdded: 0,
    });
  });

  it('writes notes also as the selection Description (what QualCoder reads), and a re-import does not double them', async () => {
    const a = await annotatedLibrary();
    const qde = strFromU8(
      unzipSync(bytesOf(await exportAs(a.library, { documentIds: [a.ids[0]] }, 'qdpx')))['project.qde'],
    );
    expect(qde).toContain('<Description>Embassy *guarded* &lt;by&gt; the Taliban &amp; co.</Description>');
    const read = qualcoderRead(qde);
    expect(read.codeText.find((r) => r.memo !== '')?.memo).toBe('Embassy *guarded* <by> the Taliban & co.');
    const b = await emptyLibrary();
    await importInterchange(
      b.library,
      'p.qdpx',
      bytesOf(await exportAs(a.library, { documentIds: [a.ids[0]] }, 'qdpx')),
    );
    const notes = (await b.library.getDocument(a.ids[0])).highlights.map((h) => h.note).filter(Boolean);
    expect(notes).toEqual(['Embassy *guarded* <by> the Taliban & co.']);
  });

  it('round trip through QualCoder: Glossa → QualCoder import → QualCoder export → Glossa gives the same quotes, tags and notes', async () => {
    const a = await annotatedLibrary();
    const files = unzipSync(bytesOf(await exportAs(a.library, {}, 'qdpx')));
    const read = qualcoderRead(strFromU8(files['project.qde']));
    // QualCoder keeps one row per code: the two-code passages are two rows each.
    expect(read.codeText).toHaveLength(7);
    let n = 0;
    const { xml, renamed } = qualcoderWrite(read, () => `10000000-0000-4000-8000-${String(++n).padStart(12, '0')}`);
    const sources = Object.fromEntries(
      read.sources.map((s) => [
        `sources/${renamed.get(s.guid)}.txt`,
        files[`sources/${s.path.replace('internal://', '')}`],
      ]),
    );
    const b = await emptyLibrary();
    const report = await importInterchange(
      b.library,
      'qualcoder.qdpx',
      zipSync({ 'project.qde': strToU8(xml), ...sources }),
    );
    // Each passage comes back once, with both its codes and its note once.
    expect(report).toMatchObject({ documentsAdded: 2, highlights: 5, exact: 5 });
    const strip = (e: Awaited<ReturnType<typeof essentials>>) => e.map((d) => d.highlights);
    expect(strip(await essentials(b.library))).toEqual(strip(await essentials(a.library)));
  });

  it('takes text annotations (a Note with a selection, referred to from the source) and uncoded selections as notes', async () => {
    const b = await emptyLibrary();
    const qde = project(
      `${selection(3, 16, 21)}<PlainTextSelection guid="${G(4)}" startPosition="0" endPosition="4"><Description>MAXQDA-style comment</Description></PlainTextSelection><NoteRef targetGUID="${G(5)}"/>`,
    ).replace(
      '</Sources>',
      `</Sources><Notes><Note guid="${G(5)}" name="annotation"><PlainTextContent>About Kabul</PlainTextContent><PlainTextSelection guid="${G(6)}" startPosition="16" endPosition="21"/></Note></Notes>`,
    );
    const report = await importInterchange(b.library, 'x.qdpx', withText(qde));
    expect(report).toMatchObject({ highlights: 2 });
    const [doc] = await b.library.listDocuments();
    const hs = (await b.library.getDocument(doc.id)).highlights.sort(
      (x, y) => x.target.position.start - y.target.position.start,
    );
    const names = new Map((await b.library.getCodebook()).tags.map((t) => [t.id, t.name]));
    expect(hs.map((h) => [h.target.quote.exact, h.tags.map((t) => names.get(t)), h.note])).toEqual([
      ['Some', ['untagged'], 'MAXQDA-style comment'],
      ['Kabul', ['security'], 'About Kabul'],
    ]);
  });

  it('lists what a project holds that Glossa does not take over (REFI-QDA 1.5 §7), with counts', async () => {
    const b = await emptyLibrary();
    const qde = project(selection(3, 16, 21))
      .replace(
        '<Sources>',
        `<Cases><Case guid="${G(20)}" name="c1"/><Case guid="${G(21)}" name="c2"/></Cases><Variables><Variable guid="${G(22)}" name="age" typeOfVariable="Integer"/></Variables><Sources>`,
      )
      .replace(
        '</Sources>',
        `<PDFSource guid="${G(23)}" name="scan" path="internal://scan.pdf"/><PictureSource guid="${G(24)}" name="map" path="internal://map.png"/></Sources><Notes><Note guid="${G(25)}" name="journal"><PlainTextContent>day 1</PlainTextContent></Note></Notes><Links><Link guid="${G(26)}" originGUID="${G(1)}" targetGUID="${G(2)}"/></Links><Sets><Set guid="${G(27)}" name="s"/></Sets>`,
      );
    const report = await importInterchange(b.library, 'x.qdpx', withText(qde));
    expect(report.notImported).toEqual([
      '1 set',
      '2 cases',
      '1 variable',
      '1 link',
      '1 memo or journal note',
      '1 PDF source',
      '1 picture source',
    ]);
    expect(report.summary).toContain(
      'not imported: 1 set; 2 cases; 1 variable; 1 link; 1 memo or journal note; 1 PDF source; 1 picture source',
    );
  });

  it('carries coders as Users: each highlight comes back with its coder, and one coder’s passage is not merged into another’s', async () => {
    const a = await emptyLibrary();
    const doc = documentFromText(await readFile(SEED_FILE, 'utf8'), 'seed.txt', new Date());
    await a.library.addDocument(doc);
    const mark = async (coder: string, exact: string, tags: string[]) => {
      await a.library.setCoder({ coder });
      const start = doc.text.indexOf(exact);
      await addHighlight(a.library, { documentId: doc.meta.id, start, end: start + exact.length, tags });
    };
    await mark('Ana', 'combat drug traffickers', ['drugs']);
    await mark('Ben', 'combat drug traffickers', ['drugs', 'security']);
    await mark('Ben', 'sworn enemies', ['diplomacy']);
    const qdpx = await exportAs(a.library, {}, 'qdpx');
    const qde = strFromU8(unzipSync(bytesOf(qdpx))['project.qde']);
    expect(qde).toMatch(/<User guid="[^"]+" name="Ana"\/>/);
    expect(qde).toMatch(/<User guid="[^"]+" name="Ben"\/>/);
    const b = await emptyLibrary();
    await importInterchange(b.library, 'team.qdpx', bytesOf(qdpx));
    const stored = (await b.library.getDocument(doc.meta.id)).highlights;
    const names = new Map((await b.library.getCodebook()).tags.map((t) => [t.id, t.name]));
    expect(
      stored
        .map((h) => [
          h.coder,
          h.target.quote.exact,
          h.tags
            .map((t) => names.get(t))
            .sort()
            .join('+'),
        ])
        .sort((x, y) => `${x[0]}${x[1]}`.localeCompare(`${y[0]}${y[1]}`)),
    ).toEqual([
      ['Ana', 'combat drug traffickers', 'drugs'],
      ['Ben', 'combat drug traffickers', 'drugs+security'],
      ['Ben', 'sworn enemies', 'diplomacy'],
    ]);
    // And the lead can measure their agreement at once.
    const report = await b.library.getAgreement({ coders: ['Ana', 'Ben'], tags: ['drugs'] });
    expect(report.codes[0]).toMatchObject({ kappa: 1, jaccard: 1 });
  });

  it('leaves orphans out of a project and says so', async () => {
    const a = await annotatedLibrary();
    await editParagraph(a.library, { documentId: a.ids[0], n: 4, text: 'Rewritten entirely.' });
    const qdpx = await exportAs(a.library, { documentIds: [a.ids[0]] }, 'qdpx');
    expect(qdpx.notice).toBe(
      '1 orphaned highlight is left out: REFI-QDA can only hold highlights with a place in the text.',
    );
    expect(strFromU8(unzipSync(bytesOf(qdpx))['project.qde'])).not.toContain('combat drug traffickers');
  });

  it('exports and imports the codebook (.qdc), adding codes the library lacks', async () => {
    const a = await annotatedLibrary();
    const qdc = await exportAs(a.library, {}, 'qdc');
    expect(qdc.content).toContain('<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Glossa">');
    const custom = qdc.content.replace('name="drugs"', 'name="Opium trade"');
    const b = await emptyLibrary();
    const report = await importInterchange(b.library, 'c.qdc', strToU8(custom));
    expect(report.tagsAdded).toEqual(['Opium trade']);
    expect((await b.library.getCodebook()).tags.map((t) => t.name)).toEqual([
      'security',
      'diplomacy',
      'drugs',
      'Opium trade',
    ]);
  });

  const zip = (entries: Record<string, string>) =>
    zipSync(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, strToU8(v)])));
  const G = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const project = (body: string) =>
    `<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes><Code guid="${G(1)}" name="security" isCodable="true"/></Codes></CodeBook><Sources><TextSource guid="${G(2)}" name="S" plainTextPath="internal://${G(2)}.txt">${body}</TextSource></Sources></Project>`;
  const selection = (guid: number, start: number, end: number, code = G(1)) =>
    `<PlainTextSelection guid="${G(guid)}" startPosition="${start}" endPosition="${end}"><Coding guid="${G(guid + 100)}"><CodeRef targetGUID="${code}"/></Coding></PlainTextSelection>`;
  const withText = (qde: string) => zip({ 'project.qde': qde, [`sources/${G(2)}.txt`]: 'Some text about Kabul.' });

  it('imports a well-formed project from another tool', async () => {
    const b = await emptyLibrary();
    const report = await importInterchange(b.library, 'x.qdpx', withText(project(selection(3, 16, 21))));
    expect(report).toMatchObject({ documentsAdded: 1, highlights: 1 });
    const [doc] = await b.library.listDocuments();
    expect(doc.title).toBe('S');
    expect((await b.library.getDocument(doc.id)).highlights[0].target.quote.exact).toBe('Kabul');
  });

  it.each([
    ['not a zip', strToU8('hello'), /not a readable REFI-QDA project \(\.qdpx\)/],
    ['a path climbing out', zip({ '../evil.txt': 'x', 'project.qde': project('') }), /unsafe path, "\.\.\/evil\.txt"/],
    ['an absolute path', zip({ '/etc/passwd': 'x' }), /unsafe path, "\/etc\/passwd"/],
    ['a zip bomb', makeLyingZip('project.qde', 60 * 1024 * 1024), /more than 200 times its packed size/],
    ['no project', zip({ 'readme.txt': 'x' }), /holds no project\.qde/],
    ['malformed XML', zip({ 'project.qde': '<Project><Sources>' }), /project\.qde is not well-formed XML \(line 1/],
    ['the wrong root', zip({ 'project.qde': '<CodeBook/>' }), /not a REFI-QDA project/],
    [
      'a missing source text',
      zip({ 'project.qde': project('') }),
      /source text internal:\/\/.* is not inside the \.qdpx/,
    ],
    [
      'an unknown code',
      withText(project(selection(3, 0, 4, G(9)))),
      /refers to code 00000000-0000-4000-8000-000000000009, which the codebook does not define/,
    ],
    [
      'a duplicate GUID',
      withText(project(selection(3, 0, 4) + selection(3, 5, 9))),
      /GUID 00000000-0000-4000-8000-000000000003 is used twice/,
    ],
    [
      'positions past the text',
      withText(project(selection(3, 10, 99))),
      /positions 10–99, outside its text of 22 characters/,
    ],
    [
      'a bad GUID',
      withText(project('<PlainTextSelection guid="nope" startPosition="0" endPosition="4"/>')),
      /no valid GUID \("nope"\)/,
    ],
  ])('refuses %s with a clear error, changing nothing', async (_what, bytes, reason) => {
    const b = await emptyLibrary();
    const before = await b.snapshot();
    await expect(importInterchange(b.library, 'bad.qdpx', bytes)).rejects.toThrow(reason);
    expect(await b.snapshot()).toBe(before);
  });

  // Files that once reported "1 highlight imported" and then cost the whole document on the next
  // read: every such highlight is now refused before anything is written, and the document stays.
  const selectionWith = (attrs: string, description = '') =>
    `<PlainTextSelection guid="${G(3)}" startPosition="16" endPosition="21" ${attrs}>${description}<Coding guid="${G(103)}"><CodeRef targetGUID="${G(1)}"/></Coding></PlainTextSelection>`;
  it.each([
    [
      'a 25,000-character note',
      selectionWith('', `<Description>${'n'.repeat(25_000)}</Description>`),
      /note is longer than 20,000/,
    ],
    ['an empty creation time', selectionWith('creationDateTime=""'), /created must not be empty|created is not an ISO/],
    ['a creation time that is no time', selectionWith('creationDateTime="yesterday"'), /created is not an ISO 8601/],
  ])(
    'refuses a project selection with %s, changing nothing, and the library stays readable',
    async (_what, sel, message) => {
      const b = await emptyLibrary();
      const first = await importInterchange(b.library, 'ok.qdpx', withText(project(selection(4, 0, 4))));
      expect(first.highlights).toBe(1);
      const before = await b.snapshot();
      const bad = zip({ 'project.qde': project(sel), [`sources/${G(2)}.txt`]: 'Some text about Kabul.' });
      await expect(importInterchange(b.library, 'bad.qdpx', bad)).rejects.toThrow(message);
      expect(await b.snapshot()).toBe(before);
      const reopened = await Library.open({ dataDir: b.dir, owner: 'check' }).catch((e) => e);
      expect(reopened).toBeInstanceOf(GlossaError);
      await b.library.close();
      const again = await Library.open({ dataDir: b.dir, owner: 'check' });
      afterThisTest(() => again.close());
      const [doc] = await again.listDocuments();
      expect((await again.getDocument(doc.id)).highlights).toHaveLength(1);
      expect(again.notices).toEqual([]);
    },
  );

  it.each([
    ['an empty creation time', { created: '' }, /created/],
    [
      'bodies that join into a note over 20,000 characters',
      {
        body: [
          { type: 'TextualBody', value: 'a'.repeat(12_000) },
          { type: 'TextualBody', value: 'b'.repeat(12_000) },
        ],
      },
      /note|longer than 20,000/,
    ],
  ])('refuses a W3C annotation with %s, and the document stays whole', async (_what, extra, message) => {
    const b = await emptyLibrary();
    const doc = documentFromText('Plain words about Kabul.', 'k.txt', new Date());
    await b.library.addDocument(doc);
    await addHighlight(b.library, { documentId: doc.meta.id, start: 0, end: 5, tags: ['security'] });
    const before = await b.snapshot();
    const one = {
      id: 'urn:uuid:6a0c4c8e-4d5e-4f51-8a34-5b0f1d2c3e4f',
      type: 'Annotation',
      body: { type: 'TextualBody', purpose: 'tagging', value: 'security' },
      target: { source: 'https://example.org', selector: { type: 'TextQuoteSelector', exact: 'Kabul' } },
      ...extra,
    };
    await expect(
      importInterchange(b.library, 'h.json', strToU8(JSON.stringify(one)), { documentId: doc.meta.id }),
    ).rejects.toThrow(message);
    expect(await b.snapshot()).toBe(before);
    await b.library.close();
    const again = await Library.open({ dataDir: b.dir, owner: 'check' });
    afterThisTest(() => again.close());
    expect((await again.getDocument(doc.meta.id)).highlights).toHaveLength(1);
  });

  it('refuses a malformed codebook', async () => {
    const b = await emptyLibrary();
    await expect(importInterchange(b.library, 'c.qdc', strToU8('<CodeBook><Codes>'))).rejects.toThrow(
      /not well-formed XML/,
    );
    await expect(
      importInterchange(
        b.library,
        'c.qdc',
        strToU8('<CodeBook><Codes><Code name="x" isCodable="true"/></Codes></CodeBook>'),
      ),
    ).rejects.toThrow(/code "x" has no valid GUID/);
  });
});

// The REFI-QDA schemas are not ours to ship; when they are provided (../shared/refi-qda, or
// GLOSSA_REFI_XSD_DIR), every exported project and codebook is validated against them.
const XSD_DIR =
  process.env.GLOSSA_REFI_XSD_DIR ?? fileURLToPath(new URL('../../../../shared/refi-qda', import.meta.url));
const PROJECT_XSD = join(XSD_DIR, 'Project.xsd');
const CODEBOOK_XSD = join(XSD_DIR, 'Codebook.xsd');

/** Nested codes with descriptions, three levels deep: what the exports must keep. */
async function shapeCodebook(library: Library): Promise<void> {
  await library.createTag({ name: 'Border', parent: 'security', description: 'Checks & controls' });
  await library.createTag({ name: 'Checkpoints', parent: 'border', description: '**Fixed** posts' });
}

describe('REFI-QDA schema validation', () => {
  it.skipIf(!existsSync(PROJECT_XSD))(`project.qde is valid against Project.xsd (needs ${PROJECT_XSD})`, async () => {
    const { validateXML } = await import('xmllint-wasm');
    const a = await annotatedLibrary();
    await shapeCodebook(a.library);
    const [doc] = await a.library.listDocuments();
    await a.library.setMemo({ target: { kind: 'project' }, text: 'Journal' });
    await a.library.setMemo({ target: { kind: 'code', tagId: 'border' }, text: 'On borders' });
    await a.library.setMemo({ target: { kind: 'document', documentId: doc.id }, text: 'About this text' });
    // A coder's highlight: its User and creatingUser must be valid too.
    await a.library.setCoder({ coder: 'Ana' });
    const { text } = await a.library.getDocument(a.ids[0]);
    const at = text.indexOf('sworn enemies');
    await addHighlight(a.library, { documentId: a.ids[0], start: at, end: at + 13, tags: ['diplomacy'] });
    const files = unzipSync(bytesOf(await exportAs(a.library, {}, 'qdpx')));
    const qde = strFromU8(files['project.qde']);
    // Memos as Notes, referred to from the project, the code and the source.
    expect(qde).toMatch(
      /<Code guid="[^"]+" name="Border"[^>]*>\s*<Description>Checks &amp; controls<\/Description>\s*<NoteRef/,
    );
    expect(qde).toContain('<PlainTextContent>Journal</PlainTextContent>');
    expect(qde).toContain('<PlainTextContent>About this text</PlainTextContent>');
    const result = await validateXML({
      xml: [{ fileName: 'project.qde', contents: strFromU8(files['project.qde']) }],
      schema: [await readFile(PROJECT_XSD, 'utf8')],
    });
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it.skipIf(!existsSync(CODEBOOK_XSD))(`the .qdc is valid against Codebook.xsd (needs ${CODEBOOK_XSD})`, async () => {
    const { validateXML } = await import('xmllint-wasm');
    const a = await annotatedLibrary();
    await shapeCodebook(a.library);
    const qdc = (await exportAs(a.library, {}, 'qdc')).content;
    expect(qdc).toMatch(/name="security"[^/]*>\s*<Code [^>]*name="Border"[^>]*>\s*<Description>/);
    const result = await validateXML({
      xml: [{ fileName: 'codebook.qdc', contents: qdc }],
      schema: [await readFile(CODEBOOK_XSD, 'utf8')],
    });
    expect(result.errors).toEqual([]);
  });
});
