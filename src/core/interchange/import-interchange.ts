import { extname } from 'node:path';
import { GlossaError } from '../../shared/errors';
import { decodeText, INTERCHANGE_EXTENSIONS } from '../import/import-file';
import type { Library } from '../library';
import type { InterchangeReport } from './apply-import';
import { importQdc, importQdpx } from './qdpx';
import { importWebAnnotationFile } from './web-annotation-import';

export function isInterchangeFile(fileName: string): boolean {
  return INTERCHANGE_EXTENSIONS.includes(extname(fileName).toLowerCase());
}

export type InterchangeOutcome = InterchangeReport & { skippedSources?: number; summary: string };

function summarize(r: InterchangeReport & { skippedSources?: number }): string {
  const parts = [`${r.highlights} highlight${r.highlights === 1 ? '' : 's'} imported`];
  if (r.documentsAdded) parts.push(`${r.documentsAdded} new document${r.documentsAdded === 1 ? '' : 's'}`);
  if (r.approximate) parts.push(`${r.approximate} found approximately`);
  if (r.orphaned) parts.push(`${r.orphaned} orphaned (their passage was not found)`);
  if (r.alreadyPresent) parts.push(`${r.alreadyPresent} already present`);
  if (r.tagsAdded.length) parts.push(`new tags: ${r.tagsAdded.join(', ')}`);
  if (r.skippedSources) parts.push(`${r.skippedSources} non-text source${r.skippedSources === 1 ? '' : 's'} skipped`);
  return parts.join('; ');
}

/** Imports annotations or a project from another tool (W3C Web Annotation, REFI-QDA); all or nothing. */
export async function importInterchange(
  library: Library,
  fileName: string,
  bytes: Uint8Array,
  options: { documentId?: string } = {},
): Promise<InterchangeOutcome> {
  if (bytes.byteLength === 0) throw new GlossaError('INVALID_INPUT', 'the file is empty.');
  const ext = extname(fileName).toLowerCase();
  let report: InterchangeReport & { skippedSources?: number };
  if (ext === '.qdpx') report = await importQdpx(library, bytes);
  else if (ext === '.qdc') report = await importQdc(library, decodeText(bytes));
  else report = await importWebAnnotationFile(library, decodeText(bytes), options);
  return { ...report, summary: summarize(report) };
}
