import type { DocumentFile } from './stored-schema';

// A snapshot rewrites its document's whole file, and turning thousands of unchanged highlights
// (and a long text) into JSON and then UTF-8 again each time was most of the cost beyond the disk
// write itself. Highlights and paragraph lists are never changed in place — a change makes a new
// object — so each one's JSON is computed once and reused. They are frozen when first written, so
// any code that did change one in place would fail loudly instead of leaving stale data on disk.

const bytes = new WeakMap<object, Buffer>();
const texts = new Map<string, { text: string; bytes: Buffer }>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The UTF-8 JSON of an object that never changes, computed (and encoded) once. */
function once(value: object): Buffer {
  let out = bytes.get(value);
  if (out === undefined) {
    out = Buffer.from(JSON.stringify(deepFreeze(value)));
    bytes.set(value, out);
  }
  return out;
}

function textBytes(id: string, text: string): Buffer {
  const hit = texts.get(id);
  if (hit?.text === text) return hit.bytes;
  const out = Buffer.from(JSON.stringify(text));
  texts.set(id, { text, bytes: out });
  return out;
}

const COMMA = Buffer.from(',');
const TAIL = Buffer.from(']}\n');

/**
 * The bytes of JSON.stringify(doc) (up to the order of its keys) plus a newline, for a document
 * file: unchanged highlights, paragraphs and text are reused already encoded, so a snapshot
 * encodes only what changed.
 */
export function documentJson(doc: DocumentFile): Buffer {
  const { text, paragraphs, highlights, ...rest } = doc;
  const head = JSON.stringify(rest);
  const parts: Buffer[] = [
    Buffer.from(`${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"text":`),
    textBytes(doc.meta.id, text),
    Buffer.from(',"paragraphs":'),
    once(paragraphs),
    Buffer.from(',"highlights":['),
  ];
  highlights.forEach((h, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(once(h));
  });
  parts.push(TAIL);
  return Buffer.concat(parts);
}
