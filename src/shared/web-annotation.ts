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

// Reading annotations back: lenient about every shape the model allows (a collection, a page, a
// list, one annotation; bodies as IRIs, `bodyValue`, TextualBody or SpecificResource; targets as
// IRIs or SpecificResources; a selector or a list, refined by others), strict about what Glossa
// needs to keep (something to find the passage by), and explicit about what it leaves out.

const text = z.string().max(MAX_NOTE_CHARS);
const iriOrObject = z.union([z.string(), z.looseObject({ id: z.string().optional() })]);
interface RawSelector {
  type?: string;
  exact?: string;
  prefix?: string;
  suffix?: string;
  start?: number;
  end?: number;
  refinedBy?: RawSelector | RawSelector[];
}
const selector: z.ZodType<RawSelector> = z.lazy(() =>
  z.looseObject({
    type: z.string().optional(),
    exact: text.optional(),
    prefix: z.string().optional(),
    suffix: z.string().optional(),
    start: z.number().int('must be a whole number').nonnegative('must not be negative').optional(),
    end: z.number().int('must be a whole number').nonnegative('must not be negative').optional(),
    refinedBy: oneOrMany(selector).optional(),
  }),
);
const oneOrMany = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema)]);
const body = z.union([
  z.string(),
  z.looseObject({
    type: z.union([z.string(), z.array(z.string())]).optional(),
    purpose: z.union([z.string(), z.array(z.string())]).optional(),
    value: text.optional(),
    id: z.string().optional(),
    source: iriOrObject.optional(),
    items: z.array(z.unknown()).optional(),
  }),
]);
const target = z.union([
  z.string(),
  z.looseObject({
    id: z.string().optional(),
    source: iriOrObject.optional(),
    selector: oneOrMany(selector).optional(),
  }),
]);
const annotation = z.looseObject({
  id: z.string().min(1).optional(),
  type: z.union([z.literal('Annotation'), z.array(z.string()).refine((t) => t.includes('Annotation'))]),
  created: z.string().optional(),
  modified: z.string().optional(),
  body: oneOrMany(body).optional(),
  bodyValue: text.optional(),
  target: oneOrMany(target),
});
type RawAnnotation = z.infer<typeof annotation>;
type RawBody = z.infer<typeof body>;

const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const has = (value: string | string[] | undefined, wanted: string) => list(value).includes(wanted);
const idOf = (x: z.infer<typeof iriOrObject> | undefined) => (typeof x === 'string' ? x : x?.id);

function annotationsIn(data: unknown): unknown[] {
  if (Array.isArray(data)) return data;
  if (typeof data !== 'object' || data === null) return [data];
  const record = data as Record<string, unknown>;
  const first = record.first as Record<string, unknown> | undefined;
  if (first && typeof first === 'object' && Array.isArray(first.items)) return first.items;
  if (Array.isArray(record.items)) return record.items;
  // A collection with no annotations has no page at all.
  if (record.type === 'AnnotationCollection' && record.total === 0) return [];
  return [data];
}

/** One annotation read from a file: which document it names, and the highlight it describes. */
export interface IncomingAnnotation {
  /** The document id when the target is a Glossa document URN; else the source as written ('' for none). */
  source: string;
  glossaDocumentId?: string;
  highlight: IncomingHighlight;
  /** Position in code points, as written; converted once the document's text is known. */
  codePoints?: { start: number; end: number };
}

/** What a file held, and the annotations left out with the reason (there is no passage to find). */
export interface ParsedAnnotations {
  annotations: IncomingAnnotation[];
  skipped: { id: string; reason: string }[];
}

function describe(path: (string | number | symbol)[]): string {
  return path.length > 0 ? path.map(String).join('.') : 'the annotation';
}

/** Every selector of a target, refinements included (a FragmentSelector refined by a quote, say). */
function selectorsOf(top: RawSelector[]): { selector: RawSelector; refined: boolean }[] {
  const out: { selector: RawSelector; refined: boolean }[] = [];
  const walk = (s: RawSelector, refined: boolean, depth: number) => {
    out.push({ selector: s, refined });
    if (depth < 8) for (const r of list(s.refinedBy)) walk(r, true, depth + 1);
  };
  for (const s of top) walk(s, false, 0);
  return out;
}

