import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { api, isMethodName } from '../shared/api';
import { TOKEN_HEADER } from '../shared/http-bridge';
import { invoke, type Handlers } from '../core/handlers';
import { SECURITY_HEADERS } from './security-headers';

const LOOPBACK = '127.0.0.1';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const STATUS_FOR: Record<string, number> = {
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LOCKED: 409,
  CORRUPT_FILE: 409,
  UNSUPPORTED: 501,
  FORBIDDEN: 403,
  INTERNAL: 500,
};

export interface ServerOptions {
  handlers: Handlers;
  /** The built renderer (index.html and assets). */
  staticDir: string;
  port?: number;
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { ok: false, error: { code, message } });
}

function tokensMatch(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Reads a JSON body up to `limit` bytes; a larger one is drained (so the client hears the 413) and refused. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () =>
      size > limit ? reject(new Error('too large')) : resolveBody(Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

/**
 * Web mode: the built renderer and the contract as `POST /api/<method>`, on loopback only. Every
 * request must name this exact host:port (defeats DNS rebinding), every API call must carry the
 * per-start token, and no CORS header is ever sent, so other sites can neither read nor call it.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const root = resolve(options.staticDir);
  let expectedHost = '';

  const handleApi = async (req: IncomingMessage, res: ServerResponse, name: string): Promise<void> => {
    if (!tokensMatch(req.headers[TOKEN_HEADER] as string | undefined, token)) {
      sendError(res, 401, 'UNAUTHORIZED', 'A valid Glossa session token is required.');
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Use POST for API calls.');
      return;
    }
    if (!isMethodName(name)) {
      sendError(res, 404, 'NOT_FOUND', `There is no API method "${name}".`);
      return;
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      sendError(res, 415, 'INVALID_INPUT', 'API calls must send JSON (Content-Type: application/json).');
      return;
    }
    let body: unknown;
    try {
      const text = await readBody(req, api[name].maxBodyBytes);
      body = text.length === 0 ? {} : JSON.parse(text);
    } catch (error) {
      const tooLarge = (error as Error).message === 'too large';
      sendError(
        res,
        tooLarge ? 413 : 400,
        'INVALID_INPUT',
        tooLarge
          ? `The request is larger than ${Math.round(api[name].maxBodyBytes / 1024 / 1024)} MB.`
          : 'The request body is not valid JSON.',
      );
      return;
    }
    const envelope = await invoke(options.handlers, name, body);
    sendJson(res, envelope.ok ? 200 : (STATUS_FOR[envelope.error.code] ?? 500), envelope);
  };

  const handleStatic = async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Only GET is allowed here.');
      return;
    }
    const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = resolve(join(root, normalize(relative)));
    if (file !== root && !file.startsWith(root + sep)) {
      sendError(res, 404, 'NOT_FOUND', 'Not found.');
      return;
    }
    try {
      const content = await readFile(file);
      send(res, 200, content, MIME[extname(file)] ?? 'application/octet-stream');
    } catch {
      sendError(res, 404, 'NOT_FOUND', 'Not found.');
    }
  };

  const server = createServer((req, res) => {
    if (req.headers.host !== expectedHost) {
      sendError(res, 403, 'FORBIDDEN', 'Glossa only answers requests addressed to its own loopback address.');
      return;
    }
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', `http://${expectedHost}`).pathname;
    } catch {
      sendError(res, 400, 'INVALID_INPUT', 'Bad request URL.');
      return;
    }
    const work = pathname.startsWith('/api/')
      ? handleApi(req, res, pathname.slice('/api/'.length))
      : handleStatic(req, res, pathname);
    work.catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', `Unexpected error: ${(error as Error).message}`);
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  expectedHost = `${LOOPBACK}:${port}`;
  return {
    url: `http://${expectedHost}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}
