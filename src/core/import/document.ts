import { createHash } from 'node:crypto';
import { layoutBlocks, type Block } from '../../shared/blocks';
import { isRealDate, parsePlainText } from '../../shared/plain-text';
import { deriveTitle } from '../../shared/title';
import { GlossaError } from '../../shared/errors';
import type { DocumentMeta, ImportFormat, Paragraph } from '../../shared/types';
import { SCHEMA_VERSION, type DocumentFile } from '../stored-schema';

/** A document id from its content, so the same article gets the same id in every library. */
export function contentId(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

/** Metadata an importer found in the file itself; everything is optional because files rarely say. */
export interface FoundMeta {
  title?: string;
  date?: string;
  dateline?: string;
  /** `file`: the date is when the file was made (a Word document's properties), not published. */
  dateSource?: 'file';
  source?: string;
  author?: string;
  pageCount?: number;
}

export interface Extracted {
  text: string;
  paragraphs: Paragraph[];
  meta: FoundMeta;
}

/** Turns what an importer extracted into a stored document, naming it honestly when it has no title. */
export function buildDocument(extracted: Extracted, fileName: string, format: ImportFormat, now: Date): DocumentFile {
  const { text, paragraphs, meta: found } = extracted;
  if (text.length === 0) throw new GlossaError('INVALID_INPUT', `${fileName} holds no text.`);
  const stem = fileName.replace(/\.[^.]+$/, '');
  const meta: DocumentMeta = {
    id: contentId(text),
    title: '',
    titleSource: 'metadata',
    source: found.source?.trim() || fileName,
    fileName,
    format,
    added: now.toISOString(),
  };
  const title = found.title?.replace(/\s+/g, ' ').trim();
  if (title) {
    meta.title = title.slice(0, 500);
  } else {
    const heading = paragraphs.find((p) => p.kind === 'heading');
    const derived = deriveTitle(text, stem, heading && text.slice(heading.start, heading.end));
    meta.title = derived.title;
    meta.titleSource = 'derived';
    meta.titleNote = derived.note;
  }
  if (found.date) meta.date = found.date;
  if (found.date && found.dateSource) meta.dateSource = found.dateSource;
  if (found.dateline) meta.dateline = found.dateline;
  if (found.author?.trim()) meta.author = found.author.trim();
  if (found.pageCount !== undefined) meta.pageCount = found.pageCount;
  return { schemaVersion: SCHEMA_VERSION, meta, text, paragraphs, highlights: [] };
}

/** Builds a stored document from plain text in the corpus format (see ../shared/corpus/README.md). */
export function documentFromText(raw: string, fileName: string, now: Date, format: ImportFormat = 'txt'): DocumentFile {
  const parsed = parsePlainText(raw);
  return buildDocument(
    { text: parsed.text, paragraphs: parsed.paragraphs, meta: { date: parsed.date, dateline: parsed.dateline } },
    fileName,
    format,
    now,
  );
}

export function extractedFromBlocks(blocks: Block[], meta: FoundMeta): Extracted {
  return { ...layoutBlocks(blocks), meta };
}

/** The first ISO calendar date (YYYY-MM-DD) in a metadata value such as "2021-10-26T08:00:00Z". */
export function isoDate(value: string | null | undefined): string | undefined {
  const match = /(\d{4})-(\d{2})-(\d{2})/.exec(value ?? '');
  return match && isRealDate(match[0]) ? match[0] : undefined;
}

/** Pasted text as a document: read like a .txt file, titled by the user when they gave a title. */
export function documentFromPaste(raw: string, title: string | undefined, now: Date): DocumentFile {
  const parsed = parsePlainText(raw);
  if (!parsed.text) throw new GlossaError('INVALID_INPUT', 'the pasted text is empty.');
  const doc = buildDocument(
    { text: parsed.text, paragraphs: parsed.paragraphs, meta: { title, date: parsed.date, dateline: parsed.dateline } },
    'Pasted text',
    'paste',
    now,
  );
  if (title) doc.meta.titleSource = 'user';
  delete doc.meta.fileName;
  return doc;
}
