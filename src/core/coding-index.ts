import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Coded } from '../shared/query';
import type { ChangeEvent, Highlight } from '../shared/types';
import { writeFileDurably } from './store/durable-file';
import type { DocumentFile, IndexEntry } from './stored-schema';
import type { LibraryStore } from './store/library-store';

// What Passages queries and the Analysis view read of every document: its revision, its text's
// length and its highlights as ranges with codes — not its text. Kept in memory once read, and
// saved beside the library (coding-index.json) when it closes, so the first query of the next
// session reads one file instead of every document. A document whose revision in the library
// index differs from the one recorded here is read again, alone; a damaged or foreign file is
// ignored and rebuilt. Derived data: losing it costs a rebuild, never anything else.
//
// Cost: about 40 bytes per highlight on disk and in memory (4 MB at 100,000).

export const CODING_INDEX_FILE = 'coding-index.json';
const FORMAT = 1;
/** A rebuild of this many documents is saved at once, so a crash does not cost it again. */
const REBUILD_SAVE = 50;

export interface CodedDocument {
  revision: number;
  textLength: number;
  highlights: Coded[];
}

interface SavedDocument {
  revision: number;
  textLength: number;
  ids: string[];
  starts: number[];
  ends: number[];
  tags: string[][];
}

class CodingIndex {
  dirty = false;
  constructor(
    private readonly path: string,
    readonly documents: Map<string, CodedDocument>,
  ) {}

  static async open(path: string): Promise<CodingIndex> {
    const documents = new Map<string, CodedDocument>();
    try {
      const saved = JSON.parse(await readFile(path, 'utf8')) as {
        format?: number;
        documents?: Record<string, SavedDocument>;
      };
      if (saved.format === FORMAT && saved.documents && typeof saved.documents === 'object') {
        for (const [id, d] of Object.entries(saved.documents)) {
          const ok =
            Number.isInteger(d.revision) &&
            Number.isInteger(d.textLength) &&
            [d.ids, d.starts, d.ends, d.tags].every((a) => Array.isArray(a) && a.length === d.ids.length);
          if (!ok) continue;
          documents.set(id, {
            revision: d.revision,
            textLength: d.textLength,
            highlights: d.ids.map((hid, i) => ({ id: hid, start: d.starts[i], end: d.ends[i], tags: d.tags[i] })),
          });
        }
      }
    } catch {
      // Missing or unreadable: built again from the documents.
    }
    return new CodingIndex(path, documents);
  }

  /**
   * Applies a change event to a document it holds at the revision before, so a merge across the
   * library keeps the index current without reading anything; any other change (a new text, a
   * gap in revisions) drops the document, to be read again when next asked for.
   */
  follow(event: ChangeEvent): void {
    const id = event.documentId;
    if (id === undefined || event.revision === undefined) return;
    const doc = this.documents.get(id);
    // Not held, or held at this revision already (a document just added announces itself).
    if (!doc || doc.revision === event.revision) return;
    this.dirty = true;
    // New details (a title, an attribute) leave the text and codes as they were; a new text does not.
    if ((event.reload && !event.details) || doc.revision !== event.revision - 1) {
      this.documents.delete(id);
      return;
    }
    const gone = new Set([...(event.del ?? []), ...(event.put ?? []).map((h) => h.id)]);
    const kept = doc.highlights.filter((h) => !gone.has(h.id));
    for (const h of event.put ?? []) {
      const c = coded(h);
      if (c) kept.push(c);
    }
    this.documents.set(id, { revision: event.revision, textLength: doc.textLength, highlights: kept });
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    const documents: Record<string, SavedDocument> = {};
    for (const [id, d] of this.documents) {
      documents[id] = {
        revision: d.revision,
        textLength: d.textLength,
        ids: d.highlights.map((h) => h.id),
        starts: d.highlights.map((h) => h.start),
        ends: d.highlights.map((h) => h.end),
        tags: d.highlights.map((h) => [...h.tags]),
      };
    }
    await writeFileDurably(this.path, JSON.stringify({ format: FORMAT, documents }));
    this.dirty = false;
  }
}

const indexes = new WeakMap<LibraryStore, Promise<CodingIndex>>();

function indexOf(lib: LibraryStore): Promise<CodingIndex> {
  let index = indexes.get(lib);
  if (!index) {
    index = CodingIndex.open(join(lib.dataDir, CODING_INDEX_FILE));
    indexes.set(lib, index);
    // Changes made before it is read are caught by the revision check instead.
    void index.then((opened) => lib.subscribe((event) => opened.follow(event)));
    lib.onClose(async () => {
      const opened = await index;
      if (!opened) return;
      // Documents emptied from the trash since: not carried into the next session.
      for (const id of [...opened.documents.keys()]) {
        if (!lib.entry(id)) {
          opened.documents.delete(id);
          opened.dirty = true;
        }
      }
      await opened.save();
    });
  }
  return index;
}

/**
 * Records a document just added to the library, so the coding index of a library built by Glossa
 * is always current and no query ever has to read every document to build it (only a library
 * from before the index, or one whose index was lost, pays that once).
 */
export async function noteAdded(lib: LibraryStore, doc: DocumentFile, revision: number): Promise<void> {
  const index = await indexOf(lib);
  index.documents.set(doc.meta.id, {
    revision,
    textLength: doc.text.length,
    highlights: doc.highlights.map(coded).filter((c): c is Coded => c !== null),
  });
  index.dirty = true;
}

const coded = (h: Highlight): Coded | null =>
  h.orphan ? null : { id: h.id, start: h.target.position.start, end: h.target.position.end, tags: h.tags };

/**
 * The coded form of each entry, from the index while its revision is current, else read (an
 * open document from memory, a closed one from its file). Runs inside the library's queue.
 */
export async function codedDocuments(lib: LibraryStore, entries: IndexEntry[]): Promise<Map<string, CodedDocument>> {
  const index = await indexOf(lib);
  const out = new Map<string, CodedDocument>();
  let read = 0;
  for (const entry of entries) {
    const cached = index.documents.get(entry.id);
    const revision = entry.stats?.revision;
    const open = lib.docs.get(entry.id)?.state;
    if (cached && revision !== undefined && cached.revision === revision && (!open || open.revision === revision)) {
      out.set(entry.id, cached);
      continue;
    }
    const file = open
      ? { revision: open.revision, text: open.text, highlights: [...open.highlights.values()] }
      : await lib.readUncached(entry.id);
    const doc: CodedDocument = {
      revision: file.revision ?? 0,
      textLength: file.text.length,
      highlights: file.highlights.map(coded).filter((c): c is Coded => c !== null),
    };
    index.documents.set(entry.id, doc);
    index.dirty = true;
    read++;
    out.set(entry.id, doc);
  }
  if (read >= REBUILD_SAVE && !lib.readOnly) await index.save().catch(() => undefined);
  return out;
}
