import { GlossaError } from '../../shared/errors';

/**
 * A server address as it may be stored and shown: http(s), no user name or password in it (those
 * travel in the Authorization header only), no trailing slash. An address with credentials in it
 * is refused rather than quietly stripped, so a password typed there is never written anywhere.
 */
export function serverAddress(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new GlossaError('INVALID_INPUT', `“${input}” is not a server address (e.g. https://couch.example.org).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GlossaError('INVALID_INPUT', 'The server address must start with http:// or https://.');
  }
  if (url.username || url.password) {
    throw new GlossaError(
      'INVALID_INPUT',
      'Put the user name in --user and the password in GLOSSA_PASSWORD (or type it when asked), not in the address.',
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** A project address `<server>/<db>` split at its last path segment. */
export function splitProjectUrl(input: string): { server: string; db: string } {
  const address = serverAddress(input);
  const cut = address.lastIndexOf('/');
  const db = decodeURIComponent(address.slice(cut + 1));
  if (cut < address.indexOf('//') + 2 || !db) {
    throw new GlossaError(
      'INVALID_INPUT',
      'Give the project as <server>/<database>, e.g. https://couch.example.org/fieldwork.',
    );
  }
  return { server: address.slice(0, cut), db };
}

interface PouchError {
  status?: number;
  name?: string;
  message?: string;
  code?: string;
  reason?: string;
  error?: string | boolean;
}

/**
 * What a failed replication means to the researcher. PouchDB reports an unreachable server as a
 * status-less error, HTTP failures with their status, and an answer that is not JSON as a parse
 * error; each becomes one sentence naming the server (never with credentials: the address has none).
 */
export function remoteError(
  cause: unknown,
  project: { server: string; db: string },
): { error: GlossaError; offline: boolean } {
  const e = (cause ?? {}) as PouchError;
  const where = `${project.server}/${project.db}`;
  const text = `${e.name ?? ''} ${e.message ?? ''} ${e.reason ?? ''} ${e.code ?? ''}`;
  if (e.status === 401 || e.status === 403) {
    return {
      error: new GlossaError('FORBIDDEN', `The server refused the user name or password for ${where}.`),
      offline: false,
    };
  }
  if (e.status === 404) {
    return {
      error: new GlossaError(
        'NOT_FOUND',
        `The project database is not on the server (${where}): it was deleted, or the name is wrong.`,
      ),
      offline: false,
    };
  }
  if (e.status !== undefined && e.status >= 500) {
    return {
      error: new GlossaError(
        'UNAVAILABLE',
        `The server failed (HTTP ${e.status}) at ${where}; nothing was lost, sync again later.`,
      ),
      offline: false,
    };
  }
  if (
    /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|ETIMEDOUT|fetch failed|Failed to fetch|socket hang up/i.test(
      text,
    ) ||
    e.status === 0
  ) {
    return {
      error: new GlossaError(
        'UNAVAILABLE',
        `Cannot reach ${project.server}: working offline; changes stay here until it can be reached.`,
      ),
      offline: true,
    };
  }
  if (/JSON|Unexpected token|unexpected end/i.test(text)) {
    return {
      error: new GlossaError(
        'UNAVAILABLE',
        `${project.server} answered with something that is not CouchDB's JSON; is it a CouchDB server?`,
      ),
      offline: false,
    };
  }
  return {
    error: new GlossaError('UNAVAILABLE', `Sync with ${where} failed: ${e.message ?? e.reason ?? 'unknown error'}.`),
    offline: false,
  };
}
