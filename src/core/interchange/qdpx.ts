import { strToU8, unzipSync, zipSync } from 'fflate';
import { GlossaError } from '../../shared/errors';
import { paragraphsAsIs } from '../../shared/plain-text';
import { exportProject, parseCodebook, parseProject, type IncomingProject } from '../../shared/refi-qda';
import type { Codebook, DocumentView } from '../../shared/types';
import { buildDocument, contentId } from '../import/document';
import { checkZipSize } from '../import/zip-limits';
import type { Library } from '../library';
import { applyImport, type InterchangeReport } from './apply-import';

const MAX_ENTRIES = 10_000;

/** A `.qdpx`: project.qde and the source texts, zipped. */
export function qdpxBytes(
  docs: DocumentView[],
  codebook: Codebook,
  options: { name: string; tags?: string[]; now: Date },
) {
  const file = exportProject(docs, codebook, options);
  const entries: Record<string, Uint8Array> = { 'project.qde': strToU8(file.project) };
  for (const [path, text] of Object.entries(file.sources)) entries[path] = strToU8(text);
  return { bytes: zipSync(entries, { level: 6, mtime: options.now }), orphansLeftOut: file.orphansLeftOut };
}

/**
 * Opens a zip defensively: its declared size is checked before anything is inflated (zip bombs),
 * and every entry name must be a plain relative path — no `..`, no absolute path, no drive letter —
 * even though nothing here is written to disk by name.
 */
export function readZip(bytes: Uint8Array, what: string): Map<string, Uint8Array> {
  checkZipSize(bytes, what);
  let files: Record<string, Uint8Array>;
  let count = 0;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        const name = file.name;
        if (
          name.startsWith('/') ||
          name.startsWith('\\') ||
          /^[A-Za-z]:/.test(name) ||
          name.split(/[\\/]/).includes('..')
        ) {
          throw new GlossaError('INVALID_INPUT', `the ${what} holds an unsafe path, "${name}"; it is refused.`);
        }
        if (++count > MAX_ENTRIES)
          throw new GlossaError('INVALID_INPUT', `the ${what} holds more than ${MAX_ENTRIES} files.`);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof GlossaError) throw error;
    throw new GlossaError('INVALID_INPUT', `the file is not a readable ${what} (${(error as Error).message}).`);
  }
  return new Map(Object.entries(files).map(([name, data]) => [name.replace(/\\/g, '/').toLowerCase(), data]));
}

function decode(data: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data).replace(/^\uFEFF/, '');
  } catch {
    throw new GlossaError('INVALID_INPUT', `${name} is not valid UTF-8 text.`);
  }
}

export function readQdpx(bytes: Uint8Array): IncomingProject {
  const files = readZip(bytes, 'REFI-QDA project (.qdpx)');
  const qde = [...files.keys()].find((n) => n.endsWith('.qde') && !n.includes('/'));
  if (!qde) throw new GlossaError('INVALID_INPUT', 'the .qdpx holds no project.qde.');
  return parseProject(decode(files.get(qde) as Uint8Array, qde), (path) => {
    const name = path.replace(/^internal:\/\//i, '').toLowerCase();
    const data = files.get(`sources/${name}`) ?? files.get(name);
    if (!path.toLowerCase().startsWith('internal://') || !data) {
      throw new GlossaError('INVALID_INPUT', `source text ${path} is not inside the .qdpx.`);
    }
    return decode(data, path);
  });
}

/**
 * Imports a REFI-QDA project: each text source becomes a document (or is found, when the same text
 * is already in the library), its codes become tags (matched by name), and its selections become
 * highlights at exactly their positions.
 */
export async function importQdpx(
  library: Library,
  bytes: Uint8Array,
  now = new Date(),
): Promise<InterchangeReport & { skippedSources: number }> {
  const project = readQdpx(bytes);
  const documents = project.sources.map((s) => {
    const doc = buildDocument(
      { text: s.text, paragraphs: paragraphsAsIs(s.text), meta: { title: s.name } },
      `${s.name}.txt`,
      'txt',
      now,
    );
    delete doc.meta.fileName;
    doc.meta.source = s.description ?? project.name;
    if (!doc.text.trim()) throw new GlossaError('INVALID_INPUT', `source "${s.name}" is empty.`);
    return { documentId: contentId(s.text), add: doc, highlights: s.highlights };
  });
  const report = await applyImport(
    library,
    { tags: project.codes.map((c) => ({ name: c.name, color: c.color })), documents },
    now,
  );
  return { ...report, skippedSources: project.skippedSources };
}

/** Imports a REFI-QDA codebook: its codes become tags; codes already there (same name) are kept as they are. */
export async function importQdc(library: Library, xml: string): Promise<InterchangeReport> {
  const codes = parseCodebook(xml.replace(/^\uFEFF/, ''));
  return applyImport(library, { tags: codes.map((c) => ({ name: c.name, color: c.color })), documents: [] });
}
