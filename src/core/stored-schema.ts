import { z } from 'zod';
import { highlightSchema } from '../shared/schemas';
import type { Codebook, DocumentMeta, Highlight, Paragraph } from '../shared/types';

// The on-disk shapes, checked on every read: a file that parses as JSON but is not a Glossa file
// (hand-edited, truncated by another tool, from a newer version) is treated as corrupt, not trusted.

export const SCHEMA_VERSION = 1;

const iso = z.string().min(1);

const tag = z.object({ id: z.string().min(1), name: z.string().min(1), color: z.string().min(1) });
const codebook = z.object({ tags: z.array(tag) });

const meta = z.object({
  id: z.string().min(1),
  title: z.string(),
  titleSource: z.enum(['metadata', 'derived', 'user']),
  titleNote: z.string().optional(),
  date: z.string().optional(),
  dateline: z.string().optional(),
  source: z.string(),
  author: z.string().optional(),
  fileName: z.string().optional(),
  format: z.enum(['txt', 'md', 'html', 'pdf', 'docx', 'paste']).optional(),
  pageCount: z.number().int().nonnegative().optional(),
  added: iso,
  trashed: iso.optional(),
});

// What the document list shows, kept in library.json so opening the library reads one small file
// instead of every document. `stamp` is the document file's size and mtime when the counts were
// taken: a file changed since (a crash before the index caught up, a copy from elsewhere) no longer
// matches, and only that document is read again.
const summaryStats = z.object({
  highlightCount: z.number().int().nonnegative(),
  tagCounts: z.record(z.string(), z.number().int().nonnegative()),
  stamp: z.object({ size: z.number().nonnegative(), mtimeMs: z.number().nonnegative() }),
});

const indexEntry = meta.extend({ stats: summaryStats.optional() });

const paragraph = z.object({
  n: z.number().int().positive(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  kind: z.enum(['body', 'caption', 'heading', 'list-item', 'quote']),
  level: z.number().int().min(1).max(20).optional(),
  page: z.number().int().positive().optional(),
});

const highlight = highlightSchema;

function versioned<T extends z.ZodRawShape>(shape: T) {
  return z.object({
    schemaVersion: z
      .number()
      .int()
      .refine((v) => v === SCHEMA_VERSION, {
        message: `is not ${SCHEMA_VERSION}: the file comes from another version of Glossa`,
      }),
    ...shape,
  });
}

export const libraryFileSchema = versioned({
  codebook,
  documents: z.array(indexEntry),
  lastOpened: z.string().optional(),
});
export const documentFileSchema = versioned({
  meta,
  text: z.string(),
  paragraphs: z.array(paragraph),
  highlights: z.array(highlight),
});

export type LibraryFile = z.infer<typeof libraryFileSchema>;
export type DocumentFile = z.infer<typeof documentFileSchema>;
export type IndexEntry = z.infer<typeof indexEntry>;
export type SummaryStats = z.infer<typeof summaryStats>;

// Compile-time proof that the stored shapes are the domain's shapes.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const proofs: [
  Same<z.infer<typeof codebook>, Codebook>,
  Same<z.infer<typeof meta>, DocumentMeta>,
  Same<z.infer<typeof paragraph>, Paragraph>,
  Same<z.infer<typeof highlight>, Highlight>,
] = [true, true, true, true];
void proofs;

/** Parses with a schema, reducing its complaint to one readable line. */
export function checkShape<T>(schema: z.ZodType<T>, data: unknown): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`${issue.path.join('.') || 'the file'} ${issue.message}`);
}
