import { describe, expect, it } from 'vitest';
import { afterThisTest } from '../test-support/cleanup';
import { channelFor, methodNames } from '../shared/api';
import { openTempLibrary } from '../test-support/temp-library';
import { registerIpc, trustedPage, type IpcMainLike } from './ipc';
import { createHandlers } from '../core/handlers';

type Listener = Parameters<IpcMainLike['handle']>[1];

/** Electron's ipcMain stubbed at the very edge: it only records what is registered. */
async function registered() {
  const t = await openTempLibrary();
  afterThisTest(t.cleanup);
  const channels = new Map<string, Listener>();
  registerIpc(
    { handle: (channel, listener) => channels.set(channel, listener) },
    createHandlers(t.library),
    trustedPage('file:///app/out/renderer/index.html'),
  );
  const call = (name: string, url: string | null, input: unknown) =>
    (channels.get(channelFor(name as never)) as Listener)({ senderFrame: url === null ? null : { url } }, input);
  return { channels, call, library: t.library };
}

describe('IPC registration', () => {
  it('registers exactly one channel per contract method', async () => {
    const { channels } = await registered();
    expect([...channels.keys()].sort()).toEqual(methodNames.map(channelFor).sort());
  });

  it('answers Glossa’s own page', async () => {
    const { call } = await registered();
    const result = await call('listDocuments', 'file:///app/out/renderer/index.html#x', {});
    expect(result).toMatchObject({ ok: true, value: [expect.objectContaining({ date: '2021-10-26' })] });
  });

  it.each([null, 'https://evil.example/', 'file:///app/out/renderer/other.html', 'file:///tmp/index.html'])(
    'refuses a frame showing %s',
    async (url) => {
      const { call, library } = await registered();
      const [doc] = await await library.listDocuments();
      const result = await call('createHighlight', url, { documentId: doc.id, start: 0, end: 5, tags: ['security'] });
      expect(result).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'This page may not use Glossa.' } });
      expect((await library.getDocument(doc.id)).highlights).toEqual([]);
    },
  );

  it('validates input from a trusted page like every other transport', async () => {
    const { call } = await registered();
    const result = await call('createHighlight', 'file:///app/out/renderer/index.html', { start: 'x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe('trustedPage with a dev server', () => {
  it('trusts only the dev server origin', () => {
    const trusted = trustedPage('file:///x', 'http://localhost:5173/');
    expect(trusted('http://localhost:5173/index.html')).toBe(true);
    expect(trusted('http://localhost:5174/')).toBe(false);
    expect(trusted('not a url')).toBe(false);
  });
});
