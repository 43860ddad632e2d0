import { describeRange } from '../../shared/anchoring';
import { idForName } from '../../shared/codebook';
import { GlossaError } from '../../shared/errors';
import type { IncomingHighlight } from '../../shared/interchange';
import { reanchor } from '../../shared/reanchor';
import type { Highlight, Tag } from '../../shared/types';
import type { Library } from '../library';
import type { DocumentFile } from '../stored-schema';

export interface PlannedDocument {
  documentId: string;
  /** A document the file brings with it (REFI-QDA sources); added unless the same text is already there. */
  add?: DocumentFile;
  highlights: IncomingHighlight[];
}

export interface ImportPlan {
  /** Codes the file defines (REFI-QDA), by name, with their colours. */
  tags?: { name: string; color?: string; description?: string; parent?: string }[];
  documents: PlannedDocument[];
}

/** What an annotation import did, in numbers a person can check against the file. */
export interface InterchangeReport {
  documents: number;
  documentsAdded: number;
  highlights: number;
  alreadyPresent: number;
  exact: number;
  approximate: number;
  orphaned: number;
  tagsAdded: string[];
  /** What the file held that was not taken over, in words with counts (REFI-QDA 1.5 §7 asks for it). */
  notImported?: string[];
}

/** Tag for annotations that carry none: Glossa highlights always have at least one. */
export const UNTAGGED = 'untagged';
const PALETTE = ['#8e6bbf', '#d08a2e', '#2e9aa8', '#c2528f', '#6b8e23', '#7a7a7a', '#b5651d', '#4169e1'];

/** An id from the name, numbered when taken (`code-2`), so an import names its new codes alike each time. */
function newId(name: string, taken: Set<string>): string {
  let n = 2;
  const id = idForName(name, taken, () => String(n++));
  taken.add(id);
  return id;
}

/** Tags by name (any case) or id; names the codebook lacks become new tags. */
function resolveTags(codebook: Tag[], plan: ImportPlan): { byName: Map<string, string>; added: Tag[] } {
  const byName = new Map<string, string>();
  for (const t of codebook) {
    byName.set(t.name.toLowerCase(), t.id);
    byName.set(t.id.toLowerCase(), t.id);
  }
  const taken = new Set(codebook.map((t) => t.id));
  const added: Tag[] = [];
  const colors = new Map((plan.tags ?? []).map((t) => [t.name.toLowerCase(), t.color]));
  const names = [
    ...(plan.tags ?? []).map((t) => t.name),
    ...plan.documents.flatMap((d) => d.highlights.flatMap((h) => (h.tagNames.length > 0 ? h.tagNames : [UNTAGGED]))),
  ];
  for (const name of names) {
    const key = name.toLowerCase();
    if (byName.has(key)) continue;
    const tag: Tag = {
      id: newId(name, taken),
      name,
      color: colors.get(key) ?? PALETTE[(codebook.length + added.length) % PALETTE.length],
    };
    const planned = (plan.tags ?? []).find((t) => t.name.toLowerCase() === key);
    if (planned?.description) tag.description = planned.description;
    added.push(tag);
    byName.set(key, tag.id);
  }
  // Nesting, once every code has an id: a new code goes under its parent (new or already there).
  for (const tag of added) {
    const parentName = (plan.tags ?? []).find((t) => t.name.toLowerCase() === tag.name.toLowerCase())?.parent;
    const parent = parentName ? byName.get(parentName.toLowerCase()) : undefined;
    if (parent && parent !== tag.id) tag.parent = parent;
  }
  return { byName, added };
}

/**
 * Anchors what a file describes on each document's text and stores it, all or nothing: every
 * document is found and every highlight placed before the library is changed. A highlight that
 * no longer fits its text is kept as an orphan, never dropped; one already in the library (same
 * id) is left as it is, so importing a file twice changes nothing the second time.
 */
export async function applyImport(library: Library, plan: ImportPlan, now = new Date()): Promise<InterchangeReport> {
  const { byName, added } = resolveTags((await library.getCodebook()).tags, plan);
  const report: InterchangeReport = {
    documents: plan.documents.length,
    documentsAdded: 0,
    highlights: 0,
    alreadyPresent: 0,
    exact: 0,
    approximate: 0,
    orphaned: 0,
    tagsAdded: added.map((t) => t.name),
  };
  const time = now.toISOString();
  const documents: { documentId: string; add?: DocumentFile; highlights: Highlight[] }[] = [];
  for (const planned of plan.documents) {
    const existing = library.summaryOf(planned.documentId);
    if (!existing && !planned.add) {
      throw new GlossaError('NOT_FOUND', `there is no document "${planned.documentId}" in this library.`);
    }
    const text = existing ? (await library.readDocument(planned.documentId)).text : (planned.add as DocumentFile).text;
    const highlights = planned.highlights.map((h): Highlight => {
      const quote = {
        type: 'TextQuoteSelector' as const,
        exact: h.quote?.exact ?? text.slice(h.position?.start ?? 0, h.position?.end ?? 0),
        prefix: h.quote?.prefix ?? '',
        suffix: h.quote?.suffix ?? '',
      };
      const position = {
        type: 'TextPositionSelector' as const,
        start: h.position?.start ?? 0,
        end: h.position?.end ?? 0,
      };
      const found = quote.exact ? reanchor(text, { quote, position }, h.position?.start) : null;
      const base = {
        id: h.id,
        documentId: planned.documentId,
        tags: [
          ...new Set(
            (h.tagNames.length > 0 ? h.tagNames : [UNTAGGED]).map((n) => byName.get(n.toLowerCase()) as string),
          ),
        ],
        note: h.note,
        created: h.created ?? time,
        updated: h.updated ?? h.created ?? time,
        ...(h.coder ? { coder: h.coder } : {}),
      };
      if (!found) {
        report.orphaned++;
        return { ...base, orphan: true, target: { position, quote } };
      }
      report[found.approximate ? 'approximate' : 'exact']++;
      const target = describeRange(text, found.start, found.end);
      // Anchored on words that only resemble the file's quote: kept for the researcher to review.
      return found.approximate ? { ...base, approximate: { was: quote.exact }, target } : { ...base, target };
    });
    documents.push({ documentId: planned.documentId, ...(planned.add ? { add: planned.add } : {}), highlights });
  }
  const stored = await library.mergeImport({ tags: added, documents });
  report.highlights = stored.added;
  report.alreadyPresent = stored.alreadyPresent;
  report.documentsAdded = stored.documentsAdded;
  return report;
}
