// The contract's method names alone, without their schemas: what the preload needs to build its
// bridge. Importing api.ts there would bundle zod into the preload (175 kB) for a list of names.
// api.ts proves at compile time that this list and its table name the same methods.

export const METHOD_NAMES = [
  'listDocuments',
  'getDocument',
  'updateDocument',
  'trashDocument',
  'restoreDocument',
  'emptyTrash',
  'getLastOpened',
  'setLastOpened',
  'importFile',
  'replaceDocumentText',
  'importText',
  'importWithDialog',
  'searchLibrary',
  'getCodebook',
  'createHighlight',
  'updateHighlight',
  'deleteHighlight',
  'restoreHighlight',
  'reattachHighlight',
  'reviewHighlight',
  'getCoder',
  'setCoder',
  'getAgreement',
  'listCoders',
  'getDisagreements',
  'adjudicate',
  'getProjectStatus',
  'shareProject',
  'joinProject',
  'syncProject',
  'setProjectBlind',
  'getConflicts',
  'resolveConflict',
  'editParagraph',
  'exportFile',
  'saveExport',
  'getNotices',
  'createTag',
  'updateTag',
  'mergeTags',
  'getTagUsage',
  'deleteTag',
  'revertCodebookChange',
  'queryPassages',
  'getAnalysis',
  'listQueries',
  'saveQuery',
  'deleteQuery',
  'getMemos',
  'setMemo',
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];

export function channelFor(name: MethodName): string {
  return `glossa:${name}`;
}

/** The IPC channel on which main tells every window that something changed. */
export const CHANGE_CHANNEL = 'glossa:changed';
