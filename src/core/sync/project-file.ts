import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { GlossaError } from '../../shared/errors';
import type { ProjectStatus } from '../../shared/project-docs';
import { writeFileDurably } from '../store/durable-file';
import { serverAddress } from './remote';

// project.json: which project a library belongs to and what its syncs have done. Kept apart from
// the sync itself so that asking for the status (the app does at every start, project or not)
// loads no PouchDB and no LevelDB.

const PROJECT_FILE = 'project.json';

const knownSchema = z.record(z.string(), z.object({ rev: z.string(), hash: z.string() }));

const projectSchema = z.object({
  /** The server's address without credentials: it is shown and logged, so it never holds a password. */
  server: z.string().url(),
  db: z
    .string()
    .regex(/^[a-z][a-z0-9_$()+/-]*$/, 'must be a CouchDB database name (lower case, starting with a letter)'),
  user: z.string().max(200).optional(),
  /** Per CouchDB document: the revision the library last matched and the hash of its content. */
  known: knownSchema,
  lastSeq: z.union([z.number(), z.string()]),
  lastSync: z.string().optional(),
  lastResult: z
    .object({ state: z.enum(['synced', 'offline', 'error']), at: z.string(), message: z.string().optional() })
    .optional(),
  conflicts: z.array(z.string()),
  refused: z.array(z.object({ id: z.string(), problem: z.string() })),
  /** Blind coding (a project setting, synced as its own CouchDB document). */
  blind: z.boolean().optional(),
});

export type ProjectFile = z.infer<typeof projectSchema>;

// project.json of a big project is large (an entry per CouchDB document: 11 MB for 100,000
// highlights, ~0.4 s to read and parse): the app keeps the copy it last read or wrote, and reads
// the file again only when its size or time says someone else changed it.
const cached = new Map<string, { project: ProjectFile; size: number; mtimeMs: number }>();

export async function readProject(dataDir: string): Promise<ProjectFile | null> {
  const path = join(dataDir, PROJECT_FILE);
  let raw: string;
  let stamp: { size: number; mtimeMs: number };
  try {
    stamp = await stat(path);
    const hit = cached.get(path);
    if (hit && hit.size === stamp.size && hit.mtimeMs === stamp.mtimeMs) return hit.project;
    raw = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const damaged = (why: string) => new GlossaError('INVALID_INPUT', `${PROJECT_FILE} is damaged: ${why}.`);
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    throw damaged('it is not valid JSON');
  }
  // `known` has an entry per CouchDB document (100,000 in a big project): checked by hand, since
  // zod's check of the record took half a second of every sync; the rest by the schema.
  const { known, ...rest } = (data ?? {}) as { known?: unknown };
  if (!isKnown(known)) throw damaged('known must map document ids to {rev, hash}');
  const parsed = projectSchema.omit({ known: true }).safeParse(rest);
  if (!parsed.success) throw damaged(parsed.error.issues[0].message);
  const project = { ...parsed.data, known };
  cached.set(path, { project, size: stamp.size, mtimeMs: stamp.mtimeMs });
  return project;
}

function isKnown(v: unknown): v is ProjectFile['known'] {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  for (const entry of Object.values(v)) {
    if (typeof entry !== 'object' || entry === null) return false;
    const { rev, hash } = entry as Record<string, unknown>;
    if (typeof rev !== 'string' || typeof hash !== 'string') return false;
  }
  return true;
}

export async function writeProject(dataDir: string, project: ProjectFile): Promise<void> {
  const path = join(dataDir, PROJECT_FILE);
  await writeFileDurably(path, `${JSON.stringify(project)}\n`);
  const { size, mtimeMs } = await stat(path);
  cached.set(path, { project, size, mtimeMs });
}

export function newProject(server: string, db: string, user: string | undefined): ProjectFile {
  const checked = projectSchema.safeParse({
    server: serverAddress(server),
    db,
    user,
    known: {},
    lastSeq: 0,
    conflicts: [],
    refused: [],
  });
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new GlossaError('INVALID_INPUT', `The project's ${issue.path.join('.')} ${issue.message}.`);
  }
  return checked.data;
}

/** What the last sync did, as saved: read without touching the server. */
export async function projectStatus(dataDir: string): Promise<ProjectStatus | null> {
  const project = await readProject(dataDir);
  if (!project) return null;
  return {
    server: project.server,
    db: project.db,
    ...(project.user ? { user: project.user } : {}),
    state: project.lastResult?.state ?? 'never',
    blind: project.blind === true,
    ...(project.lastSync ? { lastSync: project.lastSync } : {}),
    ...(project.lastResult ? { lastAttempt: project.lastResult.at } : {}),
    ...(project.lastResult?.message ? { message: project.lastResult.message } : {}),
    conflicts: project.conflicts,
    refused: project.refused,
  };
}

/**
 * Turns blind coding on or off for the whole team (a setting synced like any change; the lead
 * turning it off is the reveal). Takes effect for each coder at their next sync.
 */
export async function setBlind(dataDir: string, blind: boolean): Promise<void> {
  const project = await readProject(dataDir);
  if (!project) throw new GlossaError('NOT_FOUND', 'This library is not a team project.');
  project.blind = blind;
  await writeProject(dataDir, project);
}
