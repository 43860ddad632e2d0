import { Serialized } from './serialized';
import { GlossaError } from '../shared/errors';
import type { ValidInput } from '../shared/api';
import type { Codebook, DocumentMeta, DocumentSummary, DocumentView, Highlight, Tag } from '../shared/types';
import { highlightProblem, type DocumentFile } from './stored-schema';
import { summaryFrom, type LibraryStore } from './store/library-store';

// The catalog: the document list and each document's details, the trash, the codebook, what was
// last opened, and what imports add. Reads run in the library's queue like writes, so they see
// every change acknowledged before them.

export function getCodebook(lib: LibraryStore): Promise<Codebook> {
  return lib.exclusive(() => structuredClone(lib.index.data.codebook));
}

/** The document list (or the trash), from the index alone: no document file is read. */
export function listDocuments(lib: LibraryStore, options: { trashed?: boolean } = {}): Promise<DocumentSummary[]> {
  const trashed = options.trashed ?? false;
  return lib.exclusive(() => lib.index.data.documents.filter((d) => Boolean(d.trashed) === trashed).map(summaryFrom));
}

export function getDocument(lib: LibraryStore, documentId: string): Promise<DocumentView> {
  return lib.exclusive(async () => (await lib.loadDocument(documentId)).view());
}

/** The same, with its JSON made once per revision (what the transports answer with). */
export function getDocumentSerialized(lib: LibraryStore, documentId: string): Promise<Serialized<DocumentView>> {
  return lib.exclusive(async () => (await lib.loadDocument(documentId)).serializedView());
}

/** A document's stored form (shared with memory: read, never change), for exports and imports. */
export function readDocument(lib: LibraryStore, documentId: string): Promise<DocumentFile> {
  return lib.exclusive(async () => (await lib.loadDocument(documentId)).file());
}

/**
 * The codebook and the named documents (`'all'`: every document not in the trash) as of one
 * moment: taken in one turn of the queue, so no write lands between two documents of an export.
 * Unknown tags or documents are refused.
 */
export function consistentView(
  lib: LibraryStore,
  documentIds: string[] | 'all',
  tags: string[] = [],
): Promise<{ codebook: Codebook; docs: DocumentView[] }> {
  return lib.exclusive(async () => {
    lib.requireKnownTags(tags);
    const ids =
      documentIds === 'all'
        ? lib.index.data.documents.filter((d) => !d.trashed).map((d) => d.id)
        : [...new Set(documentIds)];
    const docs: DocumentView[] = [];
    for (const id of ids) docs.push((await lib.loadDocument(id)).view());
    return { codebook: structuredClone(lib.index.data.codebook), docs };
  });
}

/** Corrects a document's metadata; `null` clears an optional field. */
export function updateDocument(lib: LibraryStore, change: ValidInput<'updateDocument'>): Promise<DocumentSummary> {
  return lib.write(async () => {
    const store = await lib.loadDocument(change.documentId);
    const meta: DocumentMeta = { ...store.state!.meta };
    if (change.title !== undefined && change.title !== meta.title) {
      meta.title = change.title;
      meta.titleSource = 'user';
      delete meta.titleNote;
    }
    if (change.source !== undefined) meta.source = change.source;
    if (change.attributes !== undefined) {
      const kept = Object.entries(change.attributes).filter(([, v]) => v !== '');
      if (kept.length > 0) meta.attributes = Object.fromEntries(kept);
      else delete meta.attributes;
    }
    // A date the person gives is theirs, not the file's.
    if (change.date !== undefined && change.date !== meta.date) delete meta.dateSource;
    for (const field of ['date', 'author'] as const) {
      const value = change[field];
      if (value === null || value === '') delete meta[field];
      else if (value !== undefined) meta[field] = value;
    }
    await lib.commit(store, { meta });
    await lib.writeIndex();
    return summaryFrom(lib.entry(store.id)!);
  });
}

/** Moves a document to the trash (or back out of it); its file and highlights are untouched. */
export function setTrashed(lib: LibraryStore, documentId: string, trashed: boolean): Promise<DocumentSummary> {
  return lib.write(async () => {
    const store = await lib.loadDocument(documentId);
    const meta: DocumentMeta = { ...store.state!.meta };
    if (trashed) meta.trashed = lib.now().toISOString();
    else delete meta.trashed;
    await lib.commit(store, { meta });
    if (trashed && lib.index.data.lastOpened === documentId) delete lib.index.data.lastOpened;
    await lib.writeIndex();
    return summaryFrom(lib.entry(documentId)!);
  });
}

