import { createHash } from 'node:crypto';
import { join } from 'node:path';
import PouchDB from 'pouchdb';
import { GlossaError } from '../../shared/errors';
import { canonicalJson, docIdOf, DOC_ORDER, type ProjectDoc, type SyncReport } from '../../shared/project-docs';
import type { LibraryStore } from '../store/library-store';
import { applyRemote, type RemoteChange } from './apply-remote';
import { parseProjectDoc } from './incoming';
import { remoteError } from './remote';
import { coderDatabase, highlightBy, notHighlight } from './blind';
import { newProject, readProject, writeProject, type ProjectFile } from './project-file';

export { projectStatus, readProject, setBlind, writeProject, type ProjectFile } from './project-file';

// Team projects over the CouchDB replication protocol. lowdb stays the library's store; beside it a
// PouchDB replica (`project-replica/`, LevelDB) holds the project's CouchDB documents, and PouchDB
// replicates it with the team's CouchDB database, checkpoints and conflicts included. One sync:
//
// 1. publish: each code, document and highlight whose content changed since the last sync becomes
//    a new revision in the replica, as a child of the revision the library last matched. If someone
//    else changed the same thing meanwhile, the two are siblings: a CouchDB conflict, both kept.
// 2. replicate: both ways with the server, resuming from PouchDB's checkpoints.
// 3. apply: every replica change since the last applied sequence is checked and written into the
//    library (apply-remote.ts); where CouchDB holds a conflict, its deterministic winner is applied
//    and the others are kept in the replica for the researcher to settle.
//
// Revisions published here are made from their content and parent (md5, as CouchDB's own are), so
// publishing again after a crash gives the same revisions: no duplicates, nothing re-sent twice.

const REPLICA_DIR = 'project-replica';

export type ProjectDb = PouchDB.Database;

export interface Credentials {
  user?: string;
  password?: string;
}

export const md5 = (s: string) => createHash('md5').update(s).digest('hex');

export function openReplica(dataDir: string): ProjectDb {
  return new PouchDB(join(dataDir, REPLICA_DIR));
}

export function openRemote(project: ProjectFile, credentials: Credentials, create = false): ProjectDb {
  const { user, password } = credentials;
  return new PouchDB(`${project.server}/${encodeURIComponent(project.db)}`, {
    skip_setup: !create,
    ...(user && password !== undefined ? { auth: { username: user, password } } : {}),
  });
}

/**
 * The library as project documents, by CouchDB id: every code, document (trashed too) and
 * highlight, and the project's settings.
 */
async function libraryDocs(
  lib: LibraryStore,
  project: ProjectFile,
  only: ReadonlySet<string> | 'all',
): Promise<Map<string, ProjectDoc>> {
  const docs = new Map<string, ProjectDoc>();
  const put = (doc: ProjectDoc) => docs.set(docIdOf(doc), doc);
  if (project.blind !== undefined) put({ type: 'settings', blind: project.blind });
  await lib.exclusive(async () => {
    for (const tag of lib.index.data.codebook.tags) put({ type: 'code', tag: structuredClone(tag) });
    put({ type: 'order', tags: lib.index.data.codebook.tags.map((t) => t.id) });
    for (const { id } of lib.index.data.documents) {
      if (only !== 'all' && !only.has(id)) continue;
      const view = (await lib.loadDocument(id)).view();
      put({ type: 'document', meta: view.meta, text: view.text, paragraphs: view.paragraphs });
      for (const highlight of view.highlights) put({ type: 'highlight', highlight });
    }
  });
  return docs;
}

/**
 * A revision of `id` as a child of `parent` (none: a first revision), named as CouchDB names its
 * own: generation and an md5 of what it holds and descends from. For bulkDocs with new_edits false.
 */
export function childRevision(
  id: string,
  parent: string | undefined,
  content: Record<string, unknown>,
  hash: string,
): Record<string, unknown> & { _rev: string } {
  const gen = parent ? Number(parent.split('-')[0]) + 1 : 1;
  const own = md5(`${parent ?? ''}\n${hash}`);
  return {
    ...content,
    _id: id,
    _rev: `${gen}-${own}`,
    _revisions: { start: gen, ids: parent ? [own, parent.slice(parent.indexOf('-') + 1)] : [own] },
  };
}

