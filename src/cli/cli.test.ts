import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterThisTest } from '../test-support/cleanup';
import { SEED_DIR, tempDir } from '../test-support/temp-library';
import { docId, glossa, library, snapshot, storedDocument } from '../test-support/cli-run';
import { Library } from '../core/library';

describe('glossa docs', () => {
  it('lists documents with id, title, date and highlight count', async () => {
    const dir = await library();
    const run = await glossa(['docs', '--data-dir', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^[0-9a-f]{16} {2}2021-10-26 {5}0 {2}The Taliban, Russia and Afghanistan\n$/);
  });

  it('prints JSON with --json', async () => {
    const dir = await library();
    const run = await glossa(['docs', '--json', '--data-dir', dir]);
    expect(JSON.parse(run.stdout)).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{16}$/),
        title: 'The Taliban, Russia and Afghanistan',
        date: '2021-10-26',
        source: '000_6a4053b3925a4b14.txt',
        author: null,
        highlights: 0,
        tags: {},
      },
    ]);
  });

  it('uses GLOSSA_DATA_DIR when --data-dir is absent', async () => {
    const dir = await library();
    expect((await glossa(['docs'], { env: { GLOSSA_DATA_DIR: dir } })).code).toBe(0);
    expect(await readdir(dir)).toContain('library.json');
  });
});

