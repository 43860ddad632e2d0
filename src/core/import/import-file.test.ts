import { describe, expect, it } from 'vitest';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../../test-support/temp-library';
import { afterThisTest } from '../../test-support/cleanup';
import { HOSTILE_HTML, makeDocx, makePdf, makeLyingZip } from '../../test-support/sample-files';
import { documentFromFile, readImportFile } from './import-file';

const now = new Date('2026-01-02T03:04:05Z');
const utf8 = (s: string) => new TextEncoder().encode(s);
const kinds = (doc: { paragraphs: { kind: string; level?: number; page?: number }[] }) =>
  doc.paragraphs.map((p) => [p.kind, p.level ?? p.page].filter((x) => x !== undefined).join(':'));
const texts = (doc: { text: string }) => doc.text.split('\n\n');

describe('plain text', () => {
  it('reads every line-ending style alike', async () => {
    const lf = await documentFromFile('a.txt', utf8('One\nline.\n\nTwo.'), now);
    for (const raw of ['One\r\nline.\r\n\r\nTwo.', 'One\rline.\r\rTwo.']) {
      expect((await documentFromFile('a.txt', utf8(raw), now)).text).toBe(lf.text);
    }
    expect(lf.text).toBe('One line.\n\nTwo.');
    expect(lf.meta).toMatchObject({ format: 'txt', fileName: 'a.txt', source: 'a.txt', titleSource: 'derived' });
  });
});

describe('Markdown', () => {
  it('keeps headings, nested lists and quotes as blocks, and front matter as metadata', async () => {
    const md = [
      '---',
      'title: "Field notes"',
      'author: R. Searcher',
      'date: 2021-10-26',
      '---',
      '# Border',
      '',
      'Some *emphasis* and `code`.',
      '',
      '- one',
      '- two',
      '  - nested',
      '',
      '> quoted words',
      '',
      '<script>alert(1)</script>',
    ].join('\n');
    const doc = await documentFromFile('notes.md', utf8(md), now);
    expect(texts(doc)).toEqual([
      'Border',
      'Some emphasis and code.',
      'one',
      'two',
      'nested',
      'quoted words',
      '<script>alert(1)</script>',
    ]);
    expect(kinds(doc)).toEqual(['heading:1', 'body', 'list-item:1', 'list-item:1', 'list-item:2', 'quote', 'body']);
    expect(doc.meta).toMatchObject({
      title: 'Field notes',
      titleSource: 'metadata',
      author: 'R. Searcher',
      date: '2021-10-26',
    });
  });

  it('reads front matter as YAML: quoting, escapes, folded lines and lists mean what YAML says', async () => {
    const md = [
      '---',
      "title: 'O''Neil: a \"life\" # in notes'",
      'author:',
      '  - A. One',
      '  - B. Two',
      'source: >-',
      '  Nikkei',
      '  Asia',
      'date: "2021-10-26"',
      'tags: [a, b]',
      '---',
      'Text.',
    ].join('\n');
    const doc = await documentFromFile('notes.md', utf8(md), now);
    expect(doc.meta).toMatchObject({
      title: 'O\'Neil: a "life" # in notes',
      author: 'A. One, B. Two',
      source: 'Nikkei Asia',
      date: '2021-10-26',
    });
    expect(doc.text).toBe('Text.');
  });

  it('reads the front matter Glossa writes back to the same values', async () => {
    const { yamlString } = await import('../../shared/markdown-escape');
    const title = 'It\'s \u0085 "odd" — #1: [x]';
    const doc = await documentFromFile('notes.md', utf8(`---\ntitle: ${yamlString(title)}\n---\n\nText.`), now);
    expect(doc.meta.title).toBe(title);
  });

  it('takes no metadata from front matter that is not YAML, and still leaves it out of the text', async () => {
    const doc = await documentFromFile('notes.md', utf8('---\ntitle: [unclosed\n---\n\n# Heading\n\nText.'), now);
    expect(doc.meta.title).toBe('Heading');
    expect(texts(doc)).toEqual(['Heading', 'Text.']);
  });

  it('takes the first heading as the title when there is no front matter', async () => {
    const doc = await documentFromFile('x.md', utf8('# The heading\n\nText.'), now);
    expect(doc.meta.title).toBe('The heading');
  });
});

describe('HTML', () => {
  it('keeps the article, its structure and its metadata', async () => {
    const html = `<html><head><title>Page title</title><meta name="author" content="A. Writer">
      <meta property="og:site_name" content="Nikkei Asia"><meta property="article:published_time" content="2021-10-26T08:00:00Z">
      </head><body><nav>Menu</nav><article><h2>Sub</h2><p>Hello <b>bold</b><br>world</p>
      <ol><li>a<ul><li>b</li></ul></li></ol><figure><figcaption>Photo © Reuters</figcaption></figure>
      <blockquote><p>Said someone.</p></blockquote></article><footer>Footer</footer></body></html>`;
    const doc = await documentFromFile('page.html', utf8(html), now);
    expect(texts(doc)).toEqual(['Sub', 'Hello bold world', 'a', 'b', 'Photo © Reuters', 'Said someone.']);
    expect(kinds(doc)).toEqual(['heading:2', 'body', 'list-item:1', 'list-item:2', 'caption', 'quote']);
    expect(doc.meta).toMatchObject({
      title: 'Page title',
      author: 'A. Writer',
      source: 'Nikkei Asia',
      date: '2021-10-26',
      format: 'html',
    });
  });

  it('drops everything executable, remote or stylistic from a hostile page, keeping its words', async () => {
    const doc = await documentFromFile('hostile.htm', utf8(HOSTILE_HTML), now);
    expect(texts(doc)).toEqual([
      'Report on border security',
      'First paragraph of the report.',
      'Second paragraph with a link.',
      'A normal link ends the article.',
    ]);
    const stored = JSON.stringify(doc);
    for (const bad of ['__pwned', 'attacker', 'javascript', 'display: none', 'typed'])
      expect(stored).not.toContain(bad);
  });
});

