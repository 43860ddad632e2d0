import { GlossaError } from '../../shared/errors';
import { exportFileName, exportMarkdown } from '../../shared/markdown-export';
import type { ExportFile } from '../../shared/api';
import type { Library } from './library';

export interface ExportScope {
  /** Documents to export, in this order; every document when absent or empty. */
  documentIds?: string[];
  tags?: string[];
}

/** Markdown for a scope of the library, as a file ready to save or download. */
export async function markdownExport(
  library: Library,
  scope: ExportScope,
  now: Date = new Date(),
): Promise<ExportFile> {
  const codebook = library.getCodebook();
  for (const tag of scope.tags ?? []) {
    if (!codebook.tags.some((t) => t.id === tag)) {
      throw new GlossaError(
        'INVALID_INPUT',
        `Unknown tag "${tag}"; the codebook has: ${codebook.tags.map((t) => t.id).join(', ')}.`,
      );
    }
  }
  const ids =
    scope.documentIds && scope.documentIds.length > 0
      ? [...new Set(scope.documentIds)]
      : (await library.listDocuments()).map((d) => d.id);
  if (ids.length === 0) throw new GlossaError('NOT_FOUND', 'The library has no documents to export.');
  const docs = [];
  for (const id of ids) docs.push(await library.getDocument(id));
  return {
    fileName: exportFileName(docs, 'md'),
    mediaType: 'text/markdown; charset=utf-8',
    content: exportMarkdown(docs, codebook, { tags: scope.tags, exported: now.toISOString() }),
  };
}
