import { basename } from 'node:path';
import { parseInput, type Envelope, type MethodName, type Result, type ValidInput } from '../shared/api';
import { GlossaError, toErrorInfo } from '../shared/errors';
import { writeFileDurably } from './store/durable-file';
import { exportAs } from './export';
import type { ParseRunner } from './import/parser-runner';
import type { Library } from './library';
import { plain, Serialized } from './serialized';

/** What only a shell with a window can do; absent in web mode and the CLI. */
export interface DesktopHost {
  /** Asks the user where to save; null when they cancel. */
  chooseSavePath(defaultName: string): Promise<string | null>;
  /** Asks the user for files to import; empty when they cancel. */
  chooseImportFiles(): Promise<string[]>;
}

export interface HandlerOptions {
  host?: DesktopHost;
  /**
   * The built import worker (out/main/import-worker.js). Every shell passes it, so no file is
   * parsed on the thread that answers requests; tests of the handlers alone may leave it out.
   */
  importWorker?: string;
}

function needsDesktop(what: string): GlossaError {
  return new GlossaError('UNSUPPORTED', `${what} needs the desktop app.`);
}

/*
 * The parsers (pdf.js, jsdom, XML, YAML, zip) and the interchange formats are loaded on the first
 * import, not with the handlers: a command such as `glossa export` or `glossa docs` never needs
 * them, and loading and compiling them was most of its start-up (Node 20 keeps no compile cache).
 */
const importService = () => import('./import/import-service');

function lazyParseRunner(workerPath: string | undefined): ParseRunner {
  let runner: Promise<ParseRunner> | undefined;
  return async (request) => {
    runner ??= import('./import/parser-runner').then((m) =>
      workerPath ? m.workerRunner(workerPath) : m.inProcessRunner,
    );
    return (await runner)(request);
  };
}

export type Handlers = {
  [M in MethodName]: (input: ValidInput<M>) => Promise<Result<M> | Serialized<Result<M>>>;
};

/**
 * The contract's methods bound to one library: the single implementation every transport (IPC,
 * HTTP, CLI) calls, each through `invoke`, so every change passes the same validation.
 */
