import { extname } from 'node:path';
import { GlossaError } from '../../shared/errors';
import { parseCodebook, type IncomingCode, type IncomingProject } from '../../shared/refi-qda';
import { parseWebAnnotations, type ParsedAnnotations } from '../../shared/web-annotation';
import type { DocumentFile } from '../stored-schema';
import { readQdpx } from '../interchange/qdpx';
import { INTERCHANGE_EXTENSIONS, decodeText, documentFromFile } from './import-file';

// Turning a file's bytes into data is the part of an import whose cost the file controls (zips,
// XML, PDF streams, deep HTML), and it needs no library. It runs here, in a worker thread when the
// app runs (see parser-runner), so a hostile file can exhaust only the worker's budget.

export type ParseRequest = { fileName: string; bytes: Uint8Array; now: string };

export type Parsed =
  | { kind: 'document'; document: DocumentFile }
  | { kind: 'qdpx'; project: IncomingProject }
  | { kind: 'qdc'; codes: IncomingCode[] }
  | ({ kind: 'jsonld' } & ParsedAnnotations);

export function isInterchangeFile(fileName: string): boolean {
  return INTERCHANGE_EXTENSIONS.includes(extname(fileName).toLowerCase());
}

export async function parseImport({ fileName, bytes, now }: ParseRequest): Promise<Parsed> {
  const ext = extname(fileName).toLowerCase();
  if (!isInterchangeFile(fileName)) {
    return { kind: 'document', document: await documentFromFile(fileName, bytes, new Date(now)) };
  }
  if (bytes.byteLength === 0) throw new GlossaError('INVALID_INPUT', 'the file is empty.');
  if (ext === '.qdpx') return { kind: 'qdpx', project: readQdpx(bytes) };
  if (ext === '.qdc') return { kind: 'qdc', codes: parseCodebook(decodeText(bytes)) };
  return { kind: 'jsonld', ...parseWebAnnotations(decodeText(bytes)) };
}
