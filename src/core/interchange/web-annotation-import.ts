import { offsetConverter, type OffsetConverter } from '../../shared/code-points';
import { GlossaError } from '../../shared/errors';
import type { IncomingAnnotation } from '../../shared/web-annotation';
import type { Library } from '../library';
import { applyImport, type InterchangeReport, type PlannedDocument } from './apply-import';

/**
 * Imports a W3C Web Annotation file. Annotations on Glossa documents (`urn:glossa:document:<id>`)
 * go to those documents; `documentId` sends every annotation to one document instead (for files
 * from other tools, whose sources Glossa cannot know).
 */
export async function importWebAnnotations(
  library: Library,
  annotations: IncomingAnnotation[],
  options: { documentId?: string } = {},
): Promise<InterchangeReport> {
  const byDocument = new Map<string, PlannedDocument & { offsets?: OffsetConverter }>();
  for (const a of annotations) {
    const documentId = options.documentId ?? a.glossaDocumentId;
    if (!documentId && !a.source) {
      throw new GlossaError(
        'INVALID_INPUT',
        `annotation ${a.highlight.id} names no document (its target has no source); choose the document to attach the annotations to.`,
      );
    }
    if (!documentId || !library.summaryOf(documentId)) {
      throw new GlossaError(
        'NOT_FOUND',
        `annotation ${a.highlight.id} is on ${a.source}, which is not in this library; import that document first, or choose the document to attach the annotations to.`,
      );
    }
    let planned = byDocument.get(documentId);
    if (!planned) {
      planned = { documentId, highlights: [] };
      byDocument.set(documentId, planned);
    }
    const highlight = { ...a.highlight };
    if (a.codePoints) {
      // One read and one converter per document, not per annotation.
      planned.offsets ??= offsetConverter((await library.readDocument(documentId)).text);
      const { offsets } = planned;
      highlight.position = { start: offsets.toUtf16(a.codePoints.start), end: offsets.toUtf16(a.codePoints.end) };
    }
    planned.highlights.push(highlight);
  }
  return applyImport(library, {
    documents: [...byDocument.values()].map(({ documentId, highlights }) => ({ documentId, highlights })),
  });
}
