import { describeRange } from './anchoring';
import type { DocumentView, Highlight } from './types';

/**
 * A document view packed for the wire, losslessly: `unpackView(packView(v))` equals `v`.
 *
 * A highlight as JSON is ~400 bytes, and most of it repeats the text: its quote, the 32
 * characters either side, the selector type names, the document id. With 10,000 highlights on a
 * 1 MB text the view was 5 MB, four times the text, and receiving and parsing it was most of
 * what opening the document cost in the browser. Packed, a highlight is an array of what cannot
 * be derived — id, tags, note, times, offsets — and its quote is rebuilt from the text on arrival
 * (`describeRange`, the same rule that made it). Whatever does not fit that shape — a quote that
 * no longer matches the text at its offsets (an orphan, a fuzzy re-anchor), a prefix of another
 * length (imported from elsewhere), a field this code does not know — travels as the full object,
 * so nothing is ever lost or made up; packing checks each highlight rather than assuming.
 *
 * Used by the loopback HTTP transport when the client asks for it (`PACKED_VIEW_MEDIA_TYPE`);
 * Electron's IPC passes objects by structured clone and gains nothing from it.
 */
export const PACKED_VIEW_MEDIA_TYPE = 'application/vnd.glossa.packed-view+json';

/** id, tags, note, created, updated ('' when the same as created), start, end, and the coder if any. */
type PackedHighlight = [string, string[], string, string, string, number, number, string?];

export interface PackedView extends Omit<DocumentView, 'highlights'> {
  packed: 1;
  highlights: (PackedHighlight | Highlight)[];
}

const HIGHLIGHT_KEYS = 'created,documentId,id,note,tags,target,updated';
const HIGHLIGHT_KEYS_WITH_CODER = 'coder,created,documentId,id,note,tags,target,updated';
const TARGET_KEYS = 'position,quote';
const POSITION_KEYS = 'end,start,type';
const QUOTE_KEYS = 'exact,prefix,suffix,type';

const keysOf = (value: object) => Object.keys(value).sort().join();

function packs(h: Highlight, view: DocumentView): boolean {
  // '' stands for "updated when created", so a highlight whose updated is '' goes whole.
  const keys = keysOf(h);
  if (keys !== HIGHLIGHT_KEYS && !(keys === HIGHLIGHT_KEYS_WITH_CODER && typeof h.coder === 'string')) return false;
  if (h.documentId !== view.meta.id || h.updated === '') return false;
  const { position, quote } = h.target;
  if (keysOf(h.target) !== TARGET_KEYS || keysOf(position) !== POSITION_KEYS || keysOf(quote) !== QUOTE_KEYS)
    return false;
  const rebuilt = describeRange(view.text, position.start, position.end);
  return (
    position.type === rebuilt.position.type &&
    Number.isInteger(position.start) &&
    Number.isInteger(position.end) &&
    quote.type === rebuilt.quote.type &&
    quote.exact === rebuilt.quote.exact &&
    quote.prefix === rebuilt.quote.prefix &&
    quote.suffix === rebuilt.quote.suffix
  );
}

export function packView(view: DocumentView): PackedView {
  return {
    packed: 1,
    meta: view.meta,
    revision: view.revision,
    text: view.text,
    paragraphs: view.paragraphs,
    highlights: view.highlights.map((h): PackedHighlight | Highlight => {
      if (!packs(h, view)) return h;
      const packed: PackedHighlight = [
        h.id,
        h.tags,
        h.note,
        h.created,
        h.updated === h.created ? '' : h.updated,
        h.target.position.start,
        h.target.position.end,
      ];
      if (h.coder !== undefined) packed.push(h.coder);
      return packed;
    }),
  };
}

export function isPackedView(value: unknown): value is PackedView {
  return typeof value === 'object' && value !== null && (value as { packed?: unknown }).packed === 1;
}

export function unpackView(packed: PackedView): DocumentView {
  const { text } = packed;
  const documentId = packed.meta.id;
  return {
    meta: packed.meta,
    revision: packed.revision,
    text,
    paragraphs: packed.paragraphs,
    highlights: packed.highlights.map((h) => {
      if (!Array.isArray(h)) return h;
      const [id, tags, note, created, updated, start, end, coder] = h;
      return {
        id,
        documentId,
        tags,
        note,
        created,
        updated: updated === '' ? created : updated,
        ...(coder !== undefined ? { coder } : {}),
        target: describeRange(text, start, end),
      };
    }),
  };
}
