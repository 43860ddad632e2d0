import { z } from 'zod';
import { wholeContext } from './anchoring';
import { offsetConverter, type OffsetConverter } from './code-points';
import { GlossaError } from './errors';
import { MAX_NOTE_CHARS } from './limits';
import { idFor, type IncomingHighlight } from './interchange';
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

export interface AnnotationPage {
  id: string;
  type: 'AnnotationPage';
  /** The collection, described as the model's example does (and the W3C suite's checks expect). */
  partOf: { id: string; label: string; total: number };
  startIndex: number;
  items: WebAnnotation[];
}

/**
 * One page holds every annotation (the file is read whole), embedded as `first`; `last` names the
 * same page. With no annotations there is no page: `total: 0` and no `first` (model §5.1).
 */
export interface AnnotationCollection {
  '@context': string;
  id: string;
  type: 'AnnotationCollection';
  label: string;
  total: number;
  first?: AnnotationPage;
  last?: string;
}

function toAnnotation(h: Highlight, names: Map<string, string>, offsets: OffsetConverter): WebAnnotation {
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
    target: {
      source: documentUrn(h.documentId),
      selector: [
        {
          ...h.target.quote,
          // Never half a character at the edge: a lone surrogate is not valid UTF-8.
          prefix: wholeContext(h.target.quote.prefix, 'prefix'),
          suffix: wholeContext(h.target.quote.suffix, 'suffix'),
        },
        {
          type: 'TextPositionSelector',
          start: offsets.toCodePoints(h.target.position.start),
          end: offsets.toCodePoints(h.target.position.end),
        },
      ],
    },
  };
}

/**
 * Highlights as a W3C Web Annotation `AnnotationCollection`: a `tagging` body per tag (by name), a
 * `commenting` body for the note, and both a TextQuoteSelector and a TextPositionSelector, so
 * another tool can anchor by quote when positions drift. Positions count Unicode code points, as
 * the Web Annotation model defines them (Glossa stores UTF-16 offsets; they differ after emoji).
 */
export function exportWebAnnotations(
  docs: DocumentView[],
  codebook: Codebook,
  options: { tags?: string[]; label: string },
): AnnotationCollection {
  const names = new Map(codebook.tags.map((t) => [t.id, t.name]));
  const only = options.tags && options.tags.length > 0 ? new Set(options.tags) : null;
  const items = docs.flatMap((d) => {
    const offsets = offsetConverter(d.text);
    return [...d.highlights]
      .sort((a, b) => a.target.position.start - b.target.position.start || a.id.localeCompare(b.id))
      .filter((h) => !only || h.tags.some((t) => only.has(t)))
      .map((h) => toAnnotation(h, names, offsets));
  });
  const id = `urn:glossa:collection:${docs.map((d) => d.meta.id).join('+')}`;
  const collection: AnnotationCollection = {
    '@context': ANNO_CONTEXT,
    id,
    type: 'AnnotationCollection',
    label: options.label,
    total: items.length,
  };
  if (items.length === 0) return collection;
  const page = `${id}:page:1`;
  return {
    ...collection,
    first: {
      id: page,
      type: 'AnnotationPage',
      partOf: { id, label: options.label, total: items.length },
      startIndex: 0,
      items,
    },
    last: page,
  };
}

// Reading annotations back: lenient about the many shapes the model allows (a collection, a page,
// a list, one annotation; a selector or a list of them; a body or a list), strict about what
// Glossa needs (something to find the passage by).

const textual = z.looseObject({
  type: z.string().optional(),
  purpose: z.string().optional(),
  value: z.string().max(MAX_NOTE_CHARS).optional(),
});
const selector = z.looseObject({
  type: z.string(),
  exact: z.string().optional(),
  prefix: z.string().optional(),
  suffix: z.string().optional(),
  start: z.number().int().nonnegative().optional(),
  end: z.number().int().nonnegative().optional(),
});
const oneOrMany = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema)]);
const target = z.looseObject({ source: z.string().min(1), selector: oneOrMany(selector).optional() });
const annotation = z.looseObject({
  id: z.string().min(1).optional(),
  type: z.union([z.literal('Annotation'), z.array(z.string()).refine((t) => t.includes('Annotation'))]),
  created: z.string().optional(),
  modified: z.string().optional(),
  body: oneOrMany(textual).optional(),
  target: oneOrMany(z.union([target, z.string()])),
});
type RawAnnotation = z.infer<typeof annotation>;