/** The document a project document belongs to (none: a code, the order, the settings). */
const documentOf = (id: string): string | null =>
  id.startsWith('document:') || id.startsWith('highlight:') ? id.split(':')[1] : null;

/**
 * Step 1: what changed in the library since the last sync, as revisions in the replica. `only`
 * names the documents changed since (the app knows them from its change events), so a sync costs
 * what changed, not the library; a fresh process, not knowing, looks at every document.
 */
async function publish(
  lib: LibraryStore,
  replica: ProjectDb,
  project: ProjectFile,
  only: ReadonlySet<string> | 'all' = 'all',
): Promise<number> {
  const current = await libraryDocs(lib, project, only);
  // Documents not looked at keep what was known of them.
  const looked = (id: string) => {
    const d = documentOf(id);
    return only === 'all' || d === null || only.has(d) || !lib.entry(d);
  };
  const writes: Record<string, unknown>[] = [];
  const next: ProjectFile['known'] = {};
  for (const [id, known] of Object.entries(project.known)) if (!looked(id)) next[id] = known;
  const revise = (id: string, content: Record<string, unknown>, hash: string) => {
    const write = childRevision(id, project.known[id]?.rev, content, hash);
    writes.push(write);
    return write._rev;
  };
  const changed: { id: string; doc: ProjectDoc; hash: string }[] = [];
  for (const [id, doc] of current) {
    const hash = md5(canonicalJson(doc));
    const known = project.known[id];
    if (known && known.hash === hash) next[id] = known;
    else changed.push({ id, doc, hash });
  }
  // The replica may already hold this content (applied to the library by a sync that stopped before
  // it saved project.json): that revision is adopted instead of making a twin of it.
  const inReplica = await winners(
    replica,
    changed.map((c) => c.id),
  );
  for (const { id, doc, hash } of changed) {
    const there = inReplica.get(id);
    next[id] = there && there.hash === hash ? there : { rev: revise(id, doc as Record<string, unknown>, hash), hash };
  }
  for (const id of Object.keys(project.known)) {
    if (looked(id) && !current.has(id)) revise(id, { _deleted: true }, 'deleted');
  }
  if (writes.length > 0) await replica.bulkDocs(writes, { new_edits: false });
  project.known = next;
  return writes.length;
}

/** The replica's winning revision of each id, with the hash of its content (none for a deletion). */
async function winners(replica: ProjectDb, ids: string[]): Promise<Map<string, { rev: string; hash: string }>> {
  const found = new Map<string, { rev: string; hash: string }>();
  if (ids.length === 0) return found;
  const { rows } = await replica.allDocs({ keys: ids, include_docs: true });
  for (const row of rows) {
    if (!('doc' in row) || !row.doc) continue;
    const { _id, _rev, ...content } = row.doc as Record<string, unknown> & { _rev: string };
    const parsed = parseProjectDoc(row.id, content);
    if ('doc' in parsed) found.set(row.id, { rev: _rev, hash: md5(canonicalJson(parsed.doc)) });
  }
  return found;
}

