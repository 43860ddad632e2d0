import { z } from 'zod';
import { GlossaError, type ErrorInfo } from './errors';
import { highlightSchema } from './schemas';
import { isRealDate } from './plain-text';
import type { Codebook, DocumentSummary, DocumentView, Highlight, ImportOutcome, Notice, SearchHit } from './types';

// The one table of everything a front end may ask of Glossa. IPC handlers, the preload bridge, the
// HTTP routes and the renderer's client are all loops over `api`, so a method exists everywhere or
// nowhere, and every transport validates its input with the same schema.

const id = z
  .string()
  .min(1, 'must not be empty')
  .max(100, 'is too long')
  .regex(/^[A-Za-z0-9_-]+$/, 'may only hold letters, digits, "-" and "_"');
const offset = z.number().int('must be a whole number').min(0, 'must not be negative').max(1e9, 'is too large');
const tagList = z.array(id).min(1, 'needs at least one tag').max(50, 'has too many tags');
const note = z.string().max(20_000, 'is longer than 20,000 characters');
/** Export formats: Markdown, CSV, W3C Web Annotation JSON-LD, REFI-QDA project and codebook. */
export const EXPORT_FORMATS = ['md', 'csv', 'jsonld', 'qdpx', 'qdc'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
const scope = z.strictObject({
  documentIds: z.array(id).max(10_000).optional(),
  tags: z.array(id).max(50).optional(),
});

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine(isRealDate, 'is not a real date');
const shortText = (max: number) => z.string().trim().max(max, `is longer than ${max} characters`);
/** Base64 of at most 50 MB (the import limit), with room for the encoding's growth. */
const MAX_FILE_BASE64 = Math.ceil((50 * 1024 * 1024) / 3) * 4;

const exportRequest = z.strictObject({
  scope,
  format: z.enum(EXPORT_FORMATS),
  bom: z.boolean().optional(),
  formulaSafe: z.boolean().optional(),
  markdown: z
    .strictObject({
      layout: z.enum(['tag', 'document', 'reading']).optional(),
      notes: z.boolean().optional(),
      paragraphRefs: z.boolean().optional(),
      citation: z.boolean().optional(),
      obsidianTags: z.boolean().optional(),
      blockIds: z.boolean().optional(),
      deepLinks: z.boolean().optional(),
    })
    .optional(),
});

interface MethodSpec<S extends z.ZodType, R> {
  input: S;
  /** Methods that need a desktop shell (native dialogs) and are absent from web mode. */
  desktopOnly: boolean;
  /** The largest request the HTTP transport accepts for this method. */
  maxBodyBytes: number;
  /** Carries the result type only; never read at run time. */
  result?: R;
}

const method =
  <R>() =>
  <S extends z.ZodType>(
    input: S,
    options: { desktopOnly?: boolean; maxBodyBytes?: number } = {},
  ): MethodSpec<S, R> => ({
    input,
    desktopOnly: options.desktopOnly ?? false,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
  });

export interface ReanchorResult {
  document: DocumentView;
  exact: number;
  approximate: number;
  orphaned: number;
}

export interface ExportFile {
  fileName: string;
  mediaType: string;
  content: string;
  /** Binary files (.qdpx) travel as base64 text. */
  encoding?: 'base64';
  /** Something the person exporting should know (what a format could not hold). */
  notice?: string;
}

export const api = {
  /** The library (or, with `trashed`, the trash), from the index: counts per tag, no text. */
  listDocuments: method<DocumentSummary[]>()(z.strictObject({ trashed: z.boolean().optional() })),
  getDocument: method<DocumentView>()(z.strictObject({ documentId: id })),
  /** Corrects metadata; `null` clears an optional field. */
  updateDocument: method<DocumentSummary>()(
    z.strictObject({
      documentId: id,
      title: shortText(500).min(1, 'must not be empty').optional(),
      date: isoDay.nullable().optional(),
      source: shortText(500).optional(),
      author: shortText(500).nullable().optional(),
    }),
  ),
  trashDocument: method<DocumentSummary>()(z.strictObject({ documentId: id })),
  restoreDocument: method<DocumentSummary>()(z.strictObject({ documentId: id })),
  /** Deletes every trashed document for good; the UI asks first. */
  emptyTrash: method<{ deleted: string[] }>()(z.strictObject({})),
  /** The document to reopen on start, if it is still in the library. */
  getLastOpened: method<{ documentId: string | null }>()(z.strictObject({})),
  setLastOpened: method<{ documentId: string }>()(z.strictObject({ documentId: id })),
  /** Imports one file's bytes (base64); any refusal comes back in the outcome, not as an error. */
  importFile: method<ImportOutcome>()(
    z.strictObject({
      fileName: z
        .string()
        .min(1, 'must not be empty')
        .max(255, 'is too long')
        .refine((n) => !/[\\/]/.test(n), 'must be a file name, not a path'),
      data: z
        .string()
        .max(MAX_FILE_BASE64, 'is larger than 50 MB')
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'is not base64'),
    }),
    { maxBodyBytes: MAX_FILE_BASE64 + 4096 },
  ),
  /** Pasted text as a new document. */
  importText: method<ImportOutcome>()(
    z.strictObject({
      text: z.string().max(10_000_000, 'is longer than 10,000,000 characters'),
      title: shortText(500).optional(),
    }),
    { maxBodyBytes: 40 * 1024 * 1024 },
  ),
  /** Asks for files with the native dialog and imports them. */
  importWithDialog: method<ImportOutcome[]>()(z.strictObject({}), { desktopOnly: true }),
  /** Finds words in titles, texts and notes across the library. */
  searchLibrary: method<SearchHit[]>()(
    z.strictObject({ query: z.string().trim().min(1, 'must not be empty').max(500, 'is too long') }),
  ),
  getCodebook: method<Codebook>()(z.strictObject({})),
  createHighlight: method<Highlight>()(
    z.strictObject({ documentId: id, start: offset, end: offset, tags: tagList, note: note.optional() }),
  ),
  updateHighlight: method<Highlight>()(
    z.strictObject({ documentId: id, highlightId: id, tags: tagList.optional(), note: note.optional() }),
  ),
  deleteHighlight: method<{ deleted: string }>()(z.strictObject({ documentId: id, highlightId: id })),
  /** Puts back a highlight exactly as it was (undo of a delete or of a change). */
  restoreHighlight: method<Highlight>()(z.strictObject({ highlight: highlightSchema })),
  /** Attaches a highlight, typically an orphan, to a newly selected passage. */
  reattachHighlight: method<Highlight>()(
    z.strictObject({ documentId: id, highlightId: id, start: offset, end: offset }),
  ),
  /** Replaces one paragraph's text and re-anchors every highlight on the new text. */
  editParagraph: method<ReanchorResult>()(
    z.strictObject({
      documentId: id,
      n: z.number().int('must be a whole number').min(1, 'must be 1 or more'),
      text: z.string().min(1, 'must not be empty').max(1_000_000, 'is too long'),
    }),
  ),
  /** The scope of the library in one format, as a file to download or preview. */
  exportFile: method<ExportFile>()(exportRequest),
  /** Asks where to save (native dialog) and writes the export; `path` is null when cancelled. */
  saveExport: method<{ path: string | null }>()(exportRequest, { desktopOnly: true }),
  getNotices: method<Notice[]>()(z.strictObject({})),
} as const;

