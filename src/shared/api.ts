import { z } from 'zod';
import { GlossaError, type ErrorInfo } from './errors';
import {
  MAX_FILE_BASE64,
  MAX_ATTRIBUTE_KEY_CHARS,
  MAX_IMPORT_LABEL,
  MAX_MEMO_CHARS,
  MAX_PASSAGE_PAGE,
  MAX_QUERY_CHARS,
  MAX_META_CHARS,
  MAX_PARAGRAPH_EDIT_CHARS,
  MAX_PASTE_CHARS,
  MAX_SEARCH_QUERY_CHARS,
  MAX_TAGS_PER_HIGHLIGHT,
  MAX_TEXT_CHARS,
} from './limits';
import { METHOD_NAMES, channelFor, type MethodName } from './method-names';
import {
  attributesSchema,
  colorSchema,
  highlightSchema,
  idSchema,
  noteSchema,
  offsetSchema,
  shortcutSchema,
  tagDescriptionSchema,
  tagListSchema,
  tagNameSchema,
  coderSchema,
} from './schemas';
import { queryProblem } from './query';
import type { ProjectConflict, ProjectStatus, SyncReport } from './project-docs';
import type { Disagreement } from './disagreements';

import { isRealDate } from './plain-text';
import { MARKDOWN_FLAGS, MARKDOWN_LAYOUTS, type MarkdownFlag } from './markdown-export';
import type {
  AgreementReport,
  Analysis,
  ChangeEvent,
  Codebook,
  CodebookResult,
  Memos,
  PassagePage,
  TagUsage,
  DocumentSummary,
  DocumentView,
  Highlight,
  ImportOutcome,
  Memo,
  Notice,
  SavedQuery,
  SearchHit,
} from './types';

// The one table of everything a front end may ask of Glossa. IPC handlers, the preload bridge, the
// HTTP routes and the renderer's client are all loops over `api`, so a method exists everywhere or
// nowhere, and every transport validates its input with the same schema.

const id = idSchema;
/** Which coders to compare, on which codes and documents (agreement, the disagreement navigator). */
const coderComparison = z.strictObject({
  coders: z.array(coderSchema).min(2, 'needs at least two coders').max(20, 'has too many coders'),
  tags: z
    .array(id)
    .max(MAX_TAGS_PER_HIGHLIGHT * 10)
    .optional(),
  documentIds: z.array(id).max(10_000).optional(),
});
// A password travels in the request only: it is never stored, logged or echoed in an answer.
const password = z.string().max(1000, 'is too long');
const projectInput = z.strictObject({
  server: z.string().max(2000, 'is too long'),
  db: z
    .string()
    .regex(/^[a-z][a-z0-9_$()+/-]{0,237}$/, 'must be a CouchDB database name: lower case, starting with a letter'),
  user: z.string().trim().min(1).max(200).optional(),
  password: password.optional(),
});
const offset = offsetSchema;
const tagList = tagListSchema;
const note = noteSchema;
/** The revision of the document the client was showing when the person acted (see DocumentView). */
const revision = z.number().int('must be a whole number').min(0, 'must not be negative');
/**
 * A range as the client saw it: where, on which revision, and the exact words with a little
 * context, so a change made on an older revision is found again by its words, never applied at
 * stale offsets.
 */
