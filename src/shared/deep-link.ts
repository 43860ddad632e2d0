/**
 * `glossa://open?doc=<id>&highlight=<id>`: a link that opens a passage in Glossa, from Markdown
 * notes elsewhere. The desktop app registers the scheme; the web app takes the same request as
 * `#open?doc=…&highlight=…` in its address.
 */
export const SCHEME = 'glossa';

export interface OpenRequest {
  documentId: string;
  highlightId?: string;
}

const ID = /^[A-Za-z0-9_-]{1,100}$/;

export function deepLink(documentId: string, highlightId?: string): string {
  const query = new URLSearchParams({ doc: documentId, ...(highlightId ? { highlight: highlightId } : {}) });
  return `${SCHEME}://open?${query.toString()}`;
}

/** Reads an open request from a `glossa://open?…` URL or an `#open?…` hash; null for anything else. */
export function parseOpenRequest(link: string): OpenRequest | null {
  let query: string;
  if (link.startsWith('#open?')) query = link.slice('#open?'.length);
  else if (/^glossa:\/\/open\/?\?/i.test(link)) query = link.slice(link.indexOf('?') + 1);
  else return null;
  const params = new URLSearchParams(query);
  const documentId = params.get('doc') ?? '';
  const highlightId = params.get('highlight') ?? undefined;
  if (!ID.test(documentId) || (highlightId !== undefined && !ID.test(highlightId))) return null;
  return { documentId, ...(highlightId ? { highlightId } : {}) };
}
