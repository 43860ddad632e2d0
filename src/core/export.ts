import { exportCsv } from '../shared/csv-export';
import { GlossaError } from '../shared/errors';
import { exportFileName, exportMarkdown, type MarkdownChoices } from '../shared/markdown-export';
import { exportMarkdownCodebook } from '../shared/markdown-codebook';
import type { Codebook, DocumentView } from '../shared/types';
import { exportWebAnnotations } from '../shared/web-annotation';
import type { ExportFile, ExportFormat } from '../shared/api';
import type { Library } from './library';

export interface ExportScope {
  /** Documents to export, in this order; every document when absent or empty. */
  documentIds?: string[];
  tags?: string[];
  /** Only the highlights this Passages query finds. */
  query?: string;
  /** Only documents with these attribute values. */
  attributes?: Record<string, string>;
  /** Only these coders' highlights. */
  coders?: string[];
}

export { EXPORT_FORMATS, type ExportFormat } from '../shared/api';

export interface ExportOptions {
  now?: Date;
  /** CSV: a byte-order mark for Excel. */
  bom?: boolean;
  /** CSV: keep spreadsheets from running quoted text as formulas. */
  formulaSafe?: boolean;
  markdown?: MarkdownChoices;
  /** Markdown: the codebook itself (codes, descriptions, counts, examples) instead of the highlights. */
  codebook?: boolean;
}

/** The documents and codebook a scope names, checked: unknown tags and documents are refused. */
async function gather(library: Library, scope: ExportScope): Promise<{ docs: DocumentView[]; codebook: Codebook }> {
  const named = scope.documentIds && scope.documentIds.length > 0 ? scope.documentIds : undefined;
  const ids = scope.query
    ? await library.queryHighlightIds({ query: scope.query, documentIds: named, attributes: scope.attributes })
    : null;
  const documentIds = ids
    ? [...ids.keys()]
    : scope.attributes
      ? await library.documentsWith(named, scope.attributes)
      : (named ?? 'all');
  const view = await library.consistentView(documentIds, scope.tags);
  const { codebook } = view;
  let { docs } = view;
  if (ids) docs = docs.map((d) => ({ ...d, highlights: d.highlights.filter((h) => ids.get(d.meta.id)?.has(h.id)) }));
  if (scope.coders && scope.coders.length > 0) {
    const coders = new Set(scope.coders);
    docs = docs.map((d) => ({
      ...d,
      highlights: d.highlights.filter((h) => h.coder !== undefined && coders.has(h.coder)),
    }));
  }
  if (docs.length === 0) {
    throw new GlossaError(
      'NOT_FOUND',
      ids || scope.attributes
        ? 'Nothing in the library matches what was asked for.'
        : 'The library has no documents to export.',
    );
  }
  return { docs, codebook };
}

/** A scope of the library in any export format. Binary formats (.qdpx) come base64-encoded. */
export async function exportAs(
  library: Library,
  scope: ExportScope,
  format: ExportFormat,
  options: ExportOptions = {},
): Promise<ExportFile> {
  const now = options.now ?? new Date();
  if (format === 'qdc') {
    const { codebook } = await library.consistentView([], scope.tags);
    const only =
      scope.tags && scope.tags.length > 0 ? codebook.tags.filter((t) => scope.tags?.includes(t.id)) : codebook.tags;
    return {
      fileName: 'Glossa codebook.qdc',
      mediaType: 'application/xml',
      content: (await import('../shared/refi-qda')).exportCodebook({ tags: only }),
    };
  }
  if (format === 'md' && options.codebook) {
    const { docs, codebook } = await library.consistentView('all');
    return {
      fileName: 'Glossa codebook.md',
      mediaType: 'text/markdown; charset=utf-8',
      content: exportMarkdownCodebook(docs, codebook, { exported: now.toISOString(), memos: await library.getMemos() }),
    };
  }
  const { docs, codebook } = await gather(library, scope);
  if (format === 'csv') {
    return {
      fileName: exportFileName(docs, 'csv'),
      mediaType: 'text/csv; charset=utf-8',
      content: exportCsv(docs, codebook, { tags: scope.tags, bom: options.bom, formulaSafe: options.formulaSafe }),
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
  if (format === 'qdpx') {
    const name = docs.length === 1 ? docs[0].meta.title : 'Glossa export';
    // REFI-QDA's XML and zip code is loaded only for this format (see handlers.ts).
    const { qdpxBytes } = await import('./interchange/qdpx');
    const { bytes, orphansLeftOut } = qdpxBytes(docs, codebook, {
      name,
      tags: scope.tags,
      now,
      memos: await library.getMemos(),
    });
    return {
      ...(orphansLeftOut > 0
        ? {
            notice: `${orphansLeftOut} orphaned highlight${orphansLeftOut === 1 ? ' is' : 's are'} left out: REFI-QDA can only hold highlights with a place in the text.`,
          }
        : {}),
      fileName: exportFileName(docs, 'qdpx'),
      mediaType: 'application/zip',
      content: Buffer.from(bytes).toString('base64'),
      encoding: 'base64',
    };
  }
  return {
    fileName: exportFileName(docs, 'md'),
    mediaType: 'text/markdown; charset=utf-8',
    content: exportMarkdown(docs, codebook, {
      ...options.markdown,
      tags: scope.tags,
      exported: now.toISOString(),
      memoTexts: await library.getMemos(),
    }),
  };
}
