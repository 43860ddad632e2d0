import { request } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterThisTest } from '../test-support/cleanup';
import { clientFromBridge } from '../shared/api';
import { createHttpBridge, TOKEN_HEADER } from '../shared/http-bridge';
import { PACKED_VIEW_MEDIA_TYPE } from '../shared/view-wire';
import { createHandlers } from '../core/handlers';
import { openTempLibrary } from '../test-support/temp-library';
import { startServer, type RunningServer } from './http-server';
import { connect } from 'node:net';
import type { Library } from '../core/library';
import { addHighlight } from '../test-support/at-revision';

async function setup(
  extra: Partial<Parameters<typeof startServer>[0]> = {},
): Promise<RunningServer & { library: Library }> {
  const t = await openTempLibrary();
  afterThisTest(t.cleanup);
  const staticDir = join(t.dir, 'static');
  await mkdir(join(staticDir, 'assets'), { recursive: true });
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>Glossa</title>');
  await writeFile(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(t.dir, 'secret.txt'), 'outside the static root');
  const server = await startServer({
    handlers: createHandlers(t.library),
    staticDir,
    subscribe: (listener) => t.library.subscribe(listener),
    ...extra,
  });
  afterThisTest(() => server.close());
  return { ...server, library: t.library };
}

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with full control of the Host header, which fetch does not allow. */
function raw(
  port: number,
  path: string,
  options: { method?: string; host?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = (token: string) => ({ 'content-type': 'application/json', [TOKEN_HEADER]: token });

describe('web mode server', () => {
  it('listens on loopback only and prints a one-time launch address that holds no session secret', async () => {
    const server = await setup();
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?launch=[\\w-]{20,}$`));
    expect(server.url).not.toContain(server.token);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
    expect(server.launchUrl()).not.toBe(server.url);
  });

  it('exchanges a launch code once for an HttpOnly, SameSite=Strict session cookie', async () => {
    const server = await setup();
    const path = new URL(server.url).pathname + new URL(server.url).search;
    const first = await raw(server.port, path);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/^glossa_session=[\w-]+; HttpOnly; SameSite=Strict; Path=\/$/);
    const session = cookie.split(';')[0];
    // The cookie opens the app and the API; a reload keeps it, with nothing secret in the address.
    const page = await raw(server.port, '/', { headers: { cookie: session } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Glossa</title>');
    const api = await raw(server.port, '/api/listDocuments', {
      method: 'POST',
      body: '{}',
      headers: { cookie: session, 'content-type': 'application/json' },
    });
    expect(api.status).toBe(200);
    // The code is spent: used again without the cookie, it explains instead of opening.
    const again = await raw(server.port, path);
    expect(again.status).toBe(401);
    expect(again.body).toMatch(/already been used/);
    expect(again.headers['set-cookie']).toBeUndefined();
  });

  it('shows a page saying the session is missing, never an empty library, without one', async () => {
    const server = await setup();
    const page = await raw(server.port, '/');
    expect(page.status).toBe(401);
    expect(page.body).toMatch(/Glossa needs a fresh link/);
    expect(page.body).toMatch(/glossa serve/);
    expect(page.body).not.toContain('<script');
    expect((await raw(server.port, '/?token=guess')).status).toBe(401);
  });

  it('refuses API calls from another origin even with a valid session (CSRF)', async () => {
    const server = await setup();
    const res = await raw(server.port, '/api/listDocuments', {
      method: 'POST',
      body: '{}',
      headers: { ...json(server.token), origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    const own = await raw(server.port, '/api/listDocuments', {
      method: 'POST',
      body: '{}',
      headers: { ...json(server.token), origin: `http://127.0.0.1:${server.port}` },
    });
    expect(own.status).toBe(200);
  });

  it('answers a malformed address with 400, not 500', async () => {
    const server = await setup();
    expect((await raw(server.port, '/%zz')).status).toBe(400);
    expect((await raw(server.port, '/assets/%E0%A4%A')).status).toBe(400);
  });

  it('makes a new token on every start', async () => {
    const a = await setup();
    const b = await setup();
    expect(a.token).not.toBe(b.token);
  });

  it('answers API calls with the token, through the same client the renderer uses', async () => {
    const server = await setup();
    const client = clientFromBridge(
      createHttpBridge({ token: server.token, baseUrl: `http://127.0.0.1:${server.port}` }),
    );
    const [doc] = await client.listDocuments({});
    const h = await addHighlight(client, { documentId: doc.id, start: 0, end: 10, tags: ['drugs'] });
    expect((await client.getDocument({ documentId: doc.id })).highlights).toEqual([h]);
    await expect(client.getDocument({ documentId: 'missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('sends a document packed only to a client that asks, and the renderer’s client unpacks it to the same view', async () => {
    const server = await setup();
    const client = clientFromBridge(
      createHttpBridge({ token: server.token, baseUrl: `http://127.0.0.1:${server.port}` }),
    );
    const [doc] = await client.listDocuments({});
    for (let i = 0; i < 20; i++)
      await addHighlight(client, { documentId: doc.id, start: i * 7, end: i * 7 + 30, tags: ['drugs'] });
    const view = (accept?: string) =>
      raw(server.port, '/api/getDocument', {
        method: 'POST',
        headers: { [TOKEN_HEADER]: server.token, 'content-type': 'application/json', ...(accept ? { accept } : {}) },
        body: JSON.stringify({ documentId: doc.id }),
      });
    const plain = await view();
    const packed = await view(`${PACKED_VIEW_MEDIA_TYPE}, application/json`);
    expect(JSON.parse(plain.body).value.packed).toBeUndefined();
    expect(JSON.parse(packed.body).value.packed).toBe(1);
    expect(packed.body.length).toBeLessThan(plain.body.length);
    expect(await client.getDocument({ documentId: doc.id })).toEqual(JSON.parse(plain.body).value);
  });

  it('refuses API calls without the token, or with a wrong one (401)', async () => {
    const server = await setup();
    const body = '{}';
    expect(
      (
        await raw(server.port, '/api/listDocuments', {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(401);
    const wrong = await raw(server.port, '/api/listDocuments', { method: 'POST', body, headers: json('x'.repeat(32)) });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it.each(['evil.example:80', 'localhost', '127.0.0.1', '127.0.0.1:1'])(
    'refuses a foreign Host %s (403), even with the token',
    async (host) => {
      const server = await setup();
      const api = await raw(server.port, '/api/listDocuments', {
        method: 'POST',
        body: '{}',
        host,
        headers: json(server.token),
      });
      expect(api.status).toBe(403);
      expect((await raw(server.port, '/', { host })).status).toBe(403);
    },
  );

  it('sends no CORS headers, even to a preflight', async () => {
    const server = await setup();
    const preflight = await raw(server.port, '/api/listDocuments', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const ok = await raw(server.port, '/api/listDocuments', {
      method: 'POST',
      body: '{}',
      headers: json(server.token),
    });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves the renderer with a strict Content-Security-Policy', async () => {
    const server = await setup();
    const page = await raw(server.port, '/', { headers: { cookie: `glossa_session=${server.token}` } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Glossa</title>');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'; script-src 'self'/);
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect((await raw(server.port, '/assets/app.js')).headers['content-type']).toMatch(/javascript/);
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt', '/nope.js'])(
    'serves nothing outside its folder: %s',
    async (path) => {
      const server = await setup();
      const res = await raw(server.port, path);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('outside the static root');
    },
  );

  it('rejects bad API requests with clear errors', async () => {
    const server = await setup();
    const post = (path: string, body: string, headers = json(server.token)) =>
      raw(server.port, path, { method: 'POST', body, headers });
    expect((await post('/api/noSuchMethod', '{}')).status).toBe(404);
    expect((await post('/api/toString', '{}')).status).toBe(404);
    expect((await post('/api/listDocuments', '{not json')).status).toBe(400);
    expect(
      (await post('/api/listDocuments', '{}', { [TOKEN_HEADER]: server.token, 'content-type': 'text/plain' })).status,
    ).toBe(415);
    expect((await post('/api/listDocuments', JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }))).status).toBe(413);
    // Imports carry whole files, so that one method takes up to 50 MB; the limit is per method.
    const text = 'A long pasted report. '.repeat(100_000);
    const imported = await post(
      '/api/importFile',
      JSON.stringify({ fileName: 'big.txt', data: Buffer.from(text).toString('base64') }),
    );
    expect(imported.status).toBe(200);
    expect(JSON.parse(imported.body).value).toMatchObject({ fileName: 'big.txt', added: true });
    const tooBig = await post(
      '/api/importFile',
      JSON.stringify({ fileName: 'x.txt', data: 'A'.repeat(71 * 1024 * 1024) }),
    );
    expect(tooBig.status).toBe(413);
    expect(JSON.parse(tooBig.body).error.message).toMatch(/larger than 67 MB/);
    const get = await raw(server.port, '/api/listDocuments', { headers: json(server.token) });
    expect(get.status).toBe(405);
    const invalid = await post('/api/createHighlight', JSON.stringify({ documentId: 'x', start: 'a' }));
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body).error.code).toBe('INVALID_INPUT');
  });

  it('streams every change to open pages as server-sent events, at once', async () => {
    const server = await setup();
    const events: string[] = [];
    const stream = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/events',
          headers: { host: `127.0.0.1:${server.port}`, cookie: `glossa_session=${server.token}` },
        },
        resolve,
      );
      req.on('error', reject);
      req.end();
    });
    expect(stream.headers['content-type']).toMatch(/text\/event-stream/);
    stream.on('data', (chunk: Buffer) => events.push(chunk.toString()));
    const [doc] = await server.library.listDocuments();
    const h = await addHighlight(server.library, { documentId: doc.id, start: 0, end: 10, tags: ['drugs'] });
    await expect.poll(() => events.join('')).toMatch(/^data: /m);
    const data = JSON.parse(/^data: (.*)$/m.exec(events.join(''))?.[1] ?? '{}');
    expect(data).toMatchObject({ documentId: doc.id, revision: 1, put: [{ id: h.id }] });
    stream.destroy();
    // Without a session there is no stream.
    expect((await raw(server.port, '/api/events')).status).toBe(401);
  });

  it('drops a client that trickles its headers (slowloris) and keeps answering others', async () => {
    const server = await setup({ headersTimeoutMs: 300 });
    const socket = connect(server.port, '127.0.0.1');
    const closed = new Promise<number>((resolve) => {
      const opened = Date.now();
      socket.on('close', () => resolve(Date.now() - opened));
    });
    socket.on('error', () => undefined);
    socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n`);
    const trickle = setInterval(() => socket.write('X-a: b\r\n'), 100);
    const ok = await raw(server.port, '/api/listDocuments', {
      method: 'POST',
      body: '{}',
      headers: json(server.token),
    });
    expect(ok.status).toBe(200);
    expect(await closed).toBeLessThan(5000);
    clearInterval(trickle);
  });
});