const seenRange = {
  revision,
  start: offset,
  end: offset,
  quote: z.string().min(1, 'must not be empty').max(MAX_TEXT_CHARS, 'is too long'),
  prefix: z.string().max(200).optional(),
  suffix: z.string().max(200).optional(),
};
/** Export formats: Markdown, CSV, W3C Web Annotation JSON-LD, REFI-QDA project and codebook. */
export const EXPORT_FORMATS = ['md', 'csv', 'jsonld', 'qdpx', 'qdc'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** A Passages query; a refusal says where it goes wrong, as the parser does. */
const querySchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_QUERY_CHARS, 'is too long')
  .superRefine((q, ctx) => {
    const problem = queryProblem(q);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const scope = z.strictObject({
  documentIds: z.array(id).max(10_000).optional(),
  tags: z.array(id).max(MAX_TAGS_PER_HIGHLIGHT).optional(),
  /** Only the highlights a Passages query finds (see query.ts). */
  query: querySchema.optional(),
  attributes: z.record(z.string().max(MAX_ATTRIBUTE_KEY_CHARS), z.string().max(MAX_META_CHARS)).optional(),
  /** Only these coders' highlights (the consensus layer is the coder "Consensus"). */
  coders: z.array(coderSchema).max(50).optional(),
});

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine(isRealDate, 'is not a real date');
const shortText = (max: number) => z.string().trim().max(max, `is longer than ${max} characters`);
const fileName = z
  .string()
  .min(1, 'must not be empty')
  .max(255, 'is too long')
  .refine((n) => !/[\\/]/.test(n), 'must be a file name, not a path');
const fileData = z
  .string()
  .max(MAX_FILE_BASE64, `is larger than ${MAX_IMPORT_LABEL}`)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'is not base64');

const passageQuery = {
  query: querySchema,
  documentIds: z.array(id).max(10_000).optional(),
  attributes: z.record(z.string().max(MAX_ATTRIBUTE_KEY_CHARS), z.string().max(MAX_META_CHARS)).optional(),
};
const memoTarget = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('project') }),
  z.strictObject({ kind: z.literal('code'), tagId: id }),
  z.strictObject({ kind: z.literal('document'), documentId: id }),
]);

