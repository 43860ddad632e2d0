import { codesForPlan } from './codes-for-plan';
import type { Library } from '../library';
import type { Parsed } from '../import/parse';
import { applyImport, type InterchangeReport } from './apply-import';
import { importProject } from './qdpx';
import { importWebAnnotations } from './web-annotation-import';

export type InterchangeOutcome = InterchangeReport & { skippedSources?: number; summary: string };

function summarize(r: InterchangeReport & { skippedSources?: number }): string {
  const parts = [`${r.highlights} highlight${r.highlights === 1 ? '' : 's'} imported`];
  if (r.documentsAdded) parts.push(`${r.documentsAdded} new document${r.documentsAdded === 1 ? '' : 's'}`);
  if (r.approximate) parts.push(`${r.approximate} found approximately (to review in the reader)`);
  if (r.orphaned) parts.push(`${r.orphaned} orphaned (their passage was not found)`);
  if (r.alreadyPresent) parts.push(`${r.alreadyPresent} already present`);
  if (r.tagsAdded.length) parts.push(`new tags: ${r.tagsAdded.join(', ')}`);
  if (r.notImported?.length) parts.push(`not imported: ${r.notImported.join('; ')}`);
  return parts.join('; ');
}

/** Stores annotations or a project from another tool (W3C Web Annotation, REFI-QDA); all or nothing. */
export async function applyInterchange(
  library: Library,
  parsed: Exclude<Parsed, { kind: 'document' }>,
  options: { documentId?: string } = {},
): Promise<InterchangeOutcome> {
  let report: InterchangeReport & { skippedSources?: number };
  if (parsed.kind === 'qdpx') {
    report = await importProject(library, parsed.project);
    if (parsed.project.notImported.length > 0) report.notImported = parsed.project.notImported;
  } else if (parsed.kind === 'qdc')
    report = await applyImport(library, {
      tags: codesForPlan(parsed.codes),
      documents: [],
    });
  else {
    report = await importWebAnnotations(library, parsed.annotations, options);
    if (parsed.skipped.length > 0) {
      const n = parsed.skipped.length;
      const ids = parsed.skipped.map((s) => s.id);
      const shown = ids.length > 10 ? `${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more` : ids.join(', ');
      report.notImported = [
        `${n} annotation${n === 1 ? '' : 's'} with no text selector to find ${n === 1 ? 'its' : 'their'} passage by (${shown})`,
      ];
    }
  }
  return { ...report, summary: summarize(report) };
}
