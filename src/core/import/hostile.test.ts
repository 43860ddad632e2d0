import { deflateSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { afterThisTest } from '../../test-support/cleanup';
import { bundleForNode } from '../../test-support/bundle';
import { makeDocx, makeLyingZip } from '../../test-support/sample-files';
import { openTempLibrary } from '../../test-support/temp-library';
import { editParagraph } from '../../test-support/at-revision';
import { createHandlers, invoke } from '../handlers';
import { workerRunner, type ParseRunner } from './parser-runner';
import { documentFromText } from './document';

// Files built to make a parser spend what it must not: memory, time, stack. Each is parsed in the
// real import worker (bundled from src/core/import/worker.ts, as the app builds it) under a stated
// budget, and must be refused with a reason, or imported where it is legitimate, within that
// budget — while the same process keeps answering other calls.

const BUDGET = { heapMb: 256, seconds: 20, externalMb: 512 };
let workerPath = '';
let parse: ParseRunner;

beforeAll(async () => {
  workerPath = await bundleForNode('src/core/import/worker.ts', 'import-worker');
  parse = workerRunner(workerPath, BUDGET);
}, 60_000);

const request = (fileName: string, bytes: Uint8Array) => ({ fileName, bytes, now: new Date().toISOString() });

/** A one-page PDF whose content stream inflates to `inflated` bytes of zeros. */
function pdfBomb(inflated: number): Uint8Array {
  const stream = deflateSync(Buffer.alloc(inflated), { level: 9 });
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  const add = (s: string | Buffer) => parts.push(typeof s === 'string' ? Buffer.from(s, 'latin1') : s);
  const size = () => parts.reduce((n, p) => n + p.length, 0);
  add('%PDF-1.4\n');
  const object = (n: number, body: (string | Buffer)[]) => {
    offsets[n] = size();
    add(`${n} 0 obj\n`);
    for (const b of body) add(b);
    add('\nendobj\n');
  };
  object(1, ['<< /Type /Catalog /Pages 2 0 R >>']);
  object(2, ['<< /Type /Pages /Kids [3 0 R] /Count 1 >>']);
  object(3, ['<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>']);
  object(4, [`<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`, stream, '\nendstream']);
  const xref = size();
  add(`xref\n0 5\n0000000000 65535 f \n`);
  for (let n = 1; n <= 4; n++) add(`${String(offsets[n]).padStart(10, '0')} 00000 n \n`);
  add(`trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return new Uint8Array(Buffer.concat(parts));
}

/** A .docx whose body is `paragraphs` paragraphs of the same words: small packed, huge unpacked. */
async function docxWithBody(paragraphs: number): Promise<Uint8Array> {
  const body = '<w:p><w:r><w:t>The border was quiet that week.</w:t></w:r></w:p>'.repeat(paragraphs);
  const entries = fflateEntries(await makeDocx());
  entries['word/document.xml'] = strToU8(
    `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  );
  return zipSync(entries, { level: 9 });
}

function fflateEntries(zip: Uint8Array): Record<string, Uint8Array> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { unzipSync } = require('fflate') as typeof import('fflate');
  return unzipSync(zip);
}

