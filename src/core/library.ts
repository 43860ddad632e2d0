import type { ValidInput } from '../shared/api';
import type { Highlight, Paragraph, Tag } from '../shared/types';
import * as catalog from './catalog';
import * as highlights from './highlights';
import { searchLibrary } from './search';
import type { DocumentFile } from './stored-schema';
import { LibraryStore } from './store/library-store';
import * as textEdits from './text-edits';

export { DEFAULT_CODEBOOK, type LibraryEvent, type LibraryOptions } from './store/library-store';
export type { ReanchorReport } from './text-edits';
export { collapseLines } from './text-edits';

/**
 * The library every transport (IPC, HTTP, CLI) reaches through the handlers: the store (lock,
 * queue, cache, revisions, log, events) with each concern's operations from its own module.
 */
export class Library extends LibraryStore {
  getCodebook = () => catalog.getCodebook(this);
  listDocuments = (options: { trashed?: boolean } = {}) => catalog.listDocuments(this, options);
  getDocument = (documentId: string) => catalog.getDocument(this, documentId);
  getDocumentSerialized = (documentId: string) => catalog.getDocumentSerialized(this, documentId);
  readDocument = (documentId: string) => catalog.readDocument(this, documentId);
  consistentView = (documentIds: string[] | 'all', tags?: string[]) => catalog.consistentView(this, documentIds, tags);
  updateDocument = (change: ValidInput<'updateDocument'>) => catalog.updateDocument(this, change);
  setTrashed = (documentId: string, trashed: boolean) => catalog.setTrashed(this, documentId, trashed);
  emptyTrash = () => catalog.emptyTrash(this);
  getLastOpened = () => catalog.getLastOpened(this);
  setLastOpened = (documentId: string) => catalog.setLastOpened(this, documentId);
  addDocument = (doc: DocumentFile) => catalog.addDocument(this, doc);
  mergeImport = (input: {
    tags: Tag[];
    documents: { documentId: string; add?: DocumentFile; highlights: Highlight[] }[];
  }) => catalog.mergeImport(this, input);

  search = (query: string, limit?: number) => searchLibrary(this, query, limit);

  createHighlight = (input: ValidInput<'createHighlight'>) => highlights.createHighlight(this, input);
  restoreHighlight = (highlight: Highlight) => highlights.restoreHighlight(this, highlight);
  reattachHighlight = (input: ValidInput<'reattachHighlight'>) => highlights.reattachHighlight(this, input);
  updateHighlight = (change: ValidInput<'updateHighlight'>) => highlights.updateHighlight(this, change);
  deleteHighlight = (documentId: string, highlightId: string) =>
    highlights.deleteHighlight(this, documentId, highlightId);

  editParagraph = (edit: ValidInput<'editParagraph'>) => textEdits.editParagraph(this, edit);
  replaceText = (documentId: string, replacement: { text: string; paragraphs: Paragraph[] }) =>
    textEdits.replaceText(this, documentId, replacement);
}
