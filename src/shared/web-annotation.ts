import type { Codebook, DocumentView, Highlight } from './types';

/** The W3C Web Annotation JSON-LD context. */
export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';

export const documentUrn = (id: string) => `urn:glossa:document:${id}`;
export const highlightUrn = (id: string) => `urn:glossa:highlight:${id}`;

interface TextualBody {
  type: 'TextualBody';
  purpose: 'tagging' | 'commenting';
  value: string;
  format?: string;
}

export interface WebAnnotation {
  id: string;
  type: 'Annotation';
  motivation: 'tagging' | 'commenting';
  created: string;
  modified: string;
  body: TextualBody[];
  target: {
    source: string;
    selector: [Highlight['target']['quote'], Highlight['target']['position']];
  };
}

export interface AnnotationCollection {
  '@context': string;
  id: string;
  type: 'AnnotationCollection';
  label: string;
  total: number;
  first: { type: 'AnnotationPage'; items: WebAnnotation[] };
}

function toAnnotation(h: Highlight, names: Map<string, string>): WebAnnotation {
  const body: TextualBody[] = h.tags.map((t) => ({
    type: 'TextualBody',
    purpose: 'tagging',
    value: names.get(t) ?? t,
  }));
  if (h.note.trim()) body.push({ type: 'TextualBody', purpose: 'commenting', value: h.note, format: 'text/markdown' });
  return {
    id: highlightUrn(h.id),
    type: 'Annotation',
    motivation: 'tagging',
    created: h.created,
    modified: h.updated,
    body,
    target: { source: documentUrn(h.documentId), selector: [{ ...h.target.quote }, { ...h.target.position }] },
  };
}

/**
 * Highlights as a W3C Web Annotation `AnnotationCollection`: a `tagging` body per tag (by name), a
 * `commenting` body for the note, and both a TextQuoteSelector and a TextPositionSelector, so
 * another tool can anchor by quote when positions drift.
 */
export function exportWebAnnotations(
  docs: DocumentView[],
  codebook: Codebook,
  options: { tags?: string[]; label: string },
): AnnotationCollection {
  const names = new Map(codebook.tags.map((t) => [t.id, t.name]));
  const only = options.tags && options.tags.length > 0 ? new Set(options.tags) : null;
  const items = docs.flatMap((d) =>
    [...d.highlights]
      .sort((a, b) => a.target.position.start - b.target.position.start || a.id.localeCompare(b.id))
      .filter((h) => !only || h.tags.some((t) => only.has(t)))
      .map((h) => toAnnotation(h, names)),
  );
  return {
    '@context': ANNO_CONTEXT,
    id: `urn:glossa:collection:${docs.map((d) => d.meta.id).join('+')}`,
    type: 'AnnotationCollection',
    label: options.label,
    total: items.length,
    first: { type: 'AnnotationPage', items },
  };
}
