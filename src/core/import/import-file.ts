import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { GlossaError } from '../../shared/errors';
import { MAX_IMPORT_BYTES, MAX_IMPORT_LABEL } from '../../shared/limits';
import type { ImportFormat } from '../../shared/types';
import type { DocumentFile } from '../stored-schema';
import { buildDocument, documentFromText, type Extracted } from './document';
import { extractDocx } from './docx';
import { extractHtml } from './html';
import { extractMarkdown } from './markdown';
import { extractPdf } from './pdf';

const FORMATS: Record<string, Exclude<ImportFormat, 'paste'>> = {
  '.txt': 'txt',
  '.text': 'txt',
  '.md': 'md',
  '.markdown': 'md',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.pdf': 'pdf',
  '.docx': 'docx',
};

export const IMPORT_EXTENSIONS = Object.keys(FORMATS);
/** Files of highlights from other tools (W3C Web Annotation, REFI-QDA), imported into documents. */
export const INTERCHANGE_EXTENSIONS = ['.jsonld', '.json', '.qdpx', '.qdc'];

export function formatOf(fileName: string): Exclude<ImportFormat, 'paste'> {
  const format = FORMATS[extname(fileName).toLowerCase()];
  if (!format) {
    const ext = extname(fileName) || 'without an extension';
    throw new GlossaError(
      'UNSUPPORTED',
      `files ${ext.startsWith('.') ? `of type ${ext}` : ext} cannot be imported; Glossa reads ${IMPORT_EXTENSIONS.join(', ')} (documents) and ${INTERCHANGE_EXTENSIONS.join(', ')} (annotations and projects).`,
    );
  }
  return format;
}

/**
 * Decodes text: UTF-8 (with or without a byte-order mark) and UTF-16 LE or BE with one, as Windows
 * tools write it. Binary data and invalid text are refused with a reason a person can act on.
 */
export function decodeText(bytes: Uint8Array): string {
  let encoding = 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
  else if (bytes.includes(0)) throw new GlossaError('INVALID_INPUT', 'the file is binary, not text.');
  let text: string;
  try {
    // ignoreBOM: false drops the byte-order mark, which is not part of the text.
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new GlossaError('INVALID_INPUT', `the file is not valid ${encoding.toUpperCase()} text.`);
  }
  if (encoding !== 'utf-8' && text.includes('\0'))
    throw new GlossaError('INVALID_INPUT', 'the file is binary, not text.');
  return text;
}

function checkSize(size: number): void {
  if (size === 0) throw new GlossaError('INVALID_INPUT', 'the file is empty.');
  if (size > MAX_IMPORT_BYTES) throw new GlossaError('INVALID_INPUT', `the file is larger than ${MAX_IMPORT_LABEL}.`);
}

/** Turns a file's bytes into a stored document; every refusal is a GlossaError whose message starts lower-case, to follow the file name. */
export async function documentFromFile(fileName: string, bytes: Uint8Array, now: Date): Promise<DocumentFile> {
  const format = formatOf(fileName);
  checkSize(bytes.byteLength);
  if (format === 'txt') return documentFromText(decodeText(bytes), fileName, now);
  let extracted: Extracted;
  if (format === 'md') extracted = await extractMarkdown(decodeText(bytes));
  else if (format === 'html') extracted = await extractHtml(decodeText(bytes));
  else if (format === 'pdf') extracted = await extractPdf(bytes);
  else extracted = await extractDocx(bytes);
  if (!extracted.text) throw new GlossaError('INVALID_INPUT', 'the file holds no text.');
  return buildDocument(extracted, fileName, format, now);
}

/** Reads a file from disk for import, checking type and size before reading it. */
export async function readImportFile(path: string): Promise<{ fileName: string; bytes: Uint8Array }> {
  const fileName = basename(path);
  if (!INTERCHANGE_EXTENSIONS.includes(extname(fileName).toLowerCase())) formatOf(fileName);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new GlossaError('NOT_FOUND', 'the file does not exist or cannot be read.');
  }
  checkSize(size);
  return { fileName, bytes: new Uint8Array(await readFile(path)) };
}
