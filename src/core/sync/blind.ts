import { createHash } from 'node:crypto';

// Blind coding: while a project is blind, each coder's highlights are replicated to a database of
// their own (`<project>-coder-<name>`), never to the project's shared database, which carries the
// documents, the codebook and the settings. When the lead reveals (blind off), every coder's next
// sync sends their highlights to the shared database, and everyone sees everyone's.
//
// What this hides, and from whom (CouchDB's security model, not Glossa, enforces it):
// - The shared database holds no highlight made while blind, so nobody reading it raw (with
//   Futon/Fauxton, curl or a replication of their own) sees them.
// - A coder's own database is readable by whoever its `_security` object admits. Glossa cannot set
//   `_security` (only a server admin can): the admin creates each coder's database with the coder
//   (and, if wanted, the lead) as its only members. Without that, CouchDB lets any user with
//   access to the server read it, and blind coding hides highlights only from the app.
// - Not hidden: coder names, who joined, the documents and the codebook (all shared by design).

/** The database a coder's highlights go to while the project is blind. */
export function coderDatabase(db: string, coder: string): string {
  const readable = coder
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  // A hash of the exact name keeps "Ana" and "ana" (or two names in other scripts) apart.
  const tag = createHash('md5').update(coder).digest('hex').slice(0, 8);
  return `${db}-coder-${readable ? `${readable}-` : ''}${tag}`;
}

type Doc = { _id: string; _deleted?: boolean; highlight?: { coder?: string } };

/** Everything but highlights: what a blind project shares in its common database. */
export const notHighlight = (doc: Doc): boolean => !doc._id.startsWith('highlight:');

/** This coder's highlights (and deletions of highlights, which only the coder could see to delete). */
export const highlightBy =
  (coder: string) =>
  (doc: Doc): boolean =>
    doc._id.startsWith('highlight:') && (doc._deleted === true || doc.highlight?.coder === coder);
