import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { GlossaError } from '../shared/errors';
import { ID_PATTERN } from '../shared/limits';
import { highlightSchema, idSchema, tagSchema } from '../shared/schemas';
import type { AppliedChange, Codebook, Highlight } from '../shared/types';
import { writeFileDurably } from './store/durable-file';
import { inParallel } from './in-parallel';
import type { LibraryStore } from './store/library-store';

// A codebook change (create, rename, nest, merge, delete…) can touch the codebook and any number of
// documents. Each document's change is atomic on its own (one log line), but a merge across a
// thousand documents is a thousand of them; this journal makes the whole all-or-nothing and
// undoable.
//
// Before anything is changed the journal file (`changes/<id>.json`: the codebook before and after,
// and every affected highlight before and after) is written durably; then library.json records
// `pendingChange` — the commit point. The documents and the codebook are changed after that, and
// `pendingChange` is cleared last. A crash before the commit point leaves a journal nobody points
// at (the change never happened); after it, opening the library finishes the change from the
// journal. Finishing is idempotent: a highlight already in its new state is left alone.
//
// Undo and redo replay the same journal the other way. A highlight changed since (a note edited
// in another window) is not in the state the journal expects and is left as it is, and counted:
// undo never overwrites newer work. Trade-off: the journal holds two copies of every affected
// highlight (a merge of a code on 100,000 highlights writes ~60 MB), the price of an exact undo
// that survives restarts; only the latest JOURNALS_KEPT are kept.

const JOURNALS_KEPT = 100;
/** Documents changed at once by one codebook change. */
const DOCUMENTS_AT_ONCE = 16;

export interface DocumentDelta {
  documentId: string;
  /** The affected highlights as they were. */
  before: Highlight[];
  /** The same highlights afterwards; one absent here was deleted by the change. */
  after: Highlight[];
}

export interface CodebookChange {
  id: string;
  label: string;
  time: string;
  before: Codebook;
  after: Codebook;
  documents: DocumentDelta[];
}

const codebookShape = z.object({ tags: z.array(tagSchema.loose()) });
const journalSchema = z.object({
  id: idSchema,
  label: z.string(),
  time: z.string(),
  before: codebookShape,
  after: codebookShape,
  documents: z.array(
    z.object({
      documentId: idSchema,
      before: z.array(highlightSchema.loose()),
      after: z.array(highlightSchema.loose()),
    }),
  ),
});

export type Direction = 'do' | 'undo';

export type Applied = AppliedChange;

function journalDir(lib: LibraryStore): string {
  return join(lib.dataDir, 'changes');
}

function journalPath(lib: LibraryStore, id: string): string {
  if (!ID_PATTERN.test(id)) throw new GlossaError('INVALID_INPUT', `"${id}" is not a change id.`);
  return join(journalDir(lib), `${id}.json`);
}

