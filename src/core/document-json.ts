import type { DocumentFile } from './stored-schema';

// Saving a highlight rewrites its document's whole file, and turning thousands of unchanged
// highlights (and a long text) into JSON and then UTF-8 again on every key press was most of the
// time a save took beyond the disk write itself. Highlights and paragraph lists are never changed in place — a
// change makes a new object — so each one's JSON is computed once and reused. They are frozen when
// first written, so any code that did change one in place would fail loudly instead of leaving
// stale data on disk.

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
 * The bytes of JSON.stringify(doc) plus a newline, for a document file: unchanged highlights,
 * paragraphs and text are reused already encoded, so a save encodes only what changed.
 */
export function documentJson(doc: DocumentFile): Buffer {
  const parts: Buffer[] = [
    Buffer.from(`{"schemaVersion":${JSON.stringify(doc.schemaVersion)},"meta":${JSON.stringify(doc.meta)},"text":`),
    textBytes(doc.meta.id, doc.text),
    Buffer.from(',"paragraphs":'),
    once(doc.paragraphs),
    Buffer.from(',"highlights":['),
  ];
  doc.highlights.forEach((h, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(once(h));
  });
  parts.push(TAIL);
  return Buffer.concat(parts);
}