/** Tags and note from the bodies: tagging bodies are tags; text and links are the note. */
function readBodies(bodies: RawBody[], bodyValue: string | undefined): { tagNames: string[]; note: string } {
  const tagNames: string[] = [];
  const notes: string[] = bodyValue?.trim() ? [bodyValue] : [];
  const visit = (b: RawBody | unknown, depth: number) => {
    if (typeof b === 'string') {
      notes.push(`<${b}>`);
      return;
    }
    const parsed = body.safeParse(b);
    if (!parsed.success || typeof parsed.data === 'string') return;
    const x = parsed.data;
    if (x.items && depth < 4) {
      // A Choice, List or Composite: what each of them says.
      for (const item of x.items) visit(item, depth + 1);
      return;
    }
    const value = x.value?.trim();
    if (value) {
      if (has(x.purpose, 'tagging')) tagNames.push(value);
      else notes.push(x.value as string);
      return;
    }
    // A SpecificResource or an External Web Resource: a link, kept in the note.
    const link = idOf(x.source) ?? x.id;
    if (link) notes.push(has(x.purpose, 'tagging') ? `Tag: <${link}>` : `<${link}>`);
  };
  for (const b of bodies) visit(b, 0);
  return { tagNames, note: notes.join('\n\n') };
}

/**
 * Parses a W3C Web Annotation JSON-LD file into annotations to anchor. An annotation with nothing
 * to find its passage by (no TextQuoteSelector, no TextPositionSelector) is left out and listed
 * in `skipped`; a file that is not annotations at all, or an annotation that breaks the model
 * (a negative offset, the same id twice), is refused with the annotation and the field named,
 * before anything is imported.
 */
export function parseWebAnnotations(raw: string): ParsedAnnotations {
  let data: unknown;
  try {
    data = JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new GlossaError('INVALID_INPUT', `the file is not valid JSON (${(error as Error).message}).`);
  }
  const items = annotationsIn(data);
  const seen = new Set<string>();
  const annotations: IncomingAnnotation[] = [];
  const skipped: ParsedAnnotations['skipped'] = [];
  items.forEach((item, index) => {
    const parsed = annotation.safeParse(item);
    const name =
      typeof item === 'object' && item && typeof (item as { id?: unknown }).id === 'string'
        ? (item as { id: string }).id
        : `#${index + 1}`;
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new GlossaError(
        'INVALID_INPUT',
        `annotation ${name} is not a W3C Web Annotation: ${describe(issue.path)} ${issue.message}.`,
      );
    }
    const a: RawAnnotation = parsed.data;
    if (a.body !== undefined && a.bodyValue !== undefined) {
      throw new GlossaError(
        'INVALID_INPUT',
        `annotation ${name} has both body and bodyValue, which the model forbids.`,
      );
    }
    // The first target that says where in a text it is; else the first one, for its source.
    const targets = list(a.target);
    const located = targets.find((t) => typeof t === 'object' && list(t.selector).length > 0) ?? targets[0];
    const source = typeof located === 'string' ? located : (idOf(located.source) ?? located.id ?? '');
    const selectors = typeof located === 'string' ? [] : selectorsOf(list(located.selector));
    const quote = selectors.find((s) => s.selector.type === 'TextQuoteSelector' && s.selector.exact)?.selector;
    // A position refining another selector counts from that selector's start, not the text's.
    const position = selectors.find(
      (s) =>
        !s.refined &&
        s.selector.type === 'TextPositionSelector' &&
        s.selector.start !== undefined &&
        s.selector.end !== undefined &&
        s.selector.start < s.selector.end,
    )?.selector;
    if (!quote?.exact && !position) {
      skipped.push({ id: name, reason: 'no TextQuoteSelector or TextPositionSelector' });
      return;
    }
    const id = idFor(a.id?.replace(/^urn:glossa:highlight:/, '') ?? `${source}#${index}`);
    if (seen.has(id)) throw new GlossaError('INVALID_INPUT', `annotation id ${name} appears twice.`);
    seen.add(id);
    const { tagNames, note } = readBodies(list(a.body), a.bodyValue);
    const glossaDocumentId = /^urn:glossa:document:([A-Za-z0-9_-]+)$/.exec(source)?.[1];
    annotations.push({
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
    });
  });
  if (annotations.length === 0 && skipped.length === 0) {
    throw new GlossaError('INVALID_INPUT', 'the file holds no annotations.');
  }
  return { annotations, skipped };
}
