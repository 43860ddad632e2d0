import type { DocumentFile } from './stored-schema';

// Saving a highlight rewrites its document's whole file, and turning thousands of unchanged
// highlights (and a long text) into JSON again on every key press was most of the time a save took
// beyond the disk write itself. Highlights and paragraph lists are never changed in place — a
// change makes a new object — so each one's JSON is computed once and reused. They are frozen when
// first written, so any code that did change one in place would fail loudly instead of leaving
// stale data on disk.

const json = new WeakMap<object, string>();
const texts = new Map<string, { text: string; json: string }>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function once(value: object): string {
  let out = json.get(value);
  if (out === undefined) {
    out = JSON.stringify(deepFreeze(value));
    json.set(value, out);
  }
  return out;
}

function textJson(id: string, text: string): string {
  const hit = texts.get(id);
  if (hit?.text === text) return hit.json;
  const out = JSON.stringify(text);
  texts.set(id, { text, json: out });
  return out;
}

/** The same JSON as JSON.stringify(doc) for a document file, reusing what has not changed. */
export function documentJson(doc: DocumentFile): string {
  return (
    `{"schemaVersion":${JSON.stringify(doc.schemaVersion)},"meta":${JSON.stringify(doc.meta)},` +
    `"text":${textJson(doc.meta.id, doc.text)},"paragraphs":${once(doc.paragraphs)},` +
    `"highlights":[${doc.highlights.map(once).join(',')}]}`
  );
}
