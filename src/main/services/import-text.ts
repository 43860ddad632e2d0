import { createHash } from 'node:crypto';
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
