import type { Client } from '../shared/api';
import type { DocumentView, Highlight } from '../shared/types';
import { Library, type ReanchorReport } from '../core/library';
import { parseImport } from '../core/import/parse';
import { applyInterchange, type InterchangeOutcome } from '../core/interchange/import-interchange';

// Tests act as a client that has just read the document: these helpers read it, then name its
// current revision and the exact words, as the reader does (see the contract's seenRange).

type Either = Library | Client;

function read(target: Either, documentId: string): Promise<DocumentView> {
  return target instanceof Library ? target.getDocument(documentId) : target.getDocument({ documentId });
}

async function seen(target: Either, documentId: string, start: number, end: number) {
  const doc = await read(target, documentId);
  return { revision: doc.revision, start, end, quote: doc.text.slice(start, end) || ' ' };
}

export async function addHighlight(
  target: Either,
  input: { documentId: string; start: number; end: number; tags: string[]; note?: string },
): Promise<Highlight> {
  const full = { ...input, ...(await seen(target, input.documentId, input.start, input.end)) };
  return target instanceof Library ? target.createHighlight(full) : target.createHighlight(full);
}

export async function reattach(
  target: Either,
  input: { documentId: string; highlightId: string; start: number; end: number },
): Promise<Highlight> {
  const full = { ...input, ...(await seen(target, input.documentId, input.start, input.end)) };
  return target instanceof Library ? target.reattachHighlight(full) : target.reattachHighlight(full);
}

export async function editParagraph(
  target: Either,
  input: { documentId: string; n: number; text: string },
): Promise<ReanchorReport> {
  const full = { ...input, revision: (await read(target, input.documentId)).revision };
  return target instanceof Library ? target.editParagraph(full) : target.editParagraph(full);
}

/** Parses an interchange file in this thread and applies it, as the importFile handler does. */
export async function importInterchange(
  library: Library,
  fileName: string,
  bytes: Uint8Array,
  options: { documentId?: string } = {},
): Promise<InterchangeOutcome> {
  const parsed = await parseImport({ fileName, bytes, now: new Date().toISOString() });
  if (parsed.kind === 'document') throw new Error(`${fileName} is a document, not an interchange file`);
  return applyInterchange(library, parsed, options);
}