/** A change id that sorts by time, so the oldest journals are the first names. */
export function newChangeId(now: Date): string {
  return `${now.getTime().toString(36).padStart(9, '0')}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function readJournal(lib: LibraryStore, id: string): Promise<CodebookChange> {
  let raw: string;
  try {
    raw = await readFile(journalPath(lib, id), 'utf8');
  } catch {
    throw new GlossaError(
      'NOT_FOUND',
      `The record of change "${id}" is gone (only the last ${JOURNALS_KEPT} are kept).`,
    );
  }
  const parsed = journalSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new GlossaError('CONFLICT', `The record of change "${id}" is damaged.`);
  return parsed.data as CodebookChange;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The codebook to end with: exactly `to` when the codebook is still as the change left it (the
 * usual undo); otherwise only the codes this change touched are put back, so a code created
 * since in another window survives.
 */
function targetCodebook(current: Codebook, from: Codebook, to: Codebook): Codebook {
  if (same(current, from)) return structuredClone(to);
  const touched = new Set(
    [...from.tags, ...to.tags]
      .map((t) => t.id)
      .filter(
        (id) =>
          !same(
            from.tags.find((t) => t.id === id),
            to.tags.find((t) => t.id === id),
          ),
      ),
  );
  const tags = current.tags.flatMap((t) => {
    if (!touched.has(t.id)) return [t];
    const wanted = to.tags.find((x) => x.id === t.id);
    return wanted ? [structuredClone(wanted)] : [];
  });
  for (const [i, t] of to.tags.entries()) {
    if (touched.has(t.id) && !tags.some((x) => x.id === t.id))
      tags.splice(Math.min(i, tags.length), 0, structuredClone(t));
  }
  return { tags };
}

/** Moves the library's codebook and documents from one side of a change to the other. */
async function apply(lib: LibraryStore, change: CodebookChange, direction: Direction): Promise<Applied> {
  const result: Applied = { documents: 0, highlights: 0, deleted: 0, skipped: 0 };
  const codebookFrom = direction === 'do' ? change.before : change.after;
  const codebookTo = direction === 'do' ? change.after : change.before;
  const next = targetCodebook(lib.index.data.codebook, codebookFrom, codebookTo);
  // Codes are added before documents use them and removed after documents stop.
  lib.index.data.codebook = {
    tags: [...next.tags, ...lib.index.data.codebook.tags.filter((t) => !next.tags.some((x) => x.id === t.id))],
  };
  // Documents are changed several at a time: each is its own logged, fsynced change, and the
  // journal makes the set all-or-nothing, so their order does not matter — while their fsyncs,
  // issued together, share the disk's flushes (one after another, a thousand of them were most
  // of a merge's time).
  await inParallel(change.documents, DOCUMENTS_AT_ONCE, async (delta) => {
    if (!lib.entry(delta.documentId)) return; // emptied from the trash since: nothing to change
    const store = await lib.loadDocument(delta.documentId);
    const current = store.state!.highlights;
    const from = direction === 'do' ? delta.before : delta.after;
    const to = direction === 'do' ? delta.after : delta.before;
    const toById = new Map(to.map((h) => [h.id, h]));
    const put: Highlight[] = [];
    const del: string[] = [];
    for (const h of from) {
      const now = current.get(h.id);
      const wanted = toById.get(h.id);
      if (wanted ? same(now, wanted) : now === undefined) continue; // already there (a finished crash)
      if (!same(now, h)) {
        result.skipped++;
        continue;
      }
      if (wanted) put.push(structuredClone(wanted));
      else del.push(h.id);
    }
    for (const h of to) {
      if (from.some((f) => f.id === h.id)) continue;
      const now = current.get(h.id);
      if (now === undefined) put.push(structuredClone(h));
      else if (!same(now, h)) result.skipped++;
    }
    if (put.length > 0 || del.length > 0) {
      await lib.commit(store, { put, del });
      result.documents++;
      result.highlights += put.length;
      result.deleted += del.length;
    }
  });
  lib.index.data.codebook = next;
  return result;
}

/** Keeps the newest journals; the rest cannot be undone any more. */
async function prune(lib: LibraryStore): Promise<void> {
  const names = (await readdir(journalDir(lib)).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
  for (const name of names.slice(0, Math.max(0, names.length - JOURNALS_KEPT))) {
    await unlink(join(journalDir(lib), name)).catch(() => undefined);
  }
}

/**
 * Runs a change (or its undo) all-or-nothing. Call inside `lib.write`. Before the commit point a
 * failure changes nothing; after it, the change is finished now or on the next open.
 */
export async function runChange(lib: LibraryStore, change: CodebookChange, direction: Direction): Promise<Applied> {
  if (direction === 'do') {
    await mkdir(journalDir(lib), { recursive: true });
    await writeFileDurably(journalPath(lib, change.id), JSON.stringify(change));
  }
  // A change to the codebook alone (a rename, a colour, a new code) is one write of library.json:
  // atomic by itself, so it needs no commit point of its own. That keeps a rename to two durable
  // writes (journal, index) however large the library.
  const touchesDocuments = change.documents.length > 0;
  if (touchesDocuments) {
    lib.index.data.pendingChange = { id: change.id, direction };
    await lib.writeIndex();
  }
  const applied = await apply(lib, change, direction);
  delete lib.index.data.pendingChange;
  await lib.writeIndex();
  lib.emit({ library: true });
  if (direction === 'do') await prune(lib);
  return applied;
}

/** On open: finishes a change a crash interrupted after its commit point. */
export async function finishPendingChange(lib: LibraryStore): Promise<void> {
  const pending = lib.index.data.pendingChange;
  if (!pending) return;
  try {
    const change = await readJournal(lib, pending.id);
    await apply(lib, change, pending.direction);
    lib.notify('info', `A codebook change ("${change.label}") interrupted when Glossa stopped was finished.`);
  } catch (error) {
    lib.notify(
      'error',
      `A codebook change interrupted when Glossa stopped could not be finished (${(error as Error).message}); ` +
        'the codebook and highlights are as it left them.',
    );
  }
  delete lib.index.data.pendingChange;
  await lib.writeIndex();
}
