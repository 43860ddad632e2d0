import { GlossaError } from '../../shared/errors';
import {
  canonicalJson,
  mergeHighlightVersions,
  type ConflictVersion,
  type ProjectConflict,
} from '../../shared/project-docs';
import type { LibraryStore } from '../store/library-store';
import { applyRemote } from './apply-remote';
import { parseProjectDoc } from './incoming';
import { childRevision, md5, openReplica, readProject, writeProject, type ProjectDb } from './project';

// Conflicts: when two coders changed the same thing offline, CouchDB keeps both versions and picks
// the same winner everywhere; the library shows the winner and the other versions wait here, in the
// replica, until the researcher settles them. Settling is an ordinary CouchDB resolution (the
// chosen content as a new revision on the winner, the other leaves deleted), so it replicates to
// everyone like any edit, and until then nothing has been thrown away.

async function versionsOf(replica: ProjectDb, id: string): Promise<ConflictVersion[]> {
  return (await leaves(replica, id)).versions;
}

/** The versions that can be shown, and every losing leaf (shown or not), which settling deletes. */
async function leaves(replica: ProjectDb, id: string): Promise<{ versions: ConflictVersion[]; losers: string[] }> {
  const winner = await replica.get(id, { conflicts: true });
  const losers = winner._conflicts ?? [];
  const revs = [winner._rev, ...losers];
  const versions: ConflictVersion[] = [];
  for (const rev of revs) {
    const { _id, _rev, _conflicts, ...content } = rev === winner._rev ? winner : await replica.get(id, { rev });
    const parsed = parseProjectDoc(id, content);
    // A version the checks refuse is left in the replica, never shown as a choice.
    if ('doc' in parsed) versions.push({ rev, winner: rev === winner._rev, doc: parsed.doc });
  }
  return { versions, losers };
}

/** Every project document with competing versions, each version with what it holds. */
export async function listConflicts(dataDir: string): Promise<ProjectConflict[]> {
  const project = await readProject(dataDir);
  if (!project || project.conflicts.length === 0) return [];
  const replica = openReplica(dataDir);
  try {
    const out: ProjectConflict[] = [];
    for (const id of project.conflicts) {
      const versions = await versionsOf(replica, id).catch(() => []);
      if (versions.length > 1) out.push({ id, versions });
    }
    return out;
  } finally {
    await replica.close();
  }
}

/**
 * Settles one conflict: keep one version (by revision), or for a highlight merge them (codes
 * joined, notes one after the other). The result is written into the library through the checked
 * write path first, then recorded in the replica; the next sync sends it to the team.
 */
export async function resolveConflict(
  lib: LibraryStore,
  dataDir: string,
  input: { id: string; keep?: string; merge?: boolean },
): Promise<ProjectConflict[]> {
  const project = await readProject(dataDir);
  if (!project) throw new GlossaError('NOT_FOUND', 'This library is not a team project.');
  if (!project.conflicts.includes(input.id)) {
    throw new GlossaError('NOT_FOUND', `There is no conflict on ${input.id} to settle.`);
  }
  if ((input.keep === undefined) === (input.merge !== true)) {
    throw new GlossaError('INVALID_INPUT', 'Settle a conflict by keeping one version or by merging them, not both.');
  }
  const replica = openReplica(dataDir);
  try {
    const { versions, losers } = await leaves(replica, input.id);
    const winner = versions.find((v) => v.winner);
    if (!winner) throw new GlossaError('CONFLICT', `${input.id} changed meanwhile; look at its versions again.`);
    let chosen = winner.doc;
    if (input.keep !== undefined) {
      const kept = versions.find((v) => v.rev === input.keep);
      if (!kept) throw new GlossaError('NOT_FOUND', `${input.id} has no version ${input.keep}.`);
      chosen = kept.doc;
    } else {
      const highlights = versions.flatMap((v) => (v.doc.type === 'highlight' ? [v.doc.highlight] : []));
      if (highlights.length !== versions.length) {
        throw new GlossaError('INVALID_INPUT', 'Only a highlight’s versions can be merged; keep one of these.');
      }
      const order = lib.index.data.codebook.tags.map((t) => t.id);
      chosen = { type: 'highlight', highlight: mergeHighlightVersions(highlights, order, new Date().toISOString()) };
    }
    const outcome = await applyRemote(lib, [{ id: input.id, doc: chosen }]);
    if (outcome.refused.length > 0)
      throw new GlossaError('INVALID_INPUT', `It cannot be kept: ${outcome.refused[0].problem}.`);
    const hash = md5(canonicalJson(chosen));
    const top = childRevision(input.id, winner.rev, chosen as unknown as Record<string, unknown>, hash);
    const ended = losers.map((rev) => childRevision(input.id, rev, { _deleted: true }, 'deleted'));
    await replica.bulkDocs([top, ...ended], { new_edits: false });
    project.known[input.id] = { rev: top._rev, hash };
    project.conflicts = project.conflicts.filter((id) => id !== input.id);
    await writeProject(dataDir, project);
  } finally {
    await replica.close();
  }
  return listConflicts(dataDir);
}