/** Step 3: every replica change since the last one applied, checked and written into the library. */
async function applyPending(
  lib: LibraryStore,
  replica: ProjectDb,
  project: ProjectFile,
): Promise<{ applied: number; appliedIds: string[]; refused: { id: string; problem: string }[]; kept: number }> {
  const feed = await replica.changes({ since: project.lastSeq, include_docs: true, conflicts: true });
  type Row = { id: string; deleted: boolean; raw: Record<string, unknown> & { _rev: string; _conflicts?: string[] } };
  const rows: Row[] = [];
  for (const change of feed.results) {
    const raw = change.doc as Row['raw'] | undefined;
    if (raw && !change.id.startsWith('_design/')) rows.push({ id: change.id, deleted: change.deleted === true, raw });
  }
  // What was refused before is looked at again each time: a highlight refused for a code that had
  // not arrived yet is applied once it has.
  const again = project.refused.map((r) => r.id).filter((id) => !rows.some((r) => r.id === id));
  if (again.length > 0) {
    const { rows: found } = await replica.allDocs({ keys: again, include_docs: true, conflicts: true });
    for (const row of found) {
      if (row.doc) rows.push({ id: row.id, deleted: false, raw: row.doc });
      else if (row.value?.deleted) rows.push({ id: row.id, deleted: true, raw: { _id: row.id, _rev: row.value.rev } });
    }
  }
  const conflicts = new Set(project.conflicts);
  const pending: (RemoteChange & { rev: string; hash: string })[] = [];
  const refused: { id: string; problem: string }[] = [];
  const settled: string[] = [];
  for (const { id, deleted, raw } of rows) {
    if (raw._conflicts && raw._conflicts.length > 0) conflicts.add(id);
    else conflicts.delete(id);
    if (project.known[id]?.rev === raw._rev) {
      settled.push(id);
      continue;
    }
    if (deleted) {
      pending.push({ id, doc: null, rev: raw._rev, hash: 'deleted' });
      continue;
    }
    const { _id, _rev, _conflicts, _revisions, ...content } = raw;
    const parsed = parseProjectDoc(id, content);
    if ('problem' in parsed) refused.push({ id, problem: parsed.problem });
    else pending.push({ id, doc: parsed.doc, rev: raw._rev, hash: md5(canonicalJson(parsed.doc)) });
  }
  pending.sort((a, b) => order(a) - order(b));
  // The project's settings are the project's, not the library's: kept in project.json.
  const settings = pending.filter((p) => p.doc?.type === 'settings');
  for (const s of settings) if (s.doc?.type === 'settings') project.blind = s.doc.blind;
  const outcome = await applyRemote(
    lib,
    pending.filter((p) => p.doc?.type !== 'settings'),
  );
  outcome.applied.push(...settings.map((s) => s.id));
  const done = new Set(outcome.applied);
  const keptCodes = new Set(outcome.kept);
  for (const p of pending) {
    if (keptCodes.has(p.id)) {
      // A code deleted elsewhere but still used here comes back: its next publish is a new
      // revision on the deletion, so the highlights that use it are never refused anywhere.
      project.known[p.id] = { rev: p.rev, hash: 'deleted' };
      settled.push(p.id);
      continue;
    }
    if (!done.has(p.id)) continue;
    if (p.doc === null) delete project.known[p.id];
    else project.known[p.id] = { rev: p.rev, hash: p.hash };
  }
  project.lastSeq = feed.last_seq;
  project.conflicts = [...conflicts].sort();
  return {
    applied: outcome.applied.length,
    appliedIds: [...outcome.applied, ...settled],
    refused: [...refused, ...outcome.refused],
    kept: outcome.kept.length,
  };
}

const order = (c: RemoteChange) => DOC_ORDER.indexOf(c.doc?.type ?? (c.id.split(':')[0] as ProjectDoc['type']));

/**
 * One sync, both ways, until both sides are caught up. The library must already be a project
 * (share or join). Throws a GlossaError that says what went wrong with the server; the library
 * is never left half-written by a failure (each step's writes are whole or not at all).
 */
export async function syncProject(
  lib: LibraryStore,
  dataDir: string,
  credentials: Credentials,
  changed: ReadonlySet<string> | 'all' = 'all',
): Promise<SyncReport> {
  const project = await readProject(dataDir);
  if (!project) throw new GlossaError('NOT_FOUND', 'This library is not a team project. Share it or join one first.');
  return runSync(lib, dataDir, project, credentials, 'sync', changed);
}

