import { randomBytes } from 'node:crypto';
import type { ValidInput } from '../shared/api';
import { findTag, idForName, mergedTags, nameKey, nextColour, someNames, wouldCycle } from '../shared/codebook';
import { GlossaError } from '../shared/errors';
import type { Codebook, CodebookResult, Highlight, Tag, TagUsage } from '../shared/types';
import { newChangeId, readJournal, runChange, type CodebookChange, type DocumentDelta } from './codebook-journal';
import type { LibraryStore } from './store/library-store';
import type { DocumentStore } from './store/document-store';
import { inParallel } from './in-parallel';

// Shaping the codebook: every operation is one journaled change (see codebook-journal), so it is
// all-or-nothing across documents and can be undone exactly. Renaming, recolouring, describing,
// nesting and reordering touch library.json only — highlights store a code's id, never its name —
// so their cost does not grow with the library. Merging and deleting rewrite only the documents
// whose counts (kept in the index) say they use the code.

function tagById(codebook: Codebook, id: string): Tag {
  const tag = codebook.tags.find((t) => t.id === id);
  if (!tag) {
    throw new GlossaError('NOT_FOUND', `There is no code with id "${id}".`);
  }
  return tag;
}

function requireFreeName(codebook: Codebook, name: string, exceptId?: string): void {
  const clash = codebook.tags.find((t) => t.id !== exceptId && nameKey(t.name) === nameKey(name));
  if (clash) throw new GlossaError('INVALID_INPUT', `A code named "${clash.name}" already exists.`);
}

function requireFreeShortcut(codebook: Codebook, key: string | undefined, exceptId?: string): void {
  if (!key) return;
  const clash = codebook.tags.find((t) => t.id !== exceptId && t.shortcut?.toLowerCase() === key.toLowerCase());
  if (clash) throw new GlossaError('INVALID_INPUT', `The key "${key}" already applies "${clash.name}".`);
}

function requireParent(codebook: Codebook, tagId: string | null, parent: string | null | undefined): void {
  if (parent === undefined || parent === null) return;
  tagById(codebook, parent);
  if (tagId !== null && wouldCycle(codebook, tagId, parent)) {
    const name = tagById(codebook, tagId).name;
    throw new GlossaError(
      'INVALID_INPUT',
      `"${name}" cannot go under "${tagById(codebook, parent).name}": that is inside it.`,
    );
  }
}

/** Documents (not in the trash or in it: a code's highlights are everywhere) whose counts show the code. */
function documentsUsing(lib: LibraryStore, tagId: string): string[] {
  return lib.index.data.documents
    .filter((d) => d.stats === undefined || (d.stats.tagCounts[tagId] ?? 0) > 0)
    .map((d) => d.id);
}

/** Each affected document's highlights before and after `rewrite` (null: delete the highlight). */
/**
 * The documents whose index counts show the code, loaded several at a time (reading and checking a
 * thousand files one by one is most of a merge's cost before anything is written), in library order.
 */
async function storesUsing(lib: LibraryStore, tagId: string): Promise<Map<string, DocumentStore>> {
  const ids = documentsUsing(lib, tagId);
  const loaded = new Map<string, DocumentStore>();
  await inParallel(ids, 16, async (id) => {
    loaded.set(id, await lib.loadDocument(id));
  });
  return new Map(ids.map((id) => [id, loaded.get(id)!]));
}

async function deltas(
  lib: LibraryStore,
  tagId: string,
  rewrite: (h: Highlight) => Highlight | null,
): Promise<DocumentDelta[]> {
  const out: DocumentDelta[] = [];
  for (const [documentId, store] of await storesUsing(lib, tagId)) {
    const before: Highlight[] = [];
    const after: Highlight[] = [];
    for (const h of store.state!.highlights.values()) {
      if (!h.tags.includes(tagId)) continue;
      before.push(structuredClone(h));
      const next = rewrite(h);
      if (next) after.push(next);
    }
    if (before.length > 0) out.push({ documentId, before, after });
  }
  return out;
}

async function run(
  lib: LibraryStore,
  label: string,
  after: Codebook,
  documents: DocumentDelta[] = [],
  tagId?: string,
): Promise<CodebookResult> {
  const change: CodebookChange = {
    id: newChangeId(lib.now()),
    label,
    time: lib.now().toISOString(),
    before: structuredClone(lib.index.data.codebook),
    after,
    documents,
  };
  const applied = await runChange(lib, change, 'do');
  const codebook = structuredClone(lib.index.data.codebook);
  return {
    codebook,
    change: { id: change.id, label },
    applied,
    tag: tagId ? codebook.tags.find((t) => t.id === tagId) : undefined,
  };
}