/** Deletes every trashed document for good: files and index entries. */
export function emptyTrash(lib: LibraryStore): Promise<{ deleted: string[] }> {
  return lib.write(async () => {
    const doomed = lib.index.data.documents.filter((d) => d.trashed).map((d) => d.id);
    // The index is written first: a crash between the two leaves stray files (rebuilt into the
    // trash on a lost index), never an index pointing at missing files.
    lib.index.data.documents = lib.index.data.documents.filter((d) => !d.trashed);
    await lib.writeIndex();
    for (const id of doomed) {
      await lib.store(id).remove();
      lib.docs.delete(id);
    }
    if (doomed.length > 0) lib.emit({ library: true });
    return { deleted: doomed };
  });
}

export function getLastOpened(lib: LibraryStore): Promise<string | null> {
  return lib.exclusive(() => {
    const entry = lib.index.data.lastOpened ? lib.entry(lib.index.data.lastOpened) : undefined;
    return entry && !entry.trashed ? entry.id : null;
  });
}

export function setLastOpened(lib: LibraryStore, documentId: string): Promise<void> {
  return lib.write(async () => {
    if (!lib.entry(documentId)) throw new GlossaError('NOT_FOUND', `There is no document with id "${documentId}".`);
    if (lib.index.data.lastOpened === documentId) return;
    lib.index.data.lastOpened = documentId;
    lib.scheduleIndexWrite();
  });
}

/**
 * Adds a document built by an importer. The same text imported twice is the same document (ids
 * are content hashes): the existing one is returned with `added: false`.
 */
export function addDocument(lib: LibraryStore, doc: DocumentFile): Promise<{ id: string; added: boolean }> {
  return lib.write(async () => {
    const added = await lib.insertDocument(doc);
    if (added) {
      await lib.writeIndex();
      lib.emit({ library: true, documentId: doc.meta.id, revision: 0 });
    }
    return { id: doc.meta.id, added };
  });
}

/**
 * Stores what an import planned (see interchange/apply-import): new tags, new documents, and
 * highlights. A highlight whose id the document already has is left alone and counted. Every
 * highlight and document is checked before anything is written, so a bad one refuses the import
 * whole; each document's highlights are one logged change.
 */
export function mergeImport(
  lib: LibraryStore,
  input: {
    tags: Tag[];
    documents: { documentId: string; add?: DocumentFile; highlights: Highlight[] }[];
  },
): Promise<{ added: number; alreadyPresent: number; documentsAdded: number }> {
  return lib.write(async () => {
    const counts = { added: 0, alreadyPresent: 0, documentsAdded: 0 };
    for (const planned of input.documents) {
      const text =
        planned.add && !lib.entry(planned.documentId)
          ? planned.add.text
          : (await lib.loadDocument(planned.documentId)).state!.text;
      for (const h of planned.highlights) {
        const problem = highlightProblem(h, planned.documentId, text);
        if (problem) throw new GlossaError('INVALID_INPUT', `A highlight cannot be imported: ${problem}.`);
      }
    }
    const tags = lib.index.data.codebook.tags;
    const newTags = input.tags.filter((t) => !tags.some((x) => x.id === t.id));
    if (newTags.length > 0) lib.index.data.codebook = { tags: [...tags, ...newTags] };
    for (const planned of input.documents) {
      if (planned.add && !lib.entry(planned.documentId)) {
        await lib.insertDocument(planned.add);
        counts.documentsAdded++;
      }
      const store = await lib.loadDocument(planned.documentId);
      const present = new Set(store.state!.highlights.keys());
      const fresh = planned.highlights.filter((h) => !present.has(h.id) && (present.add(h.id), true));
      counts.alreadyPresent += planned.highlights.length - fresh.length;
      counts.added += fresh.length;
      if (fresh.length > 0) await lib.commit(store, { put: fresh });
    }
    await lib.writeIndex();
    lib.emit({ library: true });
    return counts;
  });
}