export function createHandlers(library: Library, options: HandlerOptions = {}): Handlers {
  const { host } = options;
  const parse = lazyParseRunner(options.importWorker);
  return {
    listDocuments: ({ trashed }) => library.listDocuments({ trashed }),
    getDocument: ({ documentId }) => library.getDocumentSerialized(documentId),
    updateDocument: (change) => library.updateDocument(change),
    trashDocument: ({ documentId }) => library.setTrashed(documentId, true),
    restoreDocument: ({ documentId }) => library.setTrashed(documentId, false),
    emptyTrash: () => library.emptyTrash(),
    getLastOpened: async () => ({ documentId: await library.getLastOpened() }),
    setLastOpened: async ({ documentId }) => {
      await library.setLastOpened(documentId);
      return { documentId };
    },
    importFile: async ({ fileName, data, documentId }) =>
      (await importService()).importInto(library, fileName, () => Buffer.from(data, 'base64'), parse, { documentId }),
    replaceDocumentText: async ({ documentId, fileName, data }) => {
      const parsed = await parse({ fileName, bytes: Buffer.from(data, 'base64'), now: new Date().toISOString() });
      if (parsed.kind !== 'document') {
        throw new GlossaError('INVALID_INPUT', `${fileName} holds annotations, not a new version of a document.`);
      }
      return library.replaceText(documentId, parsed.document);
    },
    importText: async ({ text, title }) => (await importService()).importPasted(library, text, title),
    importWithDialog: async () => {
      if (!host) throw needsDesktop('Importing with a dialog');
      const outcomes = [];
      const { importInto } = await importService();
      const { readImportFile } = await import('./import/import-file');
      for (const path of await host.chooseImportFiles()) {
        outcomes.push(await importInto(library, basename(path), async () => (await readImportFile(path)).bytes, parse));
      }
      return outcomes;
    },
    searchLibrary: ({ query }) => library.search(query),
    getCodebook: () => library.getCodebook(),
    createHighlight: (input) => library.createHighlight(input),
    updateHighlight: (input) => library.updateHighlight(input),
    deleteHighlight: ({ documentId, highlightId }) => library.deleteHighlight(documentId, highlightId),
    restoreHighlight: ({ highlight }) => library.restoreHighlight(highlight),
    reattachHighlight: (input) => library.reattachHighlight(input),
    reviewHighlight: (input) => library.reviewHighlight(input),
    getCoder: () => library.getCoder(),
    setCoder: (input) => library.setCoder(input),
    getAgreement: (input) => library.getAgreement(input),
    listCoders: () => library.listCoders(),
    getDisagreements: (input) => library.getDisagreements(input),
    adjudicate: (input) => library.adjudicate(input),
    getProjectStatus: () => library.getProjectStatus(),
    shareProject: (input) => library.shareProject(input),
    joinProject: (input) => library.joinProject(input),
    syncProject: (input) => library.syncProject(input),
    setProjectBlind: (input) => library.setProjectBlind(input),
    getConflicts: () => library.getConflicts(),
    resolveConflict: (input) => library.resolveConflict(input),
    editParagraph: (edit) => library.editParagraph(edit),
    exportFile: ({ scope, format, bom, formulaSafe, markdown, codebook }) =>
      exportAs(library, scope, format, { bom, formulaSafe, markdown, codebook }),
    saveExport: async ({ scope, format, bom, formulaSafe, markdown, codebook }) => {
      if (!host) throw needsDesktop('Saving with a dialog');
      const file = await exportAs(library, scope, format, { bom, formulaSafe, markdown, codebook });
      const path = await host.chooseSavePath(file.fileName);
      if (path === null) return { path: null };
      await writeFileDurably(path, file.encoding === 'base64' ? Buffer.from(file.content, 'base64') : file.content);
      return { path };
    },
    getNotices: async () => structuredClone(library.notices),
    createTag: (input) => library.createTag(input),
    updateTag: (input) => library.updateTag(input),
    mergeTags: (input) => library.mergeTags(input),
    getTagUsage: ({ tagId }) => library.tagUsage(tagId),
    deleteTag: (input) => library.deleteTag(input),
    revertCodebookChange: (input) => library.revertCodebookChange(input),
    queryPassages: (input) => library.queryPassages(input),
    getAnalysis: (input) => library.analyze(input),
    listQueries: () => library.listQueries(),
    saveQuery: (input) => library.saveQuery(input),
    deleteQuery: ({ queryId }) => library.deleteQuery(queryId),
    getMemos: () => library.getMemos(),
    setMemo: (input) => library.setMemo(input),
  };
}

/** Validates raw transport input and runs the method, answering with an envelope; never throws. */
export async function invoke(handlers: Handlers, name: MethodName, raw: unknown): Promise<Envelope<unknown>> {
  const envelope = await invokeSerialized(handlers, name, raw);
  return envelope.ok ? { ok: true, value: plain(envelope.value) } : envelope;
}

/** As invoke, but a result made as JSON already stays so (for the HTTP transport to send as is). */
export async function invokeSerialized(handlers: Handlers, name: MethodName, raw: unknown): Promise<Envelope<unknown>> {
  try {
    const input = parseInput(name, raw);
    const value = await (handlers[name] as (input: unknown) => Promise<unknown>)(input);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
}

/** Calls a method as a program does (the CLI, tests): validated, and a refusal thrown as GlossaError. */
export async function call<M extends MethodName>(handlers: Handlers, name: M, input: unknown): Promise<Result<M>> {
  const envelope = await invoke(handlers, name, input);
  if (envelope.ok) return envelope.value as Result<M>;
  throw new GlossaError(envelope.error.code, envelope.error.message);
}