const random = () => randomBytes(3).toString('hex');

export function createTag(lib: LibraryStore, input: ValidInput<'createTag'>): Promise<CodebookResult> {
  return lib.write(async () => {
    const codebook = lib.index.data.codebook;
    requireFreeName(codebook, input.name);
    requireParent(codebook, null, input.parent);
    requireFreeShortcut(codebook, input.shortcut);
    const tag: Tag = {
      id: idForName(input.name, new Set(codebook.tags.map((t) => t.id)), random),
      name: input.name,
      color: input.color ?? nextColour(codebook),
    };
    if (input.parent) tag.parent = input.parent;
    if (input.description) tag.description = input.description;
    if (input.shortcut) tag.shortcut = input.shortcut.toLowerCase();
    return run(lib, `Create code “${tag.name}”`, { tags: [...structuredClone(codebook.tags), tag] }, [], tag.id);
  });
}

/** Renames, recolours, describes, nests or reorders one code: library.json only. */
export function updateTag(lib: LibraryStore, input: ValidInput<'updateTag'>): Promise<CodebookResult> {
  return lib.write(async () => {
    const codebook = lib.index.data.codebook;
    const current = tagById(codebook, input.tagId);
    const next: Tag = structuredClone(current);
    const what: string[] = [];
    if (input.name !== undefined && input.name !== current.name) {
      requireFreeName(codebook, input.name, current.id);
      next.name = input.name;
      what.push(`Rename code “${current.name}” to “${input.name}”`);
    }
    if (input.color !== undefined && input.color !== current.color) {
      next.color = input.color;
      what.push(`Recolour code “${current.name}”`);
    }
    if (input.description !== undefined && input.description !== (current.description ?? '')) {
      if (input.description) next.description = input.description;
      else delete next.description;
      what.push(`Describe code “${current.name}”`);
    }
    if (input.shortcut !== undefined && (input.shortcut ?? undefined) !== current.shortcut) {
      requireFreeShortcut(codebook, input.shortcut ?? undefined, current.id);
      if (input.shortcut) next.shortcut = input.shortcut.toLowerCase();
      else delete next.shortcut;
      what.push(`Set the key of code “${current.name}”`);
    }
    if (input.parent !== undefined && input.parent !== (current.parent ?? null)) {
      requireParent(codebook, current.id, input.parent);
      if (input.parent) next.parent = input.parent;
      else delete next.parent;
      what.push(
        input.parent
          ? `Move code “${current.name}” under “${tagById(codebook, input.parent).name}”`
          : `Move code “${current.name}” to the top level`,
      );
    }
    const tags = codebook.tags.map((t) => (t.id === current.id ? next : structuredClone(t)));
    if (input.before !== undefined) {
      if (input.before === current.id) throw new GlossaError('INVALID_INPUT', 'A code cannot go before itself.');
      if (input.before !== null) tagById(codebook, input.before);
      const moved = tags.splice(
        tags.findIndex((t) => t.id === current.id),
        1,
      )[0];
      const at = input.before === null ? tags.length : tags.findIndex((t) => t.id === input.before);
      tags.splice(at, 0, moved);
      if (tags.some((t, i) => t.id !== codebook.tags[i].id)) what.push(`Reorder code “${current.name}”`);
    }
    if (what.length === 0) throw new GlossaError('INVALID_INPUT', `Nothing to change on code “${current.name}”.`);
    return run(lib, what.length === 1 ? what[0] : `Change code “${current.name}”`, { tags }, [], current.id);
  });
}

/**
 * Merges one code into another: every highlight of `from` gets `into` (never twice), `from`'s
 * children move under `into`, its description is appended to `into`'s, and `from` is gone.
 */
