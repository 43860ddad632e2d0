import { codesForPlan } from './codes-for-plan';
import { strToU8, zipSync } from 'fflate';
import { GlossaError } from '../../shared/errors';
import { paragraphsAsIs } from '../../shared/plain-text';
import { exportProject, parseProject, type IncomingProject } from '../../shared/refi-qda';
import type { Codebook, DocumentView, Memos } from '../../shared/types';
import { buildDocument, contentId } from '../import/document';
import { inflateZip } from '../import/zip';
import type { Library } from '../library';
import { applyImport, type InterchangeReport } from './apply-import';

/** A `.qdpx`: project.qde and the source texts, zipped. */
export function qdpxBytes(
  docs: DocumentView[],
  codebook: Codebook,
  options: { name: string; tags?: string[]; now: Date; memos?: Memos },
) {
  const file = exportProject(docs, codebook, options);
  const entries: Record<string, Uint8Array> = { 'project.qde': strToU8(file.project) };
  for (const [path, text] of Object.entries(file.sources)) entries[path] = strToU8(text);
  return { bytes: zipSync(entries, { level: 6, mtime: options.now }), orphansLeftOut: file.orphansLeftOut };
}

function decode(data: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data).replace(/^\uFEFF/, '');
  } catch {
    throw new GlossaError('INVALID_INPUT', `${name} is not valid UTF-8 text.`);
  }
}

export function readQdpx(bytes: Uint8Array): IncomingProject {
  // Each source obeys the direct-import limit (MAX_IMPORT_BYTES): a project is no way around it.
  const files = new Map(
    [...inflateZip(bytes, 'REFI-QDA project (.qdpx)').entries()].map(([name, data]) => [name.toLowerCase(), data]),
  );
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
export async function importProject(
  library: Library,
  project: IncomingProject,
  now = new Date(),
): Promise<InterchangeReport & { skippedSources: number }> {
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
  const report = await applyImport(library, { tags: codesForPlan(project.codes), documents }, now);
  return { ...report, skippedSources: project.skippedSources };
}
