import { GlossaError } from '../../shared/errors';
import type { ImportOutcome } from '../../shared/types';
import type { Library } from '../library';
import type { DocumentFile } from '../stored-schema';
import { documentFromPaste } from './document';
import { documentFromFile } from './import-file';
import { importInterchange, isInterchangeFile } from '../interchange/import-interchange';

/**
 * Imports one file into the library and reports what happened in words, never by throwing: a
 * batch imports the good files and lists the others with their reasons. Nothing is written for a
 * file that fails, because the document is built completely before the library sees it.
 */
export async function importInto(
  library: Library,
  fileName: string,
  read: () => Promise<Uint8Array> | Uint8Array,
  options: { documentId?: string } = {},
): Promise<ImportOutcome> {
  if (isInterchangeFile(fileName)) {
    try {
      const outcome = await importInterchange(library, fileName, await read(), options);
      return { fileName, summary: outcome.summary, highlights: outcome.highlights };
    } catch (error) {
      if (!(error instanceof GlossaError)) throw error;
      return { fileName, error: error.message, code: error.code };
    }
  }
  return addBuilt(library, fileName, async () => documentFromFile(fileName, await read(), new Date()));
}

/** Adds a pasted text as a new document. */
export function importPasted(library: Library, text: string, title?: string): Promise<ImportOutcome> {
  return addBuilt(library, 'Pasted text', async () => documentFromPaste(text, title, new Date()));
}

async function addBuilt(
  library: Library,
  fileName: string,
  build: () => Promise<DocumentFile>,
): Promise<ImportOutcome> {
  let doc: DocumentFile;
  try {
    doc = await build();
  } catch (error) {
    // A parser's own failure on a strange file is that file's problem, not the batch's.
    if (error instanceof GlossaError) return { fileName, error: error.message, code: error.code };
    return { fileName, error: `the file could not be read (${(error as Error).message}).`, code: 'INVALID_INPUT' };
  }
  try {
    const { id, added } = await library.addDocument(doc);
    const title = added ? doc.meta.title : (library.summaryOf(id)?.title ?? doc.meta.title);
    return { fileName, id, title, added };
  } catch (error) {
    if (!(error instanceof GlossaError)) throw error;
    return { fileName, error: error.message, code: error.code };
  }
}