export function mergeTags(lib: LibraryStore, input: ValidInput<'mergeTags'>): Promise<CodebookResult> {
  return lib.write(async () => {
    const codebook = lib.index.data.codebook;
    const from = tagById(codebook, input.from);
    const into = tagById(codebook, input.into);
    if (from.id === into.id)
      throw new GlossaError('INVALID_INPUT', `A code cannot be merged into itself (“${from.name}”).`);
    const time = lib.now().toISOString();
    const documents = await deltas(lib, from.id, (h) => ({
      ...structuredClone(h),
      tags: mergedTags(h.tags, from.id, into.id),
      updated: time,
    }));
    const intoIsInside = wouldCycle(codebook, from.id, into.id);
    const tags = codebook.tags
      .filter((t) => t.id !== from.id)
      .map((t) => {
        const next = structuredClone(t);
        if (t.id === into.id) {
          // `into` inside `from`: it takes `from`'s place in the tree before `from`'s children move under it.
          if (intoIsInside) {
            if (from.parent) next.parent = from.parent;
            else delete next.parent;
          }
          const texts = [t.description, from.description].filter((d): d is string => Boolean(d?.trim()));
          if (from.description?.trim()) next.description = texts.join(`\n\n*Merged from “${from.name}”:*\n\n`);
          if (!next.shortcut && from.shortcut) next.shortcut = from.shortcut;
        } else if (t.parent === from.id) {
          next.parent = into.id;
        }
        return next;
      });
    return run(lib, `Merge code “${from.name}” into “${into.name}”`, { tags }, documents, into.id);
  });
}

/** How many highlights use a code, in how many documents, and how many would be left with no code. */
export function tagUsage(lib: LibraryStore, tagId: string): Promise<TagUsage> {
  return lib.exclusive(async () => {
    const codebook = lib.index.data.codebook;
    const tag = tagById(codebook, tagId);
    let highlights = 0;
    let documents = 0;
    let emptied = 0;
    for (const store of (await storesUsing(lib, tagId)).values()) {
      let here = 0;
      for (const h of store.state!.highlights.values()) {
        if (!h.tags.includes(tagId)) continue;
        here++;
        if (h.tags.length === 1) emptied++;
      }
      highlights += here;
      if (here > 0) documents++;
    }
    const children = codebook.tags.filter((t) => t.parent === tagId).length;
    return { tag: structuredClone(tag), highlights, documents, emptied, children };
  });
}

/**
 * Deletes a code: its highlights lose it, and a highlight left with no code is deleted; its
 * children move up to its parent.
 */
export function deleteTag(lib: LibraryStore, input: ValidInput<'deleteTag'>): Promise<CodebookResult> {
  return lib.write(async () => {
    const codebook = lib.index.data.codebook;
    const tag = tagById(codebook, input.tagId);
    const time = lib.now().toISOString();
    const documents = await deltas(lib, tag.id, (h) => {
      const tags = h.tags.filter((t) => t !== tag.id);
      return tags.length > 0 ? { ...structuredClone(h), tags, updated: time } : null;
    });
    const tags = codebook.tags
      .filter((t) => t.id !== tag.id)
      .map((t) => {
        if (t.parent !== tag.id) return structuredClone(t);
        const next = structuredClone(t);
        if (tag.parent) next.parent = tag.parent;
        else delete next.parent;
        return next;
      });
    return run(lib, `Delete code “${tag.name}”`, { tags }, documents);
  });
}

/** Undoes (or redoes) a codebook change by its journal. */
export function revertChange(lib: LibraryStore, input: ValidInput<'revertCodebookChange'>): Promise<CodebookResult> {
  return lib.write(async () => {
    const change = await readJournal(lib, input.changeId);
    const direction = input.direction === 'redo' ? 'do' : 'undo';
    if (direction === 'undo') {
      // A code the change added and that highlights use now (made since, elsewhere) stays.
      const added = change.after.tags.filter((t) => !change.before.tags.some((b) => b.id === t.id));
      const used = added.filter((t) => lib.index.data.documents.some((d) => (d.stats?.tagCounts[t.id] ?? 0) > 0));
      if (used.length > 0) {
        throw new GlossaError(
          'CONFLICT',
          `Code “${used[0].name}” is in use by highlights made since; remove it from them first.`,
        );
      }
    }
    const applied = await runChange(lib, change, direction);
    return {
      codebook: structuredClone(lib.index.data.codebook),
      change: { id: change.id, label: change.label },
      applied,
    };
  });
}

/** The code a person names (any case), or NOT_FOUND naming what there is. */
export function resolveTagName(codebook: Codebook, name: string): Tag {
  const tag = findTag(codebook, name);
  if (!tag) {
    const known = someNames(codebook.tags.map((t) => t.name));
    throw new GlossaError('NOT_FOUND', `There is no code named "${name}"; the codebook has: ${known}.`);
  }
  return tag;
}
