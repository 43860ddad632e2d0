import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterThisTest } from '../test-support/cleanup';
import { api, methodNames, type MethodName } from '../shared/api';
import { openTempLibrary } from '../test-support/temp-library';
import { createHandlers, invoke, invokeSerialized } from './handlers';
import { Serialized } from './serialized';
import type { DocumentView } from '../shared/types';
import { addHighlight } from '../test-support/at-revision';

async function setup() {
  const t = await openTempLibrary();
  afterThisTest(t.cleanup);
  const handlers = createHandlers(t.library);
  const [doc] = await await t.library.listDocuments();
  const snapshot = async () =>
    (await readFile(join(t.dir, 'library.json'), 'utf8')) +
    (await readFile(join(t.dir, 'documents', `${doc.id}.json`), 'utf8'));
  return { ...t, handlers, docId: doc.id, snapshot };
}

describe('a document asked for again', () => {
  it('is answered from JSON made once per revision, equal to the document, and made again after a change', async () => {
    const { handlers, docId, library } = await setup();
    const first = await invokeSerialized(handlers, 'getDocument', { documentId: docId });
    const again = await invokeSerialized(handlers, 'getDocument', { documentId: docId });
    if (!first.ok || !again.ok) throw new Error('getDocument failed');
    expect(first.value).toBeInstanceOf(Serialized);
    expect(again.value).toBe(first.value);
    const served = first.value as Serialized<DocumentView>;
    expect(JSON.parse(served.json)).toEqual(JSON.parse(JSON.stringify(await library.getDocument(docId))));
    // Other transports get the plain value.
    expect(await invoke(handlers, 'getDocument', { documentId: docId })).toEqual({ ok: true, value: served.value });
    await addHighlight(library, { documentId: docId, start: 0, end: 12, tags: ['security'] });
    const changed = await invokeSerialized(handlers, 'getDocument', { documentId: docId });
    if (!changed.ok) throw new Error('getDocument failed');
    const view = JSON.parse((changed.value as Serialized<DocumentView>).json) as DocumentView;
    expect(view.highlights).toHaveLength(1);
    expect(view.revision).toBe(served.value.revision + 1);
  });
});