describe('PDF', () => {
  it('reflows lines into paragraphs, mends hyphenation, keeps pages and metadata', async () => {
    const bytes = await makePdf(
      [
        {
          lines: [
            'The first paragraph starts here and it runs across the',
            'whole line and then a second one.',
            '',
            'A second para-',
            'graph follows.',
          ],
        },
        { lines: ['Page two holds a third paragraph.'] },
      ],
      { title: 'Opium and the State', author: 'A. Analyst', created: new Date('2021-10-26T12:00:00Z') },
    );
    const doc = await documentFromFile('report.pdf', bytes, now);
    expect(texts(doc)).toEqual([
      'The first paragraph starts here and it runs across the whole line and then a second one.',
      'A second paragraph follows.',
      'Page two holds a third paragraph.',
    ]);
    expect(kinds(doc)).toEqual(['body:1', 'body:1', 'body:2']);
    expect(doc.meta).toMatchObject({
      title: 'Opium and the State',
      author: 'A. Analyst',
      date: '2021-10-26',
      // The PDF's creation date: shown as "File created", never as "Published".
      dateSource: 'file',
      pageCount: 2,
    });
  });

  it('refuses a PDF with no text layer, and a damaged one, with reasons', async () => {
    await expect(documentFromFile('scan.pdf', await makePdf([{ lines: [] }]), now)).rejects.toThrow(/no text layer/);
    const good = await makePdf([{ lines: ['Some words.'] }]);
    await expect(documentFromFile('cut.pdf', good.slice(0, 200), now)).rejects.toThrow(/not a readable PDF/);
    await expect(documentFromFile('fake.pdf', utf8('not a pdf at all'), now)).rejects.toThrow(/not a readable PDF/);
  });
});

describe('DOCX', () => {
  it('reads text, headings and lists, and the core properties', async () => {
    const doc = await documentFromFile('memo.docx', await makeDocx({ title: 'Memo', creator: 'W. Writer' }), now);
    expect(texts(doc)).toEqual([
      'Border security',
      'Talks were held in Moscow.',
      'Details',
      'First point',
      'Second point',
    ]);
    expect(kinds(doc)).toEqual(['heading:1', 'body', 'heading:2', 'list-item:1', 'list-item:1']);
    expect(doc.meta).toMatchObject({ title: 'Memo', author: 'W. Writer', format: 'docx' });
    // Word's "created" property is when the file was made: kept, and said to be so.
    expect(doc.meta.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(doc.meta.dateSource).toBe('file');
  });

  it('refuses a damaged file and a zip bomb', async () => {
    const good = await makeDocx();
    await expect(documentFromFile('cut.docx', good.slice(0, good.length / 2), now)).rejects.toThrow(
      /not a readable Word document \(\.docx\)/,
    );
    await expect(documentFromFile('text.docx', utf8('plain text'), now)).rejects.toThrow(
      /not a readable Word document \(\.docx\)/,
    );
    // 60 MB of zeros behind a directory that says 2 KB: stopped by counting, not by believing.
    await expect(
      documentFromFile('bomb.docx', makeLyingZip('word/document.xml', 60 * 1024 * 1024), now),
    ).rejects.toThrow(/unpacks to more than 200 times its packed size.*zip bomb/);
  });
});

describe('bad input', () => {
  it.each([
    ['empty.txt', new Uint8Array(), /the file is empty/],
    ['image.txt', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x1a]), /binary, not text/],
    ['latin1.md', new Uint8Array([0x63, 0x61, 0x66, 0xe9]), /not valid UTF-8/],
    ['blank.html', utf8('<html><body>   </body></html>'), /holds no text/],
    ['spaces.txt', utf8('  \n\n  '), /holds no text/],
    ['slides.pptx', utf8('x'), /files of type \.pptx cannot be imported/],
    ['README', utf8('x'), /files without an extension cannot be imported/],
  ])('refuses %s with a reason', async (name, bytes, reason) => {
    await expect(documentFromFile(name, bytes, now)).rejects.toThrow(reason);
  });

  it('refuses a file over 50 MB before reading it', async () => {
    const { dir, cleanup } = await tempDir();
    afterThisTest(cleanup);
    const path = join(dir, 'huge.txt');
    await writeFile(path, '');
    await truncate(path, 50 * 1024 * 1024 + 1);
    await expect(readImportFile(path)).rejects.toThrow(/larger than 50 MB/);
    await expect(readImportFile(join(dir, 'missing.txt'))).rejects.toThrow(/does not exist/);
  });
});