const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

function annotationsIn(data: unknown): unknown[] {
  if (Array.isArray(data)) return data;
  if (typeof data !== 'object' || data === null) return [data];
  const record = data as Record<string, unknown>;
  const first = record.first as Record<string, unknown> | undefined;
  if (first && typeof first === 'object' && Array.isArray(first.items)) return first.items;
  if (Array.isArray(record.items)) return record.items;
  return [data];
}

/** One annotation read from a file: which document it names, and the highlight it describes. */
export interface IncomingAnnotation {
  /** The document id when the target is a Glossa document URN; else the source as written. */
  source: string;
  glossaDocumentId?: string;
  highlight: IncomingHighlight;
  /** Position in code points, as written; converted once the document's text is known. */
  codePoints?: { start: number; end: number };
}

function describe(path: (string | number | symbol)[]): string {
  return path.length > 0 ? path.map(String).join('.') : 'the file';
}

/**
 * Parses a W3C Web Annotation JSON-LD file into annotations to anchor. Any problem — not JSON,
 * not annotations, no quote or position, the same id twice — is a clear INVALID_INPUT error
 * naming the annotation, before anything is imported.
 */
export function parseWebAnnotations(raw: string): IncomingAnnotation[] {
  let data: unknown;
  try {
    data = JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new GlossaError('INVALID_INPUT', `the file is not valid JSON (${(error as Error).message}).`);
  }
  const items = annotationsIn(data);
  if (items.length === 0) throw new GlossaError('INVALID_INPUT', 'the file holds no annotations.');
  const seen = new Set<string>();
  return items.map((item, index) => {
    const parsed = annotation.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new GlossaError(
        'INVALID_INPUT',
        `annotation ${index + 1} is not a W3C Web Annotation: ${describe(issue.path)} ${issue.message}.`,
      );
    }
    const a: RawAnnotation = parsed.data;
    const name = a.id ?? `#${index + 1}`;
    const t = list(a.target).find((x) => typeof x === 'object') ?? list(a.target)[0];
    const source = typeof t === 'string' ? t : t.source;
    const selectors = typeof t === 'string' ? [] : list(t.selector);
    const quote = selectors.find((s) => s.type === 'TextQuoteSelector' && typeof s.exact === 'string');
    const position = selectors.find(
      (s) => s.type === 'TextPositionSelector' && s.start !== undefined && s.end !== undefined && s.start < s.end,
    );
    if (!quote?.exact && !position) {
      throw new GlossaError(
        'INVALID_INPUT',
        `annotation ${name} has neither a TextQuoteSelector nor a TextPositionSelector.`,
      );
    }
    const id = idFor(a.id?.replace(/^urn:glossa:highlight:/, '') ?? `${source}#${index}`);
    if (seen.has(id)) throw new GlossaError('INVALID_INPUT', `annotation id ${name} appears twice.`);
    seen.add(id);
    const bodies = list(a.body);
    const tagNames = bodies
      .filter((b) => b.purpose === 'tagging' && b.value?.trim())
      .map((b) => (b.value as string).trim());
    const note = bodies
      .filter((b) => b.purpose !== 'tagging' && b.value?.trim())
      .map((b) => b.value as string)
      .join('\n\n');
    const glossaDocumentId = /^urn:glossa:document:([A-Za-z0-9_-]+)$/.exec(source)?.[1];
    return {
      source,
      ...(glossaDocumentId ? { glossaDocumentId } : {}),
      highlight: {
        id,
        tagNames,
        note,
        created: a.created,
        updated: a.modified ?? a.created,
        ...(quote?.exact ? { quote: { exact: quote.exact, prefix: quote.prefix, suffix: quote.suffix } } : {}),
      },
      ...(position ? { codePoints: { start: position.start as number, end: position.end as number } } : {}),
    };
  });
}