describe('glossa highlight', () => {
  it('adds a highlight found by its exact text and prints its id', async () => {
    const dir = await library();
    const id = await docId(dir);
    const run = await glossa([
      'highlight',
      id,
      '--quote',
      'combat drug traffickers',
      '--tag',
      'drugs',
      '--tag',
      'Security',
      '--note',
      'why',
      '--data-dir',
      dir,
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const hid = run.stdout.trim();
    const doc = await storedDocument(dir, id);
    expect(doc.highlights).toEqual([expect.objectContaining({ id: hid, tags: ['drugs', 'security'], note: 'why' })]);
    expect(doc.highlights[0].target.quote.exact).toBe('combat drug traffickers');
  });

  it('chooses among repeated text with --occurrence', async () => {
    const dir = await library();
    const id = await docId(dir);
    const run = await glossa([
      'highlight',
      id,
      '--quote',
      'Taliban',
      '--tag',
      'security',
      '--occurrence',
      '3',
      '--data-dir',
      dir,
    ]);
    expect(run.code).toBe(0);
    const doc = await storedDocument(dir, id);
    const starts = [...doc.text.matchAll(/Taliban/g)].map((m) => m.index);
    expect(doc.highlights[0].target.position.start).toBe(starts[2]);
  });

  const failures: [string, string[], RegExp][] = [
    ['text not found', ['--quote', 'no such words here', '--tag', 'security'], /does not occur/],
    [
      'text found more than once',
      ['--quote', 'Taliban', '--tag', 'security'],
      /occurs \d+ times \(¶ 1, ¶ 2.*--occurrence/,
    ],
    ['occurrence past the last', ['--quote', 'Kabul', '--tag', 'security', '--occurrence', '99'], /no occurrence 99/],
    ['bad occurrence', ['--quote', 'Kabul', '--tag', 'security', '--occurrence', '0'], /whole number of 1 or more/],
    [
      'unknown tag',
      ['--quote', 'combat drug traffickers', '--tag', 'weather'],
      /Unknown tag "weather"; the codebook has: security, diplomacy, drugs/,
    ],
    ['no tag', ['--quote', 'combat drug traffickers'], /required option '--tag <tag>'/],
    // Once written straight to the store, this made the next read set the document aside.
    [
      'a note of 20,001 characters',
      ['--quote', 'combat drug traffickers', '--tag', 'drugs', '--note', 'n'.repeat(20_001)],
      /note is longer than 20,000 characters/,
    ],
    ['no quote', ['--tag', 'drugs'], /required option '--quote <text>'/],
  ];

  it.each(failures)('fails on %s: message on stderr, exit 1, library unchanged', async (_name, args, message) => {
    const dir = await library();
    const id = await docId(dir);
    const before = await snapshot(dir);
    const run = await glossa(['highlight', id, ...args, '--data-dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(await snapshot(dir)).toBe(before);
  });

  it('fails on an unknown document', async () => {
    const dir = await library();
    await docId(dir);
    const run = await glossa(['highlight', 'abc', '--quote', 'x', '--tag', 'drugs', '--data-dir', dir]);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toMatch(/no document with id "abc"/);
  });

  it('fails clearly while another process holds the library', async () => {
    const dir = await library();
    const id = await docId(dir);
    const holder = await Library.open({ dataDir: dir, owner: 'glossa serve' });
    afterThisTest(() => holder.close());
    const run = await glossa([
      'highlight',
      id,
      '--quote',
      'Kabul',
      '--tag',
      'drugs',
      '--occurrence',
      '1',
      '--data-dir',
      dir,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/in use by glossa serve \(process \d+/);
  });
});

describe('glossa export', () => {
  async function withHighlights(): Promise<{ dir: string; id: string }> {
    const dir = await library();
    const id = await docId(dir);
    await glossa(['highlight', id, '--quote', 'combat drug traffickers', '--tag', 'drugs', '--data-dir', dir]);
    await glossa(['highlight', id, '--quote', 'has [mobilized] all', '--tag', 'security', '--data-dir', dir]);
    return { dir, id };
  }

  it('writes Markdown to stdout', async () => {
    const { dir, id } = await withHighlights();
    const run = await glossa(['export', id, '--format', 'md', '--data-dir', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^---\ntitle: "The Taliban, Russia and Afghanistan"\n/);
    expect(run.stdout.split('\n').filter((l) => l.startsWith('## '))).toEqual(['## security', '## drugs']);
    expect(run.stdout).toContain('> has \\[mobilized\\] all');
  });

  it('exports every document without an id, and only chosen tags with --tag', async () => {
    const { dir } = await withHighlights();
    const run = await glossa(['export', '--tag', 'drugs', '--data-dir', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter((l) => l.startsWith('## '))).toEqual(['## drugs']);
  });

  it('writes CSV (with --bom for Excel) and W3C Web Annotation JSON-LD', async () => {
    const { dir, id } = await withHighlights();
    const csv = await glossa(['export', id, '--format', 'csv', '--bom', '--data-dir', dir]);
    expect(csv.code).toBe(0);
    expect(
      csv.stdout.startsWith('\uFEFFdocument,title,date,paragraph,start,end,quote,tags,note,created,updated,coder\r\n'),
    ).toBe(true);
    expect(csv.stdout).toContain(',has [mobilized] all,security,');
    const jsonld = await glossa(['export', id, '--format', 'jsonld', '--tag', 'drugs', '--data-dir', dir]);
    const collection = JSON.parse(jsonld.stdout);
    expect(collection).toMatchObject({ type: 'AnnotationCollection', total: 1 });
    expect(collection.first.items[0].target.selector[0]).toMatchObject({
      type: 'TextQuoteSelector',
      exact: 'combat drug traffickers',
    });
  });

  it('writes Markdown in other layouts and with options', async () => {
    const { dir, id } = await withHighlights();
    const run = await glossa([
      'export',
      id,
      '--layout',
      'reading',
      '--no-notes',
      '--obsidian-tags',
      '--block-ids',
      '--deep-links',
      '--citation',
      '--data-dir',
      dir,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/^## /m);
    expect(run.stdout).toMatch(/^\^glossa-[0-9a-f-]+$/m);
    expect(run.stdout).toMatch(/¶ 4 · #drugs · \[Open in Glossa\]\(glossa:\/\/open\?doc=/);
    const bad = await glossa(['export', id, '--layout', 'grid', '--data-dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /--layout <layout>' argument 'grid' is invalid\. Allowed choices are tag, document, reading/,
    );
  });

  it('writes REFI-QDA .qdpx (to a file only) and .qdc, and imports them into a new library', async () => {
    const { dir, id } = await withHighlights();
    expect((await glossa(['export', '--format', 'qdpx', '--data-dir', dir])).stderr).toMatch(/give --out <file\.qdpx>/);
    const qdpx = join(dir, 'project.qdpx');
    expect((await glossa(['export', id, '--format', 'qdpx', '--out', qdpx, '--data-dir', dir])).code).toBe(0);
    const qdc = join(dir, 'codes.qdc');
    expect((await glossa(['export', '--format', 'qdc', '--out', qdc, '--data-dir', dir])).code).toBe(0);
    const { dir: other, cleanup } = await tempDir();
    afterThisTest(cleanup);
    const run = await glossa(['import', qdc, qdpx, '--data-dir', other]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/codes\.qdc: 0 highlights imported\n/);
    expect(run.stdout).toMatch(
      /project\.qdpx: \d+ highlights imported; 0 new documents|project\.qdpx: \d+ highlights imported/,
    );
    const md = await glossa(['export', id, '--data-dir', other]);
    expect(md.stdout).toContain('> combat drug traffickers');
  });

  it('imports W3C annotations onto a document chosen with --doc', async () => {
    const { dir, id } = await withHighlights();
    const jsonld = join(dir, 'a.jsonld');
    await glossa(['export', id, '--format', 'jsonld', '--out', jsonld, '--data-dir', dir]);
    const fresh = await library();
    const target = await docId(fresh);
    const wrong = await glossa(['import', jsonld, '--doc', 'nope', '--data-dir', fresh]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/a\.jsonld: annotation .* which is not in this library/);
    const run = await glossa(['import', jsonld, '--doc', target, '--json', '--data-dir', fresh]);
    expect(JSON.parse(run.stdout)[0]).toMatchObject({
      highlights: expect.any(Number),
      summary: expect.stringMatching(/highlights imported/),
    });
  });

  it('writes a file with --out', async () => {
    const { dir, id } = await withHighlights();
    const out = join(dir, 'notes.md');
    const run = await glossa(['export', id, '--out', out, '--data-dir', dir]);
    expect(run).toMatchObject({ code: 0, stdout: '' });
    expect(await readFile(out, 'utf8')).toMatch(/## drugs\n\n> combat drug traffickers\n\n— ¶ 4\n/);
  });

  it.each([
    [['--format', 'docx'], /Unknown format "docx"; available: md, csv, jsonld/],
    [['--tag', 'weather'], /Unknown tag "weather"/],
    [['nope'], /no document with id "nope"/],
    [['--out', '/nonexistent-dir/x.md'], /Could not write \/nonexistent-dir\/x.md: its folder does not exist/],
  ])('fails clearly on %j', async (args, message) => {
    const { dir, id } = await withHighlights();
    const withDoc = args[0] === 'nope' ? args : [id, ...args];
    const run = await glossa(['export', ...withDoc, '--data-dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
  });
});

describe('glossa serve', () => {
  it('prints exactly one line with the URL, serves, and on a signal exits 0 and releases the lock', async () => {
    const dir = await library();
    const controller = new AbortController();
    let announced: (line: string) => void = () => undefined;
    const line = new Promise<string>((resolve) => (announced = resolve));
    const running = glossa(['serve', '--no-open', '--data-dir', dir], {
      signal: controller.signal,
      onStdout: (s) => announced(s),
    });
    const printed = await line;
    expect(printed).toMatch(/^Glossa is running at http:\/\/127\.0\.0\.1:\d+\/\?launch=[\w-]+\n$/);
    const url = new URL(printed.trim().split(' ').at(-1) as string);
    // The launch address opens a session (a cookie), and the session opens the API.
    const launch = await fetch(url, { redirect: 'manual' });
    expect(launch.status).toBe(303);
    const session = (launch.headers.get('set-cookie') ?? '').split(';')[0];
    const res = await fetch(`${url.origin}/api/listDocuments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: session },
      body: '{}',
    });
    expect(res.status).toBe(200);
    controller.abort();
    const run = await running;
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(printed);
    expect(await readdir(dir)).not.toContain('glossa.lock');
  });

  it('rejects a bad port', async () => {
    const run = await glossa(['serve', '--port', '70000', '--no-open', '--data-dir', await library()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/port number/);
  });
});

describe('glossa usage', () => {
  it('explains an unknown command', async () => {
    const run = await glossa(['frobnicate']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('prints help and exits 0', async () => {
    const run = await glossa(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/highlight .*export .*serve/s);
  });
});

describe('glossa import', () => {
  it('imports .txt files, prints their ids, and recognises a second import', async () => {
    const dir = await library();
    const fixture = join(process.cwd(), 'e2e', 'fixtures', 'multiscript.txt');
    const first = await glossa(['import', fixture, '--data-dir', dir]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^[0-9a-f]{16}\n$/);
    const again = await glossa(['import', fixture, '--data-dir', dir]);
    expect(again.stdout).toMatch(/already in the library/);
    const docs = JSON.parse((await glossa(['docs', '--json', '--data-dir', dir])).stdout);
    expect(docs).toHaveLength(2);
    expect(docs[1]).toMatchObject({ date: '2022-03-01' });
  });

  it('imports Markdown, HTML, PDF and Word files with their metadata', async () => {
    const dir = await library();
    const { writeFile } = await import('node:fs/promises');
    const { makeDocx, makePdf } = await import('../test-support/sample-files');
    await writeFile(join(dir, 'a.md'), '---\ntitle: Notes\n---\nText.');
    await writeFile(join(dir, 'b.html'), '<title>Page</title><p>Body text.</p><script>x()</script>');
    await writeFile(
      join(dir, 'c.pdf'),
      await makePdf([{ lines: ['PDF text.'] }], { title: 'Paper', author: 'P. Author' }),
    );
    await writeFile(join(dir, 'd.docx'), await makeDocx({ title: 'Memo', creator: 'M. Writer' }));
    const files = ['a.md', 'b.html', 'c.pdf', 'd.docx'].map((n) => join(dir, n));
    const run = await glossa(['import', ...files, '--json', '--data-dir', dir]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).map((r: { title: string; added: boolean }) => [r.title, r.added])).toEqual([
      ['Notes', true],
      ['Page', true],
      ['Paper', true],
      ['Memo', true],
    ]);
    const docs = JSON.parse((await glossa(['docs', '--json', '--data-dir', dir])).stdout);
    expect(docs.find((d: { title: string }) => d.title === 'Paper')).toMatchObject({
      author: 'P. Author',
      source: 'c.pdf',
    });
    const plain = await glossa(['import', files[0], '--data-dir', dir]);
    expect(plain.stdout).toMatch(/^[0-9a-f]{16} {2}\(already in the library\)\n$/);
  });

  it('imports the good files, reports the bad ones with reasons, and exits 1', async () => {
    const dir = await library();
    const { writeFile } = await import('node:fs/promises');
    const files = {
      'empty.txt': '',
      'binary.txt': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
      'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9]),
      'notes.pdf': 'x',
      'slides.pptx': 'x',
      'good.txt': 'A short note.\n\nSecond paragraph.',
      'dtd.qdc': '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><CodeBook>&a;</CodeBook>',
      'broken.jsonld': '{"type": "AnnotationCollection", ',
    };
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
    const run = await glossa([
      'import',
      ...Object.keys(files).map((n) => join(dir, n)),
      join(dir, 'missing.txt'),
      '--json',
      '--data-dir',
      dir,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/empty\.txt: the file is empty/);
    expect(run.stderr).toMatch(/binary\.txt: the file is binary/);
    expect(run.stderr).toMatch(/latin1\.txt: the file is not valid UTF-8/);
    expect(run.stderr).toMatch(/notes\.pdf: the file is not a readable PDF/);
    expect(run.stderr).toMatch(/slides\.pptx: files of type \.pptx cannot be imported; Glossa reads \.txt/);
    expect(run.stderr).toMatch(/missing\.txt: the file does not exist/);
    expect(run.stderr).toMatch(/dtd\.qdc: the codebook declares a document type/);
    expect(run.stderr).toMatch(/broken\.jsonld: .*JSON/);
    expect(run.stderr).not.toMatch(/unexpected error/);
    const results = JSON.parse(run.stdout);
    expect(results.filter((r: { added?: boolean }) => r.added)).toHaveLength(1);
  });
});

describe('glossa import --replace (a corrected version)', () => {
  it('replaces the text and finds the highlights again, keeping orphans', async () => {
    const dir = await library();
    const id = await docId(dir);
    await glossa([
      'highlight',
      id,
      '--quote',
      'surrounded the Russian Embassy in Kabul',
      '--tag',
      'security',
      '--data-dir',
      dir,
    ]);
    await glossa(['highlight', id, '--quote', 'combat drug traffickers', '--tag', 'drugs', '--data-dir', dir]);
    await glossa(['highlight', id, '--quote', 'Their mission: to protect', '--tag', 'diplomacy', '--data-dir', dir]);
    const { readFile: read, writeFile } = await import('node:fs/promises');
    const original = await read(join(SEED_DIR, '000_6a4053b3925a4b14.txt'), 'utf8');
    const corrected = `Editor's note: corrected version.\n\n${original.replace('Embassy', 'embassy').replace('Their mission: to protect', 'They guarded')}`;
    const file = join(dir, 'corrected.txt');
    await writeFile(file, corrected);
    const run = await glossa(['import', file, '--replace', id, '--json', '--data-dir', dir]);
    expect(run.stderr).toBe('');
    const doc = await storedDocument(dir, id);
    const moved = doc.highlights.find((h) => h.approximate)!;
    expect(JSON.parse(run.stdout)).toEqual({ id, exact: 1, approximate: 1, orphaned: 1, toReview: [moved.id] });
    expect(moved.approximate).toEqual({ was: 'surrounded the Russian Embassy in Kabul' });
    expect(doc.text.startsWith("Editor's note")).toBe(true);
    const quotes = doc.highlights.map((h) => [h.target.quote.exact, h.orphan ?? false]);
    expect(quotes).toEqual([
      ['surrounded the Russian embassy in Kabul', false],
      ['combat drug traffickers', false],
      ['Their mission: to protect', true],
    ]);
    for (const h of doc.highlights.filter((x) => !x.orphan)) {
      expect(doc.text.slice(h.target.position.start, h.target.position.end)).toBe(h.target.quote.exact);
    }
  });

  it('refuses two files, a bad file or an unknown document, changing nothing', async () => {
    const dir = await library();
    const id = await docId(dir);
    const before = await snapshot(dir);
    const seed = join(SEED_DIR, '000_6a4053b3925a4b14.txt');
    expect((await glossa(['import', seed, seed, '--replace', id, '--data-dir', dir])).stderr).toMatch(
      /exactly one file/,
    );
    expect((await glossa(['import', join(dir, 'none.txt'), '--replace', id, '--data-dir', dir])).stderr).toMatch(
      /does not exist/,
    );
    expect((await glossa(['import', seed, '--replace', 'nope', '--data-dir', dir])).stderr).toMatch(
      /no document with id "nope"/,
    );
    expect(await snapshot(dir)).toBe(before);
  });
});
