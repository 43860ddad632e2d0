// The part of PouchDB's API that Glossa uses. @types/pouchdb declares a global `Buffer` of its own
// that breaks Node's, so the few calls are typed here instead.
declare module 'pouchdb' {
  namespace PouchDB {
    type Doc = Record<string, unknown> & { _id: string; _rev: string; _conflicts?: string[]; _deleted?: boolean };
    interface ReplicationResult {
      ok: boolean;
      docs_read: number;
      docs_written: number;
      doc_write_failures: number;
      errors: unknown[];
      last_seq: number | string;
    }
    interface Change {
      id: string;
      seq: number | string;
      deleted?: boolean;
      doc?: Doc;
      changes: { rev: string }[];
    }
    interface ReplicateOptions {
      retry?: boolean;
      /** Which documents to send (run on the source: a local database here). */
      filter?: (doc: Doc) => boolean;
    }
    interface Database {
      readonly name: string;
      info(): Promise<{ db_name: string; doc_count: number; update_seq: number | string }>;
      get(id: string, options?: { rev?: string; conflicts?: boolean; open_revs?: 'all' | string[] }): Promise<Doc>;
      put(
        doc: Record<string, unknown>,
        options?: { force?: boolean },
      ): Promise<{ ok: boolean; id: string; rev: string }>;
      bulkDocs(
        docs: Record<string, unknown>[],
        options?: { new_edits?: boolean },
      ): Promise<({ ok: true; id: string; rev: string } | { error: string; id: string; reason?: string })[]>;
      allDocs(options: { keys?: string[]; include_docs?: boolean; conflicts?: boolean }): Promise<{
        rows: {
          id: string;
          key: string;
          value?: { rev: string; deleted?: boolean };
          doc?: Doc | null;
          error?: string;
        }[];
      }>;
      changes(options: {
        since: number | string;
        include_docs?: boolean;
        conflicts?: boolean;
        style?: 'main_only' | 'all_docs';
      }): Promise<{ results: Change[]; last_seq: number | string }>;
      remove(id: string, rev: string): Promise<{ ok: boolean; rev: string }>;
      replicate: {
        to(target: Database, options?: ReplicateOptions): Promise<ReplicationResult>;
        from(source: Database, options?: ReplicateOptions): Promise<ReplicationResult>;
      };
      close(): Promise<void>;
      destroy(): Promise<void>;
    }
  }
  interface PouchDBConstructor {
    new (
      name: string,
      options?: { skip_setup?: boolean; auth?: { username: string; password: string } },
    ): PouchDB.Database;
  }
  const PouchDB: PouchDBConstructor;
  export default PouchDB;
}
