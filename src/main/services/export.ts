import { exportCsv } from '../../shared/csv-export';
import { GlossaError } from '../../shared/errors';
import { exportFileName, exportMarkdown } from '../../shared/markdown-export';
import type { Codebook, DocumentView } from '../../shared/types';
import { exportWebAnnotations } from '../../shared/web-annotation';
import type { ExportFile } from '../../shared/api';
import type { Library } from './library';

export interface ExportScope {
  /** Documents to export, in this order; every document when absent or empty. */
  documentIds?: string[];
  tags?: string[];
}

export const EXPORT_FORMATS = ['md', 'csv', 'jsonld'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The documents and codebook a scope names, checked: unknown tags and documents are refused. */
async function gather(library: Library, scope: ExportScope): Promise<{ docs: DocumentView[]; codebook: Codebook }> {
  const codebook = library.getCodebook();
  library.requireKnownTags(scope.tags ?? []);
  const ids =
    scope.documentIds && scope.documentIds.length > 0
      ? [...new Set(scope.documentIds)]
      : (await library.listDocuments()).map((d) => d.id);
  if (ids.length === 0) throw new GlossaError('NOT_FOUND', 'The library has no documents to export.');
  const docs = [];
  for (const id of ids) docs.push(await library.getDocument(id));
  return { docs, codebook };
}

/** Markdown for a scope of the library, as a file ready to save or download. */
export async function markdownExport(
  library: Library,
  scope: ExportScope,
  now: Date = new Date(),
): Promise<ExportFile> {
  return exportAs(library, scope, 'md', { now });
}

/** A scope of the library in any export format. */
export async function exportAs(
  library: Library,
  scope: ExportScope,
  format: ExportFormat,
  options: { now?: Date; bom?: boolean } = {},
): Promise<ExportFile> {
  const { docs, codebook } = await gather(library, scope);
  const now = options.now ?? new Date();
  if (format === 'csv') {
    return {
      fileName: exportFileName(docs, 'csv'),
      mediaType: 'text/csv; charset=utf-8',
      content: exportCsv(docs, codebook, { tags: scope.tags, bom: options.bom }),
    };
  }
  if (format === 'jsonld') {
    const label = docs.length === 1 ? docs[0].meta.title : 'Glossa export';
    const collection = exportWebAnnotations(docs, codebook, { tags: scope.tags, label });
    return {
      fileName: exportFileName(docs, 'jsonld'),
      mediaType: 'application/ld+json',
      content: `${JSON.stringify(collection, null, 2)}\n`,
    };
  }
  return {
    fileName: exportFileName(docs, 'md'),
    mediaType: 'text/markdown; charset=utf-8',
    content: exportMarkdown(docs, codebook, { tags: scope.tags, exported: now.toISOString() }),
  };
}