describe('the contract', () => {
  it('declares each method once, with a schema, and every handler implements exactly those', async () => {
    const { handlers } = await setup();
    expect(Object.keys(handlers).sort()).toEqual([...methodNames].sort());
    for (const name of methodNames) expect(typeof api[name].input.safeParse).toBe('function');
  });

  it('answers with a value envelope on good input', async () => {
    const { handlers, docId, library } = await setup();
    const doc = await library.getDocument(docId);
    const result = await invoke(handlers, 'createHighlight', {
      documentId: docId,
      revision: doc.revision,
      start: 0,
      end: 12,
      quote: doc.text.slice(0, 12),
      tags: ['security'],
    });
    expect(result).toMatchObject({ ok: true, value: { documentId: docId, tags: ['security'] } });
  });

  const bad: [MethodName, unknown, RegExp][] = [
    ['createHighlight', null, /documentId/],
    ['createHighlight', 'a string', /input/],
    ['createHighlight', { documentId: 'x', start: '0', end: 10, tags: ['security'] }, /start/],
    ['createHighlight', { documentId: 'x', start: 0, end: 10, tags: [] }, /at least one tag/],
    ['createHighlight', { documentId: 'x', start: -1, end: 10, tags: ['security'] }, /start must not be negative/],
    ['createHighlight', { documentId: 'x', start: 1.5, end: 10, tags: ['security'] }, /whole number/],
    [
      'createHighlight',
      { documentId: '../../etc/passwd', start: 0, end: 10, tags: ['security'] },
      /documentId may only hold/,
    ],
    ['createHighlight', { documentId: 'x', start: 0, end: 1, tags: ['security'], extra: true }, /extra/],
    ['createHighlight', { documentId: 'x', start: 0, end: 1, tags: ['security'], note: 'n'.repeat(20_001) }, /note/],
    ['createHighlight', { documentId: 'x', revision: 0, start: 0, end: 1, quote: '', tags: ['security'] }, /quote/],
    ['createHighlight', { documentId: 'x', revision: -1, start: 0, end: 1, quote: 'a', tags: ['a'] }, /revision/],
    ['editParagraph', { documentId: 'x', n: 1, text: 'New.' }, /revision/],
    ['replaceDocumentText', { documentId: 'x', fileName: 'a/b.txt', data: 'aGk=' }, /fileName/],
    ['updateHighlight', { documentId: 'x' }, /highlightId/],
    ['deleteHighlight', { documentId: 'x', highlightId: '' }, /must not be empty/],
    ['getDocument', { documentId: 42 }, /documentId/],
    ['updateDocument', { documentId: 'x', title: '   ' }, /title must not be empty/],
    ['updateDocument', { documentId: 'x', date: '2021-02-30' }, /date is not a real date/],
    ['updateDocument', { documentId: 'x', date: '26 Oct 2021' }, /date must be a date written YYYY-MM-DD/],
    ['importFile', { fileName: '../evil.txt', data: 'aGk=' }, /fileName must be a file name/],
    ['importFile', { fileName: 'a.txt', data: 'not base64!' }, /data is not base64/],
    ['importText', { text: 5 }, /text/],
    ['searchLibrary', { query: '  ' }, /query must not be empty/],
    ['trashDocument', { documentId: '' }, /documentId must not be empty/],
    ['exportFile', { scope: { tags: 'security' }, format: 'md' }, /tags/],
    ['exportFile', { scope: {}, format: 'docx' }, /format/],
    ['exportFile', { scope: {}, format: 'md', markdown: { layout: 'grid' } }, /layout/],
    ['listDocuments', { surprise: 1 }, /surprise/],
    ['setCoder', { coder: '   ' }, /coder must not be empty/],
    ['setCoder', { coder: 'x'.repeat(101) }, /coder must be at most 100 characters/],
    ['setCoder', {}, /coder/],
    ['getAgreement', { coders: ['Ana'] }, /coders needs at least two coders/],
    ['getAgreement', { coders: ['Ana', ''] }, /must not be empty/],
    ['reviewHighlight', { documentId: 'x', highlightId: 'y', decision: 'maybe' }, /decision/],
    ['createTag', { name: '' }, /name must not be empty/],
    ['createTag', { name: 'a\u0007b' }, /control characters/],
    ['createTag', { name: 'x'.repeat(101) }, /name is too long/],
    ['createTag', { name: 'x', color: '#12345' }, /colour written #rrggbb/],
    ['createTag', { name: 'x', shortcut: 'j' }, /reader's own keys/],
    ['createTag', { name: 'x', shortcut: '1' }, /one letter/],
    ['createTag', { name: 'x', parent: '../up' }, /parent may only hold/],
    ['createTag', { name: 'x', description: 'd'.repeat(20_001) }, /description is longer/],
    ['updateTag', { name: 'x' }, /tagId/],
    ['updateTag', { tagId: 'security', before: 5 }, /before/],
    ['mergeTags', { from: 'security' }, /into/],
    ['deleteTag', { tagId: '' }, /must not be empty/],
    ['revertCodebookChange', { changeId: 'x', direction: 'sideways' }, /direction/],
    ['queryPassages', { query: 'security and' }, /cannot be read: a code name was expected before the end/],
    ['queryPassages', { query: '' }, /query must not be empty/],
    ['queryPassages', { query: 'security', documentIds: ['a/b'] }, /documentIds/],
    ['exportFile', { scope: { query: '((security' }, format: 'md' }, /"\)" was expected/],
    ['saveQuery', { name: '', query: 'security' }, /name must not be empty/],
    ['setMemo', { target: { kind: 'code' }, text: 'x' }, /tagId/],
    ['setMemo', { target: { kind: 'journal' }, text: 'x' }, /kind/],
    ['setMemo', { target: { kind: 'project' }, text: 'x'.repeat(200_001) }, /too long/],
    ['updateDocument', { documentId: 'x', attributes: { '': 'x' } }, /attribute name must not be empty/],
    ['updateDocument', { documentId: 'x', attributes: { country: 5 } }, /attributes/],
    ['getAnalysis', { tags: 'security' }, /tags/],
  ];

  it.each(bad)('rejects %s(%j) with INVALID_INPUT and leaves the library unchanged', async (name, input, message) => {
    const { handlers, snapshot } = await setup();
    const before = await snapshot();
    const result = await invoke(handlers, name, input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INVALID_INPUT');
      expect(result.error.message).toMatch(message);
    }
    expect(await snapshot()).toBe(before);
  });

  it('reports domain errors (unknown document, unknown tag) with their codes', async () => {
    const { handlers, docId, snapshot } = await setup();
    const before = await snapshot();
    expect(await invoke(handlers, 'getDocument', { documentId: 'missing' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(
      await invoke(handlers, 'createHighlight', {
        documentId: docId,
        revision: 0,
        start: 0,
        end: 5,
        quote: 'x',
        tags: ['nope'],
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/Unknown tag "nope"/) },
    });
    expect(await invoke(handlers, 'exportFile', { scope: { tags: ['weather'] }, format: 'md' })).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/Unknown tag "weather"; the codebook has: security/),
      },
    });
    expect(await snapshot()).toBe(before);
  });

  it('imports a file sent as base64, and reports a bad one in the outcome without changing anything', async () => {
    const { handlers, snapshot } = await setup();
    const data = Buffer.from('# Notes\n\nA paragraph about Kabul.').toString('base64');
    const good = await invoke(handlers, 'importFile', { fileName: 'notes.md', data });
    expect(good).toMatchObject({ ok: true, value: { fileName: 'notes.md', title: 'Notes', added: true } });
    expect(await invoke(handlers, 'importFile', { fileName: 'notes.md', data })).toMatchObject({
      ok: true,
      value: { added: false, title: 'Notes' },
    });
    const before = await snapshot();
    const bad = await invoke(handlers, 'importFile', {
      fileName: 'x.pdf',
      data: Buffer.from('junk').toString('base64'),
    });
    expect(bad).toMatchObject({
      ok: true,
      value: { fileName: 'x.pdf', error: expect.stringMatching(/not a readable PDF/) },
    });
    expect(await snapshot()).toBe(before);
  });

  it('adds pasted text as a document with the title given, or refuses empty text', async () => {
    const { handlers, library } = await setup();
    const pasted = await invoke(handlers, 'importText', { text: 'Line one\n\nLine two', title: 'Clipping' });
    expect(pasted).toMatchObject({ ok: true, value: { title: 'Clipping', added: true } });
    const summary = (await library.listDocuments()).find((d) => d.title === 'Clipping');
    expect(summary).toMatchObject({ format: 'paste', titleSource: 'user', source: 'Pasted text' });
    expect(await invoke(handlers, 'importText', { text: '  \n ' })).toMatchObject({
      ok: true,
      value: { error: 'the pasted text is empty.' },
    });
  });

  it('refuses the import dialog where there is no desktop shell', async () => {
    const { handlers } = await setup();
    expect(await invoke(handlers, 'importWithDialog', {})).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
  });

  it('refuses the save dialog where there is no desktop shell', async () => {
    const { handlers } = await setup();
    expect(await invoke(handlers, 'saveExport', { scope: {}, format: 'md' })).toMatchObject({
      ok: false,
      error: { code: 'UNSUPPORTED' },
    });
  });

  it('saves through the desktop host, or not at all when the user cancels', async () => {
    const t = await setup();
    const target = join(t.dir, 'export.md');
    let answer: string | null = null;
    const handlers = createHandlers(t.library, {
      host: { chooseSavePath: async () => answer, chooseImportFiles: async () => [] },
    });
    expect(await invoke(handlers, 'saveExport', { scope: {}, format: 'md' })).toEqual({
      ok: true,
      value: { path: null },
    });
    answer = target;
    expect(await invoke(handlers, 'saveExport', { scope: {}, format: 'md' })).toEqual({
      ok: true,
      value: { path: target },
    });
    expect(await readFile(target, 'utf8')).toMatch(/^---\ntitle: /);
  });
});