describe('hostile files, parsed in the import worker', () => {
  it('a .docx whose directory claims 2 KB for an entry that inflates to 400 MB', async () => {
    const bomb = makeLyingZip('word/document.xml', 400 * 1024 * 1024);
    await expect(parse(request('bomb.docx', bomb))).rejects.toThrow(/more than 200 times its packed size/);
  });

  it('an honest .docx of a few hundred KB holding 50 MB of paragraph XML', async () => {
    const docx = await docxWithBody(750_000);
    expect(docx.length).toBeLessThan(1024 * 1024);
    await expect(parse(request('long.docx', docx))).rejects.toThrow(/times its packed size|larger than 50 MB/);
  });

  it('a .qdpx carrying a source larger than a direct import may be', async () => {
    const words = 'Envoys met at the border to discuss the opium trade. '.repeat(1_100_000);
    const qdpx = zipSync({ 'project.qde': strToU8('<Project/>'), 'sources/a.txt': strToU8(words) });
    await expect(parse(request('big.qdpx', qdpx))).rejects.toThrow(/larger than 50 MB|times its packed size/);
  });

  it('a PDF whose content stream inflates to 800 MB is stopped at the memory budget', async () => {
    const pdf = pdfBomb(800 * 1024 * 1024);
    expect(pdf.length).toBeLessThan(1024 * 1024);
    await expect(parse(request('bomb.pdf', pdf))).rejects.toThrow(/memory|no text layer|could not be read/);
    // The stopped worker is gone with what the file made; the next file gets a fresh one.
    await expect(parse(request('after.txt', strToU8('Plain words after a bomb.')))).resolves.toMatchObject({
      kind: 'document',
    });
  }, 60_000);

  it('HTML nested 100,000 deep, and 5,000 deep, is refused before any parser sees it', async () => {
    for (const depth of [100_000, 5_000]) {
      const html = `<html><body>${'<div>'.repeat(depth)}deep${'</div>'.repeat(depth)}</body></html>`;
      await expect(parse(request('deep.html', strToU8(html)))).rejects.toThrow(/nested more than 1000 levels/);
    }
    // Ordinary pages with unclosed paragraphs and scripts full of "<" still import.
    const page = `<html><body><script>for (var i=0;i<9;i++){}${'if(a<b){}'.repeat(3000)}</script>${'<p>Para'.repeat(3000)}</body></html>`;
    await expect(parse(request('ok.html', strToU8(page)))).resolves.toMatchObject({ kind: 'document' });
  });

  it('a .docx whose core properties are crafted against a pattern matcher', async () => {
    const entries = fflateEntries(await makeDocx({ title: 'Report' }));
    entries['docProps/core.xml'] = strToU8(
      `<cp:coreProperties xmlns:cp="c" xmlns:dc="d"><dc:title${' a="b"'.repeat(3000)}${'<'.repeat(20_000)}</cp:coreProperties>`,
    );
    const outcome = await parse(request('crafted.docx', zipSync(entries)));
    expect(outcome).toMatchObject({ kind: 'document' });
  });

  it('XML with a DOCTYPE (entity expansion) is refused by name', async () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><CodeBook>&lol2;</CodeBook>`;
    await expect(parse(request('codes.qdc', strToU8(laughs)))).rejects.toThrow(/declares a document type/);
  });

  it('UTF-16 (either byte order) and UTF-8 with a byte-order mark import as text', async () => {
    const text = 'Москва — talks on the border. 国境での会談。';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    be[0] = 0xfe;
    be[1] = 0xff;
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    for (const bytes of [le, be, utf8]) {
      const parsed = await parse(request('memo.txt', new Uint8Array(bytes)));
      expect(parsed.kind === 'document' && parsed.document.text).toBe(text);
    }
  });

  it('keeps answering other calls while a hostile file is being read', async () => {
    const t = await openTempLibrary();
    afterThisTest(t.cleanup);
    const handlers = createHandlers(t.library, { importWorker: workerPath });
    const bomb = Buffer.from(pdfBomb(300 * 1024 * 1024)).toString('base64');
    let importDone = false;
    const importing = invoke(handlers, 'importFile', { fileName: 'bomb.pdf', data: bomb }).then((r) => {
      importDone = true;
      return r;
    });
    const listed = await invoke(handlers, 'listDocuments', {});
    expect(listed.ok).toBe(true);
    expect(importDone).toBe(false);
    const outcome = await importing;
    expect(outcome).toMatchObject({ ok: true, value: { fileName: 'bomb.pdf', error: expect.any(String) } });
    expect((await t.library.listDocuments()).length).toBe(1);
  }, 60_000);
});

describe('work an input controls, without the worker', () => {
  it('a paragraph edit of 300,000 spaces between lines is linear', async () => {
    const t = await openTempLibrary();
    afterThisTest(t.cleanup);
    const [doc] = await t.library.listDocuments();
    const text = `Start${' '.repeat(150_000)}\n${' '.repeat(150_000)}end.`;
    const report = await editParagraph(t.library, { documentId: doc.id, n: 1, text });
    const p = report.document.paragraphs[0];
    expect(report.document.text.slice(p.start, p.end)).toBe(
      `Start${' '.repeat(150_000)} end.`.replace(/ +end/, ' end'),
    );
  }, 10_000);

  it('a library search over a 50 MB text stops at its limit and keeps memory flat', async () => {
    const t = await openTempLibrary();
    afterThisTest(t.cleanup);
    // 50 MB of text in which the word sought comes only at the very end, after every other word.
    const filler = 'Envoys met at the border to talk about the trade again.\n\n'.repeat(900_000);
    const doc = documentFromText(`${filler}Opium at last.`, 'big.txt', new Date());
    expect(doc.text.length).toBeGreaterThan(50_000_000);
    await t.library.addDocument(doc);
    const before = process.memoryUsage().rss;
    const hits = await t.library.search('Opium');
    expect(hits.filter((h) => h.documentId === doc.meta.id).map((h) => [h.field, h.context])).toEqual([
      ['text', 'Opium at last.'],
    ]);
    expect(process.memoryUsage().rss - before).toBeLessThan(300 * 1024 * 1024);
    expect(await t.library.search('border')).toHaveLength(200);
  }, 30_000);
});
