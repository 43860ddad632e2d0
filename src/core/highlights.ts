import { randomUUID } from 'node:crypto';
import { anchorExact, describeRange, rangeProblem, trimRange } from '../shared/anchoring';
import type { ValidInput } from '../shared/api';
import { GlossaError } from '../shared/errors';
import type { Highlight } from '../shared/types';
import type { DocumentStore } from './store/document-store';
import type { LibraryStore } from './store/library-store';

// Highlights: made, changed, restored (undo), re-attached and deleted — each one logged change to
// one document, made on the revision the client saw (see locate).

/**
 * Where a client's range is on the current text. The client names the revision it saw and the
 * exact words it selected: on the current revision the words must be there (a mismatch means
 * the screen is not showing the stored text); on an older one the words are found again by their
 * quote and context, exactly — never applied at stale offsets.
 */
function locate(
  store: DocumentStore,
  input: { revision: number; start: number; end: number; quote: string; prefix?: string; suffix?: string },
): { start: number; end: number } {
  const state = store.state!;
  const { text } = state;
  if (input.revision > state.revision) {
    throw new GlossaError(
      'CONFLICT',
      `Revision ${input.revision} of this document does not exist (it is at ${state.revision}).`,
    );
  }
  if (input.revision === state.revision) {
    const problem = rangeProblem(text, input.start, input.end);
    if (problem) throw new GlossaError('INVALID_INPUT', `Cannot highlight: ${problem}.`);
    if (text.slice(input.start, input.end) !== input.quote) {
      throw new GlossaError(
        'CONFLICT',
        'The selected words are not the stored text at that place; the document was reloaded instead of saving.',
      );
    }
    return { start: input.start, end: input.end };
  }
  const found = anchorExact(text, {
    position: { type: 'TextPositionSelector', start: input.start, end: input.end },
    quote: { type: 'TextQuoteSelector', exact: input.quote, prefix: input.prefix ?? '', suffix: input.suffix ?? '' },
  });
  if (!found || !input.quote.trim()) {
    throw new GlossaError(
      'CONFLICT',
      'The document changed in another window and the selected words are no longer in it; nothing was saved.',
    );
  }
  return found;
}

/**
 * Adds a highlight. The range is trimmed of surrounding white space; if a highlight already
 * covers exactly that range, the tags are added to it instead of stacking a duplicate.
 */
export function createHighlight(lib: LibraryStore, input: ValidInput<'createHighlight'>): Promise<Highlight> {
  return lib.write(async () => {
    const tags = lib.requireKnownTags(input.tags);
    const store = await lib.loadDocument(input.documentId);
    const state = store.state!;
    const located = locate(store, input);
    const { start, end } = trimRange(state.text, located.start, located.end);
    const time = lib.now().toISOString();
    const coder = lib.index.data.coder;
    // Another coder's highlight on the same words stays theirs: this coder gets one of their own.
    const same = store.findByRange(start, end, coder);
    const result: Highlight = same
      ? {
          ...same,
          tags: [...new Set([...same.tags, ...tags])],
          note: input.note !== undefined && input.note.trim() ? input.note : same.note,
          updated: time,
        }
      : {
          id: randomUUID(),
          documentId: store.id,
          tags,
          note: input.note ?? '',
          created: time,
          updated: time,
          ...(coder ? { coder } : {}),
          target: describeRange(state.text, start, end),
        };
    await lib.commit(store, { put: [result] });
    return structuredClone(result);
  });
}

/**
 * Puts a highlight back exactly as it was (same id, tags, note and times): what undo needs.
 * Replaces a highlight with the same id, or adds it. Its quote is checked against the text, so
 * a stale copy cannot attach itself to the wrong passage.
 */
export function restoreHighlight(lib: LibraryStore, highlight: Highlight): Promise<Highlight> {
  return lib.write(async () => {
    const store = await lib.loadDocument(highlight.documentId);
    lib.requireKnownTags(highlight.tags);
    const { text } = store.state!;
    const { start, end } = highlight.target.position;
    const inPlace = text.slice(start, end) === highlight.target.quote.exact;
    if (!highlight.orphan && (!inPlace || rangeProblem(text, start, end))) {
      throw new GlossaError('CONFLICT', 'The highlight no longer matches the text, so it cannot be put back.');
    }
    const restored = structuredClone(highlight);
    await lib.commit(store, { put: [restored] });
    return structuredClone(restored);
  });
}

/** The highlight with this id in the document, or a NOT_FOUND error. */
function existing(store: DocumentStore, highlightId: string): Highlight {
  const found = store.state!.highlights.get(highlightId);
  if (!found) throw new GlossaError('NOT_FOUND', `There is no highlight "${highlightId}" in this document.`);
  return found;
}

/** Attaches a highlight (typically an orphan) to a newly selected passage. */
export function reattachHighlight(lib: LibraryStore, input: ValidInput<'reattachHighlight'>): Promise<Highlight> {
  return lib.write(async () => {
    const store = await lib.loadDocument(input.documentId);
    const current = existing(store, input.highlightId);
    const located = locate(store, input);
    const { start, end } = trimRange(store.state!.text, located.start, located.end);
    const { orphan: _orphan, approximate: _approximate, ...rest } = current;
    const next: Highlight = {
      ...rest,
      target: describeRange(store.state!.text, start, end),
      updated: lib.now().toISOString(),
    };
    await lib.commit(store, { put: [next] });
    return structuredClone(next);
  });
}

/** Accepts the passage a highlight was found on approximately, or makes it an orphan. */
export function reviewHighlight(lib: LibraryStore, input: ValidInput<'reviewHighlight'>): Promise<Highlight> {
  return lib.write(async () => {
    const store = await lib.loadDocument(input.documentId);
    const current = existing(store, input.highlightId);
    if (!current.approximate) {
      throw new GlossaError('CONFLICT', 'This highlight is not awaiting review: it was found where it was made.');
    }
    const { approximate, ...rest } = current;
    const next: Highlight = { ...rest, updated: lib.now().toISOString() };
    if (input.decision === 'orphan') {
      // The orphan stands for the passage it was made on, so it shows that quote again.
      next.orphan = true;
      next.target = { ...current.target, quote: { ...current.target.quote, exact: approximate.was } };
    }
    await lib.commit(store, { put: [next] });
    return structuredClone(next);
  });
}

export function updateHighlight(lib: LibraryStore, change: ValidInput<'updateHighlight'>): Promise<Highlight> {
  return lib.write(async () => {
    const store = await lib.loadDocument(change.documentId);
    const current = existing(store, change.highlightId);
    const next: Highlight = {
      ...current,
      tags: change.tags ? lib.requireKnownTags(change.tags) : current.tags,
      note: change.note ?? current.note,
      updated: lib.now().toISOString(),
    };
    await lib.commit(store, { put: [next] });
    return structuredClone(next);
  });
}

export function deleteHighlight(
  lib: LibraryStore,
  documentId: string,
  highlightId: string,
): Promise<{ deleted: string }> {
  return lib.write(async () => {
    const store = await lib.loadDocument(documentId);
    existing(store, highlightId);
    await lib.commit(store, { del: [highlightId] });
    return { deleted: highlightId };
  });
}
