import { describeRange } from '../shared/anchoring';
import type { ReanchorResult, ValidInput } from '../shared/api';
import { GlossaError } from '../shared/errors';
import { reanchor } from '../shared/reanchor';
import type { Highlight, Paragraph } from '../shared/types';
import type { LibraryStore } from './store/library-store';

// Changes to a document's text — one paragraph edited, or the whole text replaced by a corrected
// version — after which every highlight is found again: exactly, approximately, or kept as an
// orphan, never dropped.

/** What a text change did to the highlights: found where they were, found approximately, or lost. */
export type ReanchorReport = ReanchorResult;
type Counts = Omit<ReanchorResult, 'document'>;

/**
 * Replaces one paragraph's text (a typo fixed, say) and finds every highlight again on the new
 * text: exactly where it can, approximately where the passage itself changed, and otherwise keeps
 * it as an orphan — listed and exported, never dropped. Made on an older revision, it is refused:
 * it would undo the other change to the text.
 */
export function editParagraph(lib: LibraryStore, edit: ValidInput<'editParagraph'>): Promise<ReanchorReport> {
  return lib.write(async () => {
    const store = await lib.loadDocument(edit.documentId);
    const doc = store.state!;
    if (edit.revision !== doc.revision) {
      throw new GlossaError(
        'CONFLICT',
        'The document changed in another window since this edit began; it was reloaded and your edit was not applied.',
      );
    }
    const paragraph = doc.paragraphs.find((p) => p.n === edit.n);
    if (!paragraph) throw new GlossaError('NOT_FOUND', `The document has no ¶ ${edit.n}.`);
    const replacement = collapseLines(edit.text);
    if (!replacement) throw new GlossaError('INVALID_INPUT', 'A paragraph cannot be empty.');
    const delta = replacement.length - (paragraph.end - paragraph.start);
    const text = doc.text.slice(0, paragraph.start) + replacement + doc.text.slice(paragraph.end);
    const paragraphs = doc.paragraphs.map((p) =>
      p.n < edit.n
        ? p
        : p.n === edit.n
          ? { ...p, end: p.end + delta }
          : { ...p, start: p.start + delta, end: p.end + delta },
    );
    const { highlights, report } = reanchorAll(lib, doc.highlights.values(), text, (h) => {
      const { start, end } = h.target.position;
      return end <= paragraph.start ? start : start >= paragraph.end ? start + delta : undefined;
    });
    await lib.rewrite(store, { text, paragraphs, highlights });
    return { document: store.view(), ...report };
  });
}

/**
 * Replaces a document's whole text with a corrected version (a re-import) and finds every
 * highlight again on it, as editParagraph does for one paragraph. The document keeps its id,
 * title and highlights; those no longer found become orphans.
 */
export function replaceText(
  lib: LibraryStore,
  documentId: string,
  replacement: { text: string; paragraphs: Paragraph[] },
): Promise<ReanchorReport> {
  return lib.write(async () => {
    const store = await lib.loadDocument(documentId);
    if (!replacement.text) throw new GlossaError('INVALID_INPUT', 'The new version holds no text.');
    const { highlights, report } = reanchorAll(
      lib,
      store.state!.highlights.values(),
      replacement.text,
      () => undefined,
    );
    await lib.rewrite(store, { text: replacement.text, paragraphs: replacement.paragraphs, highlights });
    return { document: store.view(), ...report };
  });
}

/** Finds every highlight on a changed text: exactly, approximately, or as an orphan (kept). */
export function reanchorAll(
  lib: LibraryStore,
  list: Iterable<Highlight>,
  text: string,
  hintFor: (h: Highlight) => number | undefined,
): { highlights: Map<string, Highlight>; report: Counts } {
  const report: Counts = { exact: 0, approximate: 0, orphaned: 0, toReview: [] };
  const time = lib.now().toISOString();
  const highlights = new Map<string, Highlight>();
  for (const h of list) {
    const found = reanchor(text, h.target, h.orphan ? undefined : hintFor(h));
    if (!found) {
      report.orphaned++;
      // An orphan is listed for review already; what it resembled no longer matters.
      const { approximate: _approximate, ...rest } = h;
      highlights.set(h.id, h.orphan ? h : { ...rest, orphan: true, updated: time });
      continue;
    }
    const target = describeRange(text, found.start, found.end);
    if (!h.orphan && JSON.stringify(target) === JSON.stringify(h.target)) {
      report[h.approximate ? 'approximate' : 'exact']++;
      if (h.approximate) report.toReview.push(h.id);
      highlights.set(h.id, h);
      continue;
    }
    const { orphan: _orphan, ...rest } = h;
    // Found on other words: kept for review with the quote it was made on (the first one, if it
    // drifted twice before anyone looked).
    const approximate = found.approximate ? { was: h.approximate?.was ?? h.target.quote.exact } : h.approximate;
    report[approximate ? 'approximate' : 'exact']++;
    if (approximate) report.toReview.push(h.id);
    highlights.set(h.id, { ...rest, ...(approximate ? { approximate } : {}), target, updated: time });
  }
  return { highlights, report };
}

/**
 * A paragraph's new text on one line: line breaks with the spaces around them become one space.
 * A scan, not a regex: `\s*\n\s*` backtracks quadratically on long runs of spaces.
 */
export function collapseLines(text: string): string {
  const lines = text.split('\n');
  return lines
    .map((line, i) => {
      let s = line;
      if (i > 0) s = s.trimStart();
      if (i < lines.length - 1) s = s.trimEnd();
      return s;
    })
    .filter((line) => line !== '')
    .join(' ')
    .trim();
}
