import type { ValidInput } from '../shared/api';
import type { Highlight, Paragraph, Tag } from '../shared/types';
import * as catalog from './catalog';
import * as codebook from './codebook';
import * as memos from './memos';
import * as retrieval from './retrieval';
import * as coders from './coders';
import * as highlights from './highlights';
import { searchLibrary } from './search';
import type { DocumentFile } from './stored-schema';
import { LibraryStore } from './store/library-store';
import * as textEdits from './text-edits';
import { ProjectSync } from './sync/sync-loop';

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
  reviewHighlight = (input: ValidInput<'reviewHighlight'>) => highlights.reviewHighlight(this, input);
  getCoder = () => coders.getCoder(this);
  setCoder = (input: ValidInput<'setCoder'>) => coders.setCoder(this, input);
  getAgreement = (input: ValidInput<'getAgreement'>) => coders.agreement(this, input);
  listCoders = () => coders.listCoders(this);
  getDisagreements = (input: ValidInput<'getDisagreements'>) => coders.disagreements(this, input);
  adjudicate = (input: ValidInput<'adjudicate'>) => coders.adjudicate(this, input);
  /** The team project's one sync at a time, and its loop while the app runs. */
  readonly projectSync = new ProjectSync(this, this.dataDir);

  override async close(): Promise<void> {
    await this.projectSync.stop();
    await super.close();
  }

  getProjectStatus = async () => ({ project: await this.projectSync.status() });
  shareProject = (input: ValidInput<'shareProject'>) => this.projectSync.share(input);
  joinProject = (input: ValidInput<'joinProject'>) => this.projectSync.join(input);
  syncProject = (input: ValidInput<'syncProject'>) => this.projectSync.sync(input.password);
  setProjectBlind = (input: ValidInput<'setProjectBlind'>) => this.projectSync.setBlind(input.blind, input.password);
  getConflicts = () => this.projectSync.conflicts();
  resolveConflict = (input: ValidInput<'resolveConflict'>) => this.projectSync.resolve(input);
  updateHighlight = (change: ValidInput<'updateHighlight'>) => highlights.updateHighlight(this, change);
  deleteHighlight = (documentId: string, highlightId: string) =>
    highlights.deleteHighlight(this, documentId, highlightId);

  createTag = (input: ValidInput<'createTag'>) => codebook.createTag(this, input);
  updateTag = (input: ValidInput<'updateTag'>) => codebook.updateTag(this, input);
  mergeTags = (input: ValidInput<'mergeTags'>) => codebook.mergeTags(this, input);
  deleteTag = (input: ValidInput<'deleteTag'>) => codebook.deleteTag(this, input);
  tagUsage = (tagId: string) => codebook.tagUsage(this, tagId);
  revertCodebookChange = (input: ValidInput<'revertCodebookChange'>) => codebook.revertChange(this, input);

  queryPassages = (input: ValidInput<'queryPassages'>) => retrieval.queryPassages(this, input);
  queryHighlightIds = (input: { query: string; documentIds?: string[]; attributes?: Record<string, string> }) =>
    retrieval.queryHighlightIds(this, input);
  documentsWith = (documentIds: string[] | undefined, attributes: Record<string, string>) =>
    retrieval.documentsWith(this, documentIds, attributes);
  analyze = (input: ValidInput<'getAnalysis'>) => retrieval.analyze(this, input);
  getMemos = () => memos.getMemos(this);
  setMemo = (input: ValidInput<'setMemo'>) => memos.setMemo(this, input);
  listQueries = () => memos.listQueries(this);
  saveQuery = (input: ValidInput<'saveQuery'>) => memos.saveQuery(this, input);
  deleteQuery = (queryId: string) => memos.deleteQuery(this, queryId);

  editParagraph = (edit: ValidInput<'editParagraph'>) => textEdits.editParagraph(this, edit);
  replaceText = (documentId: string, replacement: { text: string; paragraphs: Paragraph[] }) =>
    textEdits.replaceText(this, documentId, replacement);
}
