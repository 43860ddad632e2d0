import type { DocumentMeta, Highlight, Paragraph, Tag } from './types';

// A team project's CouchDB database holds one small document per thing a coder changes on its own:
// a code, a document's text, a highlight. Two coders who code different passages then never touch
// the same CouchDB document, so they never conflict; two who change the same highlight do, and
// CouchDB keeps both versions (see core/sync).
//
// Trade-off: a document's text travels whole in one CouchDB document (a 1 MB article is a 1 MB
// JSON body, under CouchDB's 8 MB default max_document_size). Texts do not change once shared,
// so it is sent once; attachments or chunks would only pay off for texts edited after sharing.

export type ProjectDoc =
  | { type: 'code'; tag: Tag }
  /** The codebook's order, one small document of its own: reordering touches no code. */
  | { type: 'order'; tags: string[] }
  /** How the team works: blind coding keeps each coder's highlights out of the shared database. */
  | { type: 'settings'; blind: boolean }
  | { type: 'document'; meta: DocumentMeta; text: string; paragraphs: Paragraph[] }
  | { type: 'highlight'; highlight: Highlight };

export const codeDocId = (tagId: string): string => `code:${tagId}`;
export const ORDER_DOC_ID = 'codebook:order';
export const SETTINGS_DOC_ID = 'project:settings';
export const documentDocId = (documentId: string): string => `document:${documentId}`;
export const highlightDocId = (h: { documentId: string; id: string }): string => `highlight:${h.documentId}:${h.id}`;

/** Applied in this order, so a highlight's document and codes are there before it. */
export const DOC_ORDER: ProjectDoc['type'][] = ['settings', 'code', 'order', 'document', 'highlight'];

export function docIdOf(doc: ProjectDoc): string {
  if (doc.type === 'code') return codeDocId(doc.tag.id);
  if (doc.type === 'order') return ORDER_DOC_ID;
  if (doc.type === 'settings') return SETTINGS_DOC_ID;
  if (doc.type === 'document') return documentDocId(doc.meta.id);
  return highlightDocId(doc.highlight);
}

/**
 * JSON with keys in sorted order: the same content always gives the same string, whatever order
 * its keys were built in, so a revision id made from it is the same on every machine.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** What one sync did. */
export interface SyncReport {
  server: string;
  db: string;
  /** CouchDB documents sent to and received from the server. */
  pushed: number;
  pulled: number;
  /** Changes written into this library. */
  applied: number;
  /** Changes from the server that were checked and not written, each with why. */
  refused: { id: string; problem: string }[];
  /** Project documents with competing versions, waiting to be settled. */
  conflicts: string[];
  lastSync: string;
}

/** A team project as the status indicator and `glossa project status` show it. */
export interface ProjectStatus {
  server: string;
  db: string;
  user?: string;
  state: 'never' | 'synced' | 'offline' | 'error';
  /** Blind coding: each coder's highlights go to their own database until the lead reveals them. */
  blind: boolean;
  lastSync?: string;
  lastAttempt?: string;
  message?: string;
  conflicts: string[];
  refused: { id: string; problem: string }[];
}

/** One of the competing versions of a project document. */
export interface ConflictVersion {
  rev: string;
  /** The version CouchDB chose, which the library shows until the conflict is settled. */
  winner: boolean;
  doc: ProjectDoc;
}

export interface ProjectConflict {
  /** The CouchDB document's id (e.g. `highlight:<document>:<highlight>`). */
  id: string;
  versions: ConflictVersion[];
}

/**
 * Competing versions of one highlight made into one: every code any of them has (in codebook
 * order), each distinct note once, in the order the versions were last changed, the earliest
 * creation time. The place and coder are the first version's (they are the same highlight).
 */
export function mergeHighlightVersions(versions: Highlight[], codebookOrder: string[], now: string): Highlight {
  if (versions.length === 0) throw new Error('nothing to merge');
  const byTime = [...versions].sort((a, b) => (a.updated < b.updated ? -1 : a.updated > b.updated ? 1 : 0));
  const rank = new Map(codebookOrder.map((id, i) => [id, i]));
  const tags = [...new Set(versions.flatMap((v) => v.tags))].sort(
    (a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const notes = [...new Set(byTime.map((v) => v.note.trim()).filter(Boolean))];
  const created = versions.map((v) => v.created).sort()[0];
  return { ...versions[0], tags, note: notes.join('\n\n'), created, updated: now };
}