export async function runSync(
  lib: LibraryStore,
  dataDir: string,
  project: ProjectFile,
  credentials: Credentials,
  mode: 'share' | 'join' | 'sync',
  changed: ReadonlySet<string> | 'all' = 'all',
): Promise<SyncReport> {
  const create = mode === 'share';
  const replica = openReplica(dataDir);
  const auth = { user: credentials.user ?? project.user, password: credentials.password };
  const remote = openRemote(project, auth, create);
  const at = () => new Date().toISOString();
  try {
    // Publishing first also covers a sync that stopped between replicating and applying: a local
    // edit of something that came in then becomes a sibling of it (a conflict), never overwritten.
    // A library that joins has nothing of its own to send yet (not even its codebook's order).
    if (mode !== 'join') await publish(lib, replica, project, changed);
    const remoteStep = async <T>(step: () => Promise<T>): Promise<T> => {
      try {
        return await step();
      } catch (error) {
        const failure = remoteError(error, project);
        // A share or join that never reached the server leaves no project behind to sync.
        if (mode !== 'sync') throw failure.error;
        project.lastResult = { state: failure.offline ? 'offline' : 'error', at: at(), message: failure.error.message };
        await writeProject(dataDir, project);
        throw failure.error;
      }
    };
    if (create) await remoteStep(() => remote.info());
    let pulled = (await remoteStep(() => replica.replicate.from(remote, { retry: false }))).docs_written;
    if (mode === 'join') {
      // The codebook a new library starts with is replaced by the project's, not merged into it:
      // once the project has arrived, so a join that fails leaves the library as it was.
      await lib.write(async () => {
        lib.index.data.codebook = { ...lib.index.data.codebook, tags: [] };
        await lib.writeIndex();
      });
    }
    // Applied before sending, so the team's settings as they are now (blind or not) decide what goes.
    const first = await applyPending(lib, replica, project);
    // Codes deleted elsewhere but used here go back in this same sync (codes only: no document).
    if (first.kept > 0) await publish(lib, replica, project, new Set());
    // Blind coding: highlights go to the coder's own database, not the shared one (see blind.ts).
    let pushed = (
      await remoteStep(() =>
        replica.replicate.to(remote, project.blind ? { retry: false, filter: notHighlight } : { retry: false }),
      )
    ).docs_written;
    const coder = lib.index.data.coder;
    if (project.blind && coder) {
      const own = openRemote({ ...project, db: coderDatabase(project.db, coder) }, auth, true);
      try {
        pushed += (await remoteStep(() => replica.replicate.to(own, { retry: false, filter: highlightBy(coder) })))
          .docs_written;
        pulled += (await remoteStep(() => replica.replicate.from(own, { retry: false }))).docs_written;
      } finally {
        await own.close();
      }
    }
    const second = await applyPending(lib, replica, project);
    const applied = first.applied + second.applied;
    const refused = [...first.refused, ...second.refused];
    const appliedIds = [...first.appliedIds, ...second.appliedIds];
    // Refusals stay listed until that document changes again (then it is checked afresh).
    const seen = new Set([...refused.map((r) => r.id), ...appliedIds]);
    project.refused = [...project.refused.filter((r) => !seen.has(r.id)), ...refused];
    project.lastSync = at();
    project.lastResult = { state: 'synced', at: project.lastSync };
    await writeProject(dataDir, project);
    return {
      server: project.server,
      db: project.db,
      pushed,
      pulled,
      applied,
      refused,
      conflicts: project.conflicts,
      lastSync: project.lastSync,
    };
  } finally {
    await Promise.allSettled([replica.close(), remote.close()]);
  }
}

/**
 * Makes this library a team project: the project's database is created on the server if it is
 * not there, and everything in the library is sent to it.
 */
export async function shareProject(
  lib: LibraryStore,
  dataDir: string,
  input: { server: string; db: string } & Credentials,
): Promise<SyncReport> {
  if (await readProject(dataDir)) {
    throw new GlossaError('CONFLICT', 'This library is already a team project; use sync.');
  }
  const project = newProject(input.server, input.db, input.user);
  return runSync(lib, dataDir, project, input, 'share');
}

/**
 * Makes a new, empty library a copy of a team project: its codes, documents and highlights arrive
 * by the same checked path as every later sync. A library that holds documents is refused: its
 * documents would be shared into the project unasked.
 */
export async function joinProject(
  lib: LibraryStore,
  dataDir: string,
  input: { server: string; db: string } & Credentials,
): Promise<SyncReport> {
  if (await readProject(dataDir)) throw new GlossaError('CONFLICT', 'This library is already a team project.');
  if (lib.index.data.documents.length > 0) {
    throw new GlossaError('CONFLICT', 'Join a project into a new, empty folder: this library already holds documents.');
  }
  const project = newProject(input.server, input.db, input.user);
  return runSync(lib, dataDir, project, input, 'join');
}

/** The server's update sequence for the project (cheap: one small request), to tell whether there is news. */
export async function remoteSeq(dataDir: string, credentials: Credentials): Promise<string | null> {
  const project = await readProject(dataDir);
  if (!project) return null;
  const remote = openRemote(project, { user: credentials.user ?? project.user, password: credentials.password });
  try {
    return String((await remote.info()).update_seq);
  } catch {
    return null;
  } finally {
    await remote.close();
  }
}
