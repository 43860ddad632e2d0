import { z } from 'zod';
import { idSchema } from '../../shared/schemas';
import type { DocumentMeta, Highlight } from '../../shared/types';

// A document's operation log: one JSON line per change, appended and fsynced, so saving a highlight
// costs one small write whatever the document's size. A line is one revision and is applied whole:
// a change touching several highlights (an import) is one line, so a crash leaves all of it or none.
//
// Trade-off: reading a document replays its log (linear in the lines since the last snapshot), so
// the log is folded into the snapshot when a document is opened, when it grows long, when Glossa
// is idle (a log of some length) and when it closes. A crash can only tear the last line (appends
// are sequential and each is fsynced before it is acknowledged); a torn line was never
// acknowledged and is dropped.

export interface Change {
  /** The revision this change creates: the document's previous revision plus one. */
  rev: number;
  /** Highlights added or replaced (by id, keeping their place). */
  put?: Highlight[];
  /** Ids of highlights removed. */
  del?: string[];
  meta?: DocumentMeta;
}

const lineSchema = z.object({
  rev: z.number().int().positive(),
  put: z.array(z.unknown()).optional(),
  del: z.array(idSchema).optional(),
  meta: z.unknown().optional(),
});

export type LoggedChange = z.infer<typeof lineSchema>;

export function encodeChange(change: Change): string {
  return `${JSON.stringify(change)}\n`;
}

export interface ParsedLog {
  changes: LoggedChange[];
  /** Complete lines that are not valid changes (damage from outside Glossa), with their numbers. */
  bad: { line: number; reason: string }[];
  /** Byte length of the complete lines: a torn last line starts here and is cut off on repair. */
  validBytes: number;
  torn: boolean;
}

/**
 * Splits a log into changes. Only complete lines count: bytes after the last newline are a write a
 * crash cut short. Scans by newline, so the cost is linear and no line can make it backtrack.
 */
export function parseLog(bytes: Buffer): ParsedLog {
  const changes: LoggedChange[] = [];
  const bad: ParsedLog['bad'] = [];
  let from = 0;
  let line = 0;
  for (let nl = bytes.indexOf(0x0a, from); nl !== -1; nl = bytes.indexOf(0x0a, from)) {
    line++;
    const text = bytes.subarray(from, nl).toString('utf8');
    from = nl + 1;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      bad.push({ line, reason: 'not valid JSON' });
      continue;
    }
    const parsed = lineSchema.safeParse(value);
    if (parsed.success) changes.push(parsed.data);
    else bad.push({ line, reason: `${parsed.error.issues[0].path.join('.')} ${parsed.error.issues[0].message}` });
  }
  return { changes, bad, validBytes: from, torn: from < bytes.length };
}