const exportRequest = z.strictObject({
  scope,
  format: z.enum(EXPORT_FORMATS),
  bom: z.boolean().optional(),
  formulaSafe: z.boolean().optional(),
  /** Markdown: the codebook (codes, descriptions, counts, examples) instead of the highlights. */
  codebook: z.boolean().optional(),
  markdown: z
    .strictObject({
      layout: z.enum(MARKDOWN_LAYOUTS).optional(),
      ...(Object.fromEntries(MARKDOWN_FLAGS.map((f) => [f.key, z.boolean().optional()])) as {
        [K in MarkdownFlag]: z.ZodOptional<z.ZodBoolean>;
      }),
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
  /** Found on words that only resemble their quote: each is marked for review (`toReview`). */
  approximate: number;
  orphaned: number;
  /** The highlights awaiting review after this change, in the document's order. */
  toReview: string[];
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
      title: shortText(MAX_META_CHARS).min(1, 'must not be empty').optional(),
      date: isoDay.nullable().optional(),
      source: shortText(MAX_META_CHARS).optional(),
      author: shortText(MAX_META_CHARS).nullable().optional(),
      /** Case attributes, replaced whole; empty values are dropped. */
      attributes: attributesSchema.optional(),
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
      fileName,
      data: fileData,
      /** W3C annotations from other tools: anchor them on this document. */
      documentId: id.optional(),
    }),
    { maxBodyBytes: MAX_FILE_BASE64 + 4096 },
  ),
  /** A corrected version of a document (a file): replaces its text and re-anchors its highlights. */
  replaceDocumentText: method<ReanchorResult>()(z.strictObject({ documentId: id, fileName, data: fileData }), {
    maxBodyBytes: MAX_FILE_BASE64 + 4096,
  }),
  /** Pasted text as a new document. */
  importText: method<ImportOutcome>()(
    z.strictObject({
      text: z.string().max(MAX_PASTE_CHARS, `is longer than ${MAX_PASTE_CHARS.toLocaleString('en')} characters`),
      title: shortText(MAX_META_CHARS).optional(),
    }),
    { maxBodyBytes: 40 * 1024 * 1024 },
  ),
  /** Asks for files with the native dialog and imports them. */
  importWithDialog: method<ImportOutcome[]>()(z.strictObject({}), { desktopOnly: true }),
  /** Finds words in titles, texts and notes across the library. */
  searchLibrary: method<SearchHit[]>()(
    z.strictObject({ query: z.string().trim().min(1, 'must not be empty').max(MAX_SEARCH_QUERY_CHARS, 'is too long') }),
  ),
  getCodebook: method<Codebook>()(z.strictObject({})),
  createHighlight: method<Highlight>()(
    z.strictObject({ documentId: id, ...seenRange, tags: tagList, note: note.optional() }),
  ),
  updateHighlight: method<Highlight>()(
    z.strictObject({ documentId: id, highlightId: id, tags: tagList.optional(), note: note.optional() }),
  ),
  deleteHighlight: method<{ deleted: string }>()(z.strictObject({ documentId: id, highlightId: id })),
  /** Puts back a highlight exactly as it was (undo of a delete or of a change). */
  restoreHighlight: method<Highlight>()(z.strictObject({ highlight: highlightSchema })),
  /** Attaches a highlight, typically an orphan, to a newly selected passage. */
  reattachHighlight: method<Highlight>()(z.strictObject({ documentId: id, highlightId: id, ...seenRange })),
  /**
   * Settles a highlight found approximately after a text change: `accept` keeps the passage it
   * was found on, `orphan` detaches it (kept and listed, to attach by hand). Adjusting it is
   * reattachHighlight with the right passage.
   */
  reviewHighlight: method<Highlight>()(
    z.strictObject({ documentId: id, highlightId: id, decision: z.enum(['accept', 'orphan']) }),
  ),
  /** Replaces one paragraph's text and re-anchors every highlight on the new text. */
  editParagraph: method<ReanchorResult>()(
    z.strictObject({
      documentId: id,
      revision,
      n: z.number().int('must be a whole number').min(1, 'must be 1 or more'),
      text: z.string().min(1, 'must not be empty').max(MAX_PARAGRAPH_EDIT_CHARS, 'is too long'),
    }),
  ),
  /** The scope of the library in one format, as a file to download or preview. */
  exportFile: method<ExportFile>()(exportRequest),
  /** Asks where to save (native dialog) and writes the export; `path` is null when cancelled. */
  saveExport: method<{ path: string | null }>()(exportRequest, { desktopOnly: true }),
  getNotices: method<Notice[]>()(z.strictObject({})),

  // The codebook: each change is one journaled, undoable step (revertCodebookChange).
  createTag: method<CodebookResult>()(
    z.strictObject({
      name: tagNameSchema,
      color: colorSchema.optional(),
      parent: id.nullable().optional(),
      description: tagDescriptionSchema.optional(),
      shortcut: shortcutSchema.optional(),
    }),
  ),
  /** Rename, recolour, describe, set a key, nest (`parent`), or reorder (`before`: a code's id, null: last). */
  updateTag: method<CodebookResult>()(
    z.strictObject({
      tagId: id,
      name: tagNameSchema.optional(),
      color: colorSchema.optional(),
      description: tagDescriptionSchema.optional(),
      shortcut: shortcutSchema.nullable().optional(),
      parent: id.nullable().optional(),
      before: id.nullable().optional(),
    }),
  ),
  mergeTags: method<CodebookResult>()(z.strictObject({ from: id, into: id })),
  /** What deleting a code would remove, for the confirmation (and `glossa tags delete` without --yes). */
  getTagUsage: method<TagUsage>()(z.strictObject({ tagId: id })),
  deleteTag: method<CodebookResult>()(z.strictObject({ tagId: id })),
  revertCodebookChange: method<CodebookResult>()(z.strictObject({ changeId: id, direction: z.enum(['undo', 'redo']) })),

  // Retrieval and analysis over the whole library.
  /** A page of the passages a query finds (default the first 500): only their documents are read. */
  queryPassages: method<PassagePage>()(
    z.strictObject({
      ...passageQuery,
      /** Documents in library order (default), or newest first by the document's date. */
      order: z.enum(['document', 'date']).optional(),
      offset: z.number().int('must be a whole number').min(0, 'must not be negative').optional(),
      limit: z
        .number()
        .int('must be a whole number')
        .min(1, 'must be 1 or more')
        .max(MAX_PASSAGE_PAGE, `must be at most ${MAX_PASSAGE_PAGE}`)
        .optional(),
    }),
  ),
  getAnalysis: method<Analysis>()(
    z.strictObject({
      /** Group frequencies by document (default) or by a document attribute's values. */
      attribute: z.string().trim().min(1).max(MAX_ATTRIBUTE_KEY_CHARS).optional(),
      /** Codes for the co-occurrence matrix (default: every code). */
      tags: z.array(id).max(500).optional(),
      documentIds: z.array(id).max(10_000).optional(),
    }),
  ),
  listQueries: method<SavedQuery[]>()(z.strictObject({})),
  saveQuery: method<SavedQuery>()(
    z.strictObject({ name: shortText(MAX_META_CHARS).min(1, 'must not be empty'), ...passageQuery }),
  ),
  deleteQuery: method<{ deleted: string }>()(z.strictObject({ queryId: id })),

  // Memos: the project's journal, one per code, one per document.
  getMemos: method<Memos>()(z.strictObject({})),
  /** Who this library's new highlights are made by (null: nobody named); stamped on each. */
  getCoder: method<{ coder: string | null }>()(z.strictObject({})),
  setCoder: method<{ coder: string | null }>()(z.strictObject({ coder: coderSchema.nullable() })),
  /**
   * Agreement between coders at character level, per code and over all of them: percent, Cohen's
   * κ (two coders), Krippendorff's α and Jaccard, with the counts (see shared/agreement.ts).
   */
  getAgreement: method<AgreementReport>()(coderComparison),
  /** The team project this library belongs to and what its last sync did; null when it is not one. */
  getProjectStatus: method<{ project: (ProjectStatus & { syncing: boolean; auto: boolean }) | null }>()(
    z.strictObject({}),
  ),
  /** Makes this library a team project on a CouchDB server and sends everything in it. */
  shareProject: method<SyncReport>()(projectInput),
  /** Makes this empty library a copy of a team project. */
  joinProject: method<SyncReport>()(projectInput),
  /** One sync both ways, until both sides are caught up. */
  syncProject: method<SyncReport>()(z.strictObject({ password: password.optional() })),
  /**
   * Blind coding on or off for the team: while on, each coder's highlights go to their own database
   * only; turning it off reveals them. Synced at once.
   */
  setProjectBlind: method<SyncReport>()(z.strictObject({ blind: z.boolean(), password: password.optional() })),
  /** Project documents two coders changed at once, with every version, until they are settled. */
  getConflicts: method<ProjectConflict[]>()(z.strictObject({})),
  /** Keeps one version (by revision) or merges a highlight's versions; answers the conflicts left. */
  resolveConflict: method<ProjectConflict[]>()(
    z
      .strictObject({
        id: z.string().min(1).max(500),
        keep: z
          .string()
          .regex(/^\d+-[0-9a-f]{1,64}$/, 'must be a revision such as 2-9af…')
          .optional(),
        merge: z.literal(true).optional(),
      })
      .refine((v) => (v.keep === undefined) !== (v.merge === undefined), {
        message: 'give either keep (a revision) or merge, not both',
      }),
  ),
  /** Everyone who made highlights in this library, with how many. */
  listCoders: method<{ coders: { name: string; highlights: number }[] }>()(z.strictObject({})),
  /** The passages where the coders differ, side by side, for the disagreement navigator. */
  getDisagreements: method<Disagreement[]>()(coderComparison),
  /**
   * Settles a passage (start–end): copies the chosen highlights (one coder's version, or none) into
   * the consensus layer, replacing what it held there.
   */
  adjudicate: method<Highlight[]>()(
    z
      .strictObject({
        documentId: id,
        start: offset,
        end: offset,
        highlightIds: z.array(id).max(1000),
      })
      .refine((v) => v.start < v.end, { message: 'start must be before end', path: ['end'] }),
  ),
  setMemo: method<Memo>()(z.strictObject({ target: memoTarget, text: z.string().max(MAX_MEMO_CHARS, 'is too long') })),
} as const;

export type Api = typeof api;
export type { MethodName };
export { channelFor };
export const methodNames: readonly MethodName[] = METHOD_NAMES;

// The name list (for the preload) and the table name the same methods, or this does not compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameNames: Same<keyof Api, MethodName> = true;
void sameNames;

export type Input<M extends MethodName> = z.input<Api[M]['input']>;
export type ValidInput<M extends MethodName> = z.output<Api[M]['input']>;
export type Result<M extends MethodName> = NonNullable<Api[M]['result']>;

/** What crosses a transport: never a thrown error, so codes survive IPC and HTTP alike. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** The shape of `window.glossa`: one function per contract method, answering with an envelope. */
export type Bridge = { [M in MethodName]: (input: Input<M>) => Promise<Envelope<Result<M>>> } & {
  /** Hears every change to the library, from this window or any other client; returns an unsubscribe. */
  onChange?: (listener: (event: ChangeEvent) => void) => () => void;
};

/** The renderer's and tests' view: the same methods, resolving to results or throwing GlossaError. */
export type Client = { [M in MethodName]: (input: Input<M>) => Promise<Result<M>> };

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(api, name);
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

export { clientFromBridge } from './client';
