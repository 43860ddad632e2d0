import { randomUUID } from 'node:crypto';
import type { ValidInput } from '../shared/api';
import { GlossaError } from '../shared/errors';
import { MAX_SAVED_QUERIES } from '../shared/limits';
import type { Memo, Memos, SavedQuery } from '../shared/types';
import type { LibraryStore } from './store/library-store';

// Memos (the project's research journal, one per code, one per document) and saved Passages
// queries: small, kept in library.json, written at once (a memo is prose someone just wrote).

export function getMemos(lib: LibraryStore): Promise<Memos> {
  return lib.exclusive(() => {
    const memos = lib.index.data.memos ?? {};
    return structuredClone({ project: memos.project, codes: memos.codes ?? {}, documents: memos.documents ?? {} });
  });
}

/** Writes a memo; empty text removes it. Memos of codes or documents that are gone are refused. */
export function setMemo(lib: LibraryStore, input: ValidInput<'setMemo'>): Promise<Memo> {
  return lib.write(async () => {
    const { target } = input;
    const memos = structuredClone(lib.index.data.memos ?? {});
    const time = lib.now().toISOString();
    const write = (previous: Memo | undefined): Memo | undefined =>
      input.text.trim() ? { text: input.text, created: previous?.created ?? time, updated: time } : undefined;
    let memo: Memo | undefined;
    if (target.kind === 'project') {
      memo = write(memos.project);
      if (memo) memos.project = memo;
      else delete memos.project;
    } else {
      const [bucket, key] =
        target.kind === 'code' ? (['codes', target.tagId] as const) : (['documents', target.documentId] as const);
      if (target.kind === 'code' && !lib.index.data.codebook.tags.some((t) => t.id === target.tagId)) {
        throw new GlossaError('NOT_FOUND', `There is no code with id "${target.tagId}".`);
      }
      if (target.kind === 'document' && !lib.entry(target.documentId)) {
        throw new GlossaError('NOT_FOUND', `There is no document with id "${target.documentId}".`);
      }
      const map = { ...memos[bucket] };
      memo = write(map[key]);
      if (memo) map[key] = memo;
      else delete map[key];
      memos[bucket] = map;
    }
    lib.index.data.memos = memos;
    await lib.writeIndex();
    lib.emit({ library: true });
    return memo ?? { text: '', created: time, updated: time };
  });
}

export function listQueries(lib: LibraryStore): Promise<SavedQuery[]> {
  return lib.exclusive(() => structuredClone(lib.index.data.queries ?? []));
}

/** Saves a query under a name; saving a name again replaces that query. */
export function saveQuery(lib: LibraryStore, input: ValidInput<'saveQuery'>): Promise<SavedQuery> {
  return lib.write(async () => {
    const queries = [...(lib.index.data.queries ?? [])];
    const at = queries.findIndex((q) => q.name.toLowerCase() === input.name.toLowerCase());
    const saved: SavedQuery = {
      id: at >= 0 ? queries[at].id : randomUUID(),
      name: input.name,
      query: input.query,
      ...(input.documentIds?.length ? { documentIds: input.documentIds } : {}),
      ...(input.attributes && Object.keys(input.attributes).length > 0 ? { attributes: input.attributes } : {}),
    };
    if (at >= 0) queries[at] = saved;
    else if (queries.length >= MAX_SAVED_QUERIES) {
      throw new GlossaError('INVALID_INPUT', `A library keeps at most ${MAX_SAVED_QUERIES} saved queries.`);
    } else queries.push(saved);
    lib.index.data.queries = queries;
    await lib.writeIndex();
    lib.emit({ library: true });
    return structuredClone(saved);
  });
}

export function deleteQuery(lib: LibraryStore, queryId: string): Promise<{ deleted: string }> {
  return lib.write(async () => {
    const queries = lib.index.data.queries ?? [];
    if (!queries.some((q) => q.id === queryId))
      throw new GlossaError('NOT_FOUND', `There is no saved query "${queryId}".`);
    lib.index.data.queries = queries.filter((q) => q.id !== queryId);
    await lib.writeIndex();
    lib.emit({ library: true });
    return { deleted: queryId };
  });
}
