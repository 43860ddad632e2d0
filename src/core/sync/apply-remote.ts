import { canonicalJson, type ProjectDoc } from '../../shared/project-docs';
import type { Highlight, Tag } from '../../shared/types';
import { SCHEMA_VERSION, highlightProblem } from '../stored-schema';
import type { LibraryStore } from '../store/library-store';

export interface RemoteChange {
  /** The CouchDB document's id. */
  id: string;
  /** The winning version's content; null when the winner is a deletion. */
  doc: ProjectDoc | null;
}

export interface ApplyOutcome {
  applied: string[];
  /** Changes checked and not written, each with why; the library is as it was for them. */
  refused: { id: string; problem: string }[];
  /** Codes deleted elsewhere and kept here because highlights use them (they are sent back). */
  kept: string[];
}

const nameKey = (name: string) => name.trim().toLocaleLowerCase();

/**
 * Writes what other coders changed into this library, as one library write: codes first, then
 * documents, then highlights, each checked with the rules every other write passes (a highlight
 * must quote its document's text, name known codes, have valid fields). What fails is refused
 * and reported, and nothing else is held back by it. Deletions arrive as CouchDB tombstones; a
 * code still used here, and a whole document, are not removed by a sync (reported instead), so a
 * sync never takes a highlight with it.
 */
export function applyRemote(lib: LibraryStore, changes: RemoteChange[]): Promise<ApplyOutcome> {
  return lib.write(async () => {
    const out: ApplyOutcome = { applied: [], refused: [], kept: [] };
    const refuse = (id: string, problem: string) => out.refused.push({ id, problem });
    const of = <T extends ProjectDoc['type']>(type: T) =>
      changes.filter((c): c is RemoteChange & { doc: Extract<ProjectDoc, { type: T }> } => c.doc?.type === type);

    applyCodes(
      lib,
      of('code'),
      changes.filter((c) => c.doc === null && c.id.startsWith('code:')),
      out,
    );
    const [order] = of('order');
    if (order) {
      reorder(lib, order.doc.tags);
      out.applied.push(order.id);
    }

    for (const { id, doc } of of('document')) {
      const entry = lib.entry(doc.meta.id);
      if (!entry) {
        await lib.insertDocument({
          schemaVersion: SCHEMA_VERSION,
          meta: doc.meta,
          text: doc.text,
          paragraphs: doc.paragraphs,
          highlights: [],
        });
        out.applied.push(id);
        continue;
      }
      const store = await lib.loadDocument(doc.meta.id);
      const state = store.state!;
      if (state.text !== doc.text || canonicalJson(state.paragraphs) !== canonicalJson(doc.paragraphs)) {
        refuse(id, 'the text of a shared document changed; text edits are not synced (the local text is kept)');
        continue;
      }
      if (canonicalJson(state.meta) !== canonicalJson(doc.meta)) await lib.commit(store, { meta: doc.meta });
      out.applied.push(id);
    }
    for (const { id, doc } of changes) {
      if (doc === null && id.startsWith('document:')) {
        refuse(id, 'a document removed on the server is kept here; move it to the trash yourself if it should go');
      }
    }

    // Highlights: one logged change per document, with every valid put and delete in it.
    const byDocument = new Map<string, { put: Highlight[]; del: string[]; ids: string[] }>();
    const group = (documentId: string) => {
      let g = byDocument.get(documentId);
      if (!g) byDocument.set(documentId, (g = { put: [], del: [], ids: [] }));
      return g;
    };
    const known = new Set(lib.index.data.codebook.tags.map((t) => t.id));
    for (const { id, doc } of of('highlight')) {
      const h = doc.highlight;
      const unknown = h.tags.filter((t) => !known.has(t));
      if (unknown.length > 0) refuse(id, `it uses codes this library does not have (${unknown.join(', ')})`);
      else if (!lib.entry(h.documentId)) refuse(id, `its document ${h.documentId} is not in this library`);
      else {
        const g = group(h.documentId);
        g.put.push(h);
        g.ids.push(id);
      }
    }
    for (const { id, doc } of changes) {
      if (doc !== null || !id.startsWith('highlight:')) continue;
      const [, documentId, highlightId] = id.split(':');
      if (!lib.entry(documentId)) continue;
      const g = group(documentId);
      g.del.push(highlightId);
      g.ids.push(id);
    }
    for (const [documentId, g] of byDocument) {
      const store = await lib.loadDocument(documentId);
      const state = store.state!;
      const put = g.put.filter((h) => {
        const problem = highlightProblem(h, documentId, state.text);
        if (problem) refuse(highlightIdOf(h), problem);
        return !problem;
      });
      const del = g.del.filter((hid) => state.highlights.has(hid));
      if (put.length > 0 || del.length > 0) await lib.commit(store, { put, del });
      const refused = new Set(out.refused.map((r) => r.id));
      out.applied.push(...g.ids.filter((id) => !refused.has(id)));
    }
    await lib.writeIndex();
    lib.emit({ library: true });
    return out;
  });
}

/**
 * The codebook in the project's order. Codes the order does not name yet (made here, or arriving
 * with a competing order) follow, by id, so every library that applies the same order agrees.
 */
function reorder(lib: LibraryStore, ids: string[]): void {
  const rank = new Map(ids.map((id, i) => [id, i]));
  const tags = [...lib.index.data.codebook.tags].sort(
    (a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  lib.index.data.codebook = { ...lib.index.data.codebook, tags };
}

const highlightIdOf = (h: Highlight) => `highlight:${h.documentId}:${h.id}`;

function applyCodes(
  lib: LibraryStore,
  puts: (RemoteChange & { doc: { type: 'code'; tag: Tag } })[],
  deletions: RemoteChange[],
  out: ApplyOutcome,
): void {
  const tags = structuredClone(lib.index.data.codebook.tags);
  for (const { id, doc } of puts) {
    const clash = tags.find((t) => t.id !== doc.tag.id && nameKey(t.name) === nameKey(doc.tag.name));
    if (clash) {
      out.refused.push({ id, problem: `another code here is already named “${clash.name}”` });
      continue;
    }
    const at = tags.findIndex((t) => t.id === doc.tag.id);
    if (at === -1) tags.push(doc.tag);
    else tags[at] = doc.tag;
    out.applied.push(id);
  }
  for (const { id } of deletions) {
    const tagId = id.slice('code:'.length);
    const used = lib.index.data.documents.some((d) => (d.stats?.tagCounts[tagId] ?? 0) > 0);
    if (used) {
      out.kept.push(id);
      continue;
    }
    const at = tags.findIndex((t) => t.id === tagId);
    if (at !== -1) tags.splice(at, 1);
    out.applied.push(id);
  }
  lib.index.data.codebook = { ...lib.index.data.codebook, tags };
}