export type Api = typeof api;
export type MethodName = keyof Api;
export const methodNames = Object.keys(api) as MethodName[];

export type Input<M extends MethodName> = z.input<Api[M]['input']>;
export type ValidInput<M extends MethodName> = z.output<Api[M]['input']>;
export type Result<M extends MethodName> = NonNullable<Api[M]['result']>;

/** What crosses a transport: never a thrown error, so codes survive IPC and HTTP alike. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** The shape of `window.glossa`: one function per contract method, answering with an envelope. */
export type Bridge = { [M in MethodName]: (input: Input<M>) => Promise<Envelope<Result<M>>> };

/** The renderer's and tests' view: the same methods, resolving to results or throwing GlossaError. */
export type Client = { [M in MethodName]: (input: Input<M>) => Promise<Result<M>> };

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(api, name);
}

export function channelFor(name: MethodName): string {
  return `glossa:${name}`;
}

/** Validates raw input against a method's schema, turning the first problems into one sentence. */
export function parseInput<M extends MethodName>(name: M, raw: unknown): ValidInput<M> {
  const parsed = api[name].input.safeParse(raw ?? {});
  if (parsed.success) return parsed.data as ValidInput<M>;
  const problems = parsed.error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : 'input';
    return `${path} ${issue.message}`;
  });
  throw new GlossaError('INVALID_INPUT', `Invalid input for ${name}: ${problems.join('; ')}.`);
}

export function clientFromBridge(bridge: Bridge): Client {
  const client = {} as Record<MethodName, (input: unknown) => Promise<unknown>>;
  for (const name of methodNames) {
    client[name] = async (input: unknown) => {
      const envelope = await (bridge[name] as (input: unknown) => Promise<Envelope<unknown>>)(input);
      if (!envelope || typeof envelope !== 'object' || !('ok' in envelope)) {
        throw new GlossaError('INTERNAL', `Glossa gave no valid answer to ${name}.`);
      }
      if (envelope.ok) return envelope.value;
      throw new GlossaError(envelope.error.code, envelope.error.message);
    };
  }
  return client as Client;
}
