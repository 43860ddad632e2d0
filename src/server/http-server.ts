import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { api, isMethodName } from '../shared/api';
import { EVENTS_PATH, SESSION_COOKIE, TOKEN_HEADER } from '../shared/http-bridge';
import type { ChangeEvent } from '../shared/types';
import type { ErrorCode } from '../shared/errors';
import { invokeSerialized, type Handlers } from '../core/handlers';
import { Serialized } from '../core/serialized';
import { PACKED_VIEW_MEDIA_TYPE } from '../shared/view-wire';
import { SECURITY_HEADERS } from './security-headers';
import { noSessionPage } from './no-session-page';

const LOOPBACK = '127.0.0.1';
/** A comment line on every open event stream, so proxies and the browser keep it open. */
const HEARTBEAT_MS = 15_000;

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

const STATUS_FOR: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LOCKED: 409,
  CORRUPT_FILE: 409,
  READ_ONLY: 409,
  STORAGE: 507,
  UNSUPPORTED: 501,
  FORBIDDEN: 403,
  INTERNAL: 500,
  UNAVAILABLE: 502,
};

export interface ServerOptions {
  handlers: Handlers;
  /** The built renderer (index.html and assets). */
  staticDir: string;
  port?: number;
  token?: string;
  /** How long a client may take to send its headers (slowloris); 10 s unless a test says less. */
  headersTimeoutMs?: number;
  /** Where change events come from (the library); each open page hears them as server-sent events. */
  subscribe?: (listener: (event: ChangeEvent) => void) => () => void;
}

export interface RunningServer {
  /** A one-time launch address (see launchUrl); the one to print. */
  url: string;
  port: number;
  /** The session secret: in the HttpOnly cookie a launch sets, or in the x-glossa-token header. */
  token: string;
  /** A new one-time address that opens a session; it stops working once used. */
  launchUrl(): string;
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

function same(given: string | undefined, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
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
 * request must name this exact host:port (defeats DNS rebinding). A session starts from a one-time
 * launch code in the address (so the browser's command line, readable by any local user, holds
 * nothing reusable), which is exchanged for an HttpOnly, SameSite=Strict cookie: other sites can
 * neither send it nor read anything, since no CORS header is ever sent and a foreign Origin is
 * refused. Programs may send the session secret in a header instead.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const launchCodes = new Set<string>();
  const root = resolve(options.staticDir);
  let expectedHost = '';
  const streams = new Set<ServerResponse>();

  const authorized = (req: IncomingMessage): boolean =>
    same(req.headers[TOKEN_HEADER] as string | undefined, token) || same(cookie(req, SESSION_COOKIE), token);

  const handleApi = async (req: IncomingMessage, res: ServerResponse, name: string): Promise<void> => {
    if (!authorized(req)) {
      sendError(res, 401, 'UNAUTHORIZED', 'A valid Glossa session is required: open the address glossa serve printed.');
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${expectedHost}`) {
      sendError(res, 403, 'FORBIDDEN', 'Glossa does not answer requests from other sites.');
      return;
    }
    if (name === EVENTS_PATH) {
      openStream(req, res);
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Use POST for API calls.');
      return;
    }
    if (!isMethodName(name)) {
      sendError(res, 404, 'NOT_FOUND', `There is no API method "${name.slice(0, 100)}".`);
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
    const envelope = await invokeSerialized(options.handlers, name, body);
    if (envelope.ok && envelope.value instanceof Serialized) {
      // Glossa's own page asks for the packed form; any other program gets the plain one.
      const packed = (req.headers.accept ?? '').includes(PACKED_VIEW_MEDIA_TYPE) ? envelope.value.packed : undefined;
      send(res, 200, `{"ok":true,"value":${packed ?? envelope.value.json}}`, 'application/json; charset=utf-8');
      return;
    }
    sendJson(res, envelope.ok ? 200 : (STATUS_FOR[envelope.error.code] ?? 500), envelope);
  };

  /** Server-sent events: one `data:` line of JSON per change to the library. */
  const openStream = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Use GET for the event stream.');
      return;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      Connection: 'keep-alive',
    });
    res.write(': glossa events\n\n');
    streams.add(res);
    const beat = setInterval(() => res.write(': beat\n\n'), HEARTBEAT_MS);
    beat.unref();
    req.on('close', () => {
      clearInterval(beat);
      streams.delete(res);
    });
  };
  const unsubscribe = options.subscribe?.((event) => {
    const line = `data: ${JSON.stringify(event)}\n\n`;
    for (const res of streams) res.write(line);
  });

  const handleStatic = async (
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
    params: URLSearchParams,
  ): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Only GET is allowed here.');
      return;
    }
    if (pathname === '/' || pathname === '/index.html') {
      const code = params.get('launch');
      if (code !== null) {
        const valid = launchCodes.delete(code);
        if (valid || authorized(req)) {
          // The code is spent; the session lives in the cookie, and the address loses the code.
          res.writeHead(303, {
            ...SECURITY_HEADERS,
            Location: '/',
            'Set-Cookie': `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
            'Content-Length': 0,
          });
          res.end();
          return;
        }
      }
      if (!authorized(req)) {
        send(res, 401, noSessionPage(code !== null), 'text/html; charset=utf-8');
        return;
      }
    }
    let relative: string;
    try {
      relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    } catch {
      sendError(res, 400, 'INVALID_INPUT', 'Bad request URL.');
      return;
    }
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

  // Slow or stalled clients cannot hold connections open for ever (slowloris): their headers must
  // arrive within the timeout, which Node checks every connectionsCheckingInterval.
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const server = createServer(
    {
      headersTimeout,
      requestTimeout: 120_000,
      connectionsCheckingInterval: Math.min(1000, Math.max(50, headersTimeout / 4)),
    },
    (req, res) => {
      if (req.headers.host !== expectedHost) {
        sendError(res, 403, 'FORBIDDEN', 'Glossa only answers requests addressed to its own loopback address.');
        return;
      }
      let url: URL;
      try {
        url = new URL(req.url ?? '/', `http://${expectedHost}`);
      } catch {
        sendError(res, 400, 'INVALID_INPUT', 'Bad request URL.');
        return;
      }
      const work = url.pathname.startsWith('/api/')
        ? handleApi(req, res, url.pathname.slice('/api/'.length))
        : handleStatic(req, res, url.pathname, url.searchParams);
      work.catch((error: unknown) => {
        if (!res.headersSent) sendError(res, 500, 'INTERNAL', `Unexpected error: ${(error as Error).message}`);
      });
    },
  );

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  expectedHost = `${LOOPBACK}:${port}`;
  const launchUrl = (): string => {
    const code = randomBytes(18).toString('base64url');
    launchCodes.add(code);
    return `http://${expectedHost}/?launch=${code}`;
  };
  return {
    url: launchUrl(),
    port,
    token,
    launchUrl,
    close: () =>
      new Promise<void>((resolveClose) => {
        unsubscribe?.();
        for (const res of streams) res.end();
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}
