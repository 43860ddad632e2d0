import { parseInput, type Envelope, type MethodName, type Result, type ValidInput } from '../../shared/api';
import { GlossaError, toErrorInfo } from '../../shared/errors';
import { writeFileDurably } from './durable-file';
import { markdownExport } from './export';
import type { Library } from './library';

/** What only a shell with a window can do; absent in web mode and the CLI. */
export interface DesktopHost {
  /** Asks the user where to save; null when they cancel. */
  chooseSavePath(defaultName: string): Promise<string | null>;
}

export type Handlers = { [M in MethodName]: (input: ValidInput<M>) => Promise<Result<M>> };

/** The contract's methods bound to one library: the single implementation every transport calls. */
export function createHandlers(library: Library, host?: DesktopHost): Handlers {
  return {
    listDocuments: () => library.listDocuments(),
    getDocument: ({ documentId }) => library.getDocument(documentId),
    renameDocument: ({ documentId, title }) => library.renameDocument(documentId, title),
    getCodebook: async () => library.getCodebook(),
    createHighlight: (input) => library.createHighlight(input),
    updateHighlight: (input) => library.updateHighlight(input),
    deleteHighlight: ({ documentId, highlightId }) => library.deleteHighlight(documentId, highlightId),
    restoreHighlight: ({ highlight }) => library.restoreHighlight(highlight),
    reattachHighlight: (input) => library.reattachHighlight(input),
    editParagraph: (edit) => library.editParagraph(edit),
    exportMarkdown: (scope) => markdownExport(library, scope),
    saveMarkdown: async (scope) => {
      if (!host)
        throw new GlossaError(
          'UNSUPPORTED',
          'Saving with a dialog needs the desktop app; download the export instead.',
        );
      const file = await markdownExport(library, scope);
      const path = await host.chooseSavePath(file.fileName);
      if (path === null) return { path: null };
      await writeFileDurably(path, file.content);
      return { path };
    },
    getNotices: async () => structuredClone(library.notices),
  };
}

/** Validates raw transport input and runs the method, answering with an envelope; never throws. */
export async function invoke(handlers: Handlers, name: MethodName, raw: unknown): Promise<Envelope<unknown>> {
  try {
    const input = parseInput(name, raw);
    const value = await (handlers[name] as (input: unknown) => Promise<unknown>)(input);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
}
