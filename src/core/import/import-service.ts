import { GlossaError } from '../../shared/errors';
import type { ImportOutcome } from '../../shared/types';
import type { Library } from '../library';
import type { DocumentFile } from '../stored-schema';
import { documentFromPaste } from './document';
import { applyInterchange } from '../interchange/import-interchange';
import type { ParseRunner } from './parser-runner';

function refusal(fileName: string, error: unknown): ImportOutcome {
  // A parser's own failure on a strange file is that file's problem, not the batch's.
  if (error instanceof GlossaError) return { fileName, error: error.message, code: error.code };
  return { fileName, error: `the file could not be read (${(error as Error).message}).`, code: 'INVALID_INPUT' };
}

/**
 * Imports one file into the library and reports what happened in words, never by throwing: a
 * batch imports the good files and lists the others with their reasons. The file is parsed
 * completely (by `parse`, off the main thread in the app) before the library sees anything, and
 * the library checks everything before it writes, so a refused file changes nothing.
 */
export async function importInto(
  library: Library,
  fileName: string,
  read: () => Promise<Uint8Array> | Uint8Array,
  parse: ParseRunner,
  options: { documentId?: string } = {},
): Promise<ImportOutcome> {
  let parsed;
  try {
    parsed = await parse({ fileName, bytes: await read(), now: new Date().toISOString() });
  } catch (error) {
    return refusal(fileName, error);
  }
  try {
    if (parsed.kind === 'document') return await addBuilt(library, fileName, parsed.document);
    const outcome = await applyInterchange(library, parsed, options);
    return { fileName, summary: outcome.summary, highlights: outcome.highlights };
  } catch (error) {
    if (!(error instanceof GlossaError)) throw error;
    return refusal(fileName, error);
  }
}

/** Adds a pasted text as a new document. */
export async function importPasted(library: Library, text: string, title?: string): Promise<ImportOutcome> {
  const fileName = 'Pasted text';
  let doc: DocumentFile;
  try {
    doc = documentFromPaste(text, title, new Date());
  } catch (error) {
    return refusal(fileName, error);
  }
  try {
    return await addBuilt(library, fileName, doc);
  } catch (error) {
    if (!(error instanceof GlossaError)) throw error;
    return refusal(fileName, error);
  }
}

async function addBuilt(library: Library, fileName: string, doc: DocumentFile): Promise<ImportOutcome> {
  const { id, added } = await library.addDocument(doc);
  const title = added ? doc.meta.title : (library.summaryOf(id)?.title ?? doc.meta.title);
  return { fileName, id, title, added };
}
