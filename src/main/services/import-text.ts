import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { parsePlainText } from '../../shared/plain-text';
import { deriveTitle } from '../../shared/title';
import { GlossaError } from '../../shared/errors';
import { SCHEMA_VERSION, type DocumentFile } from './stored-schema';

/** A document id from its content, so the same article gets the same id in every library. */
export function contentId(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

/** Builds a stored document from plain text in the corpus format (see ../shared/corpus/README.md). */
export function documentFromText(raw: string, fileName: string, now: Date): DocumentFile {
  const parsed = parsePlainText(raw);
  if (parsed.text.length === 0) throw new GlossaError('INVALID_INPUT', `${fileName} holds no text.`);
  const id = contentId(parsed.text);
  const stem = fileName.replace(/\.[^.]+$/, '');
  const { title, note } = deriveTitle(parsed.text, stem);
  return {
    schemaVersion: SCHEMA_VERSION,
    meta: {
      id,
      title,
      titleSource: 'derived',
      titleNote: note,
      date: parsed.date,
      dateline: parsed.dateline,
      source: fileName,
      added: now.toISOString(),
    },
    text: parsed.text,
    paragraphs: parsed.paragraphs,
    highlights: [],
  };
}

/** The largest file Glossa imports; larger ones are refused before being read. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** Reads a `.txt` file for import, refusing what is not UTF-8 text with a reason a person can act on. */
export async function readTextFile(path: string): Promise<string> {
  if (extname(path).toLowerCase() !== '.txt') {
    throw new GlossaError('UNSUPPORTED', 'only .txt files can be imported so far.');
  }
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new GlossaError('NOT_FOUND', 'the file does not exist or cannot be read.');
  }
  if (size > MAX_IMPORT_BYTES) throw new GlossaError('INVALID_INPUT', 'the file is larger than 50 MB.');
  const bytes = await readFile(path);
  if (bytes.includes(0)) throw new GlossaError('INVALID_INPUT', 'the file is binary, not text.');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new GlossaError('INVALID_INPUT', 'the file is not valid UTF-8 text.');
  }
}
