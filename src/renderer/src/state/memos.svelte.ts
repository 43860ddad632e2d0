import type { Client } from '../../../shared/api';
import { parseOpenRequest } from '../../../shared/deep-link';
import type { Memo, Memos, MemoTarget } from '../../../shared/types';
import { errorMessage } from '../lib/error-message';

/** Where a memo is, in words, for lists of memos and of links. */
export interface MemoRef {
  target: MemoTarget;
  memo: Memo;
}

/** The `glossa://open?…` links in a memo's text, as the highlights and documents they name. */
export function linksIn(text: string): { documentId: string; highlightId?: string }[] {
  const out: { documentId: string; highlightId?: string }[] = [];
  // Ids and the query's punctuation only: a comma or full stop after a link is prose, not link.
  for (const match of text.matchAll(/glossa:\/\/open\?[\w=&%-]+/g)) {
    const link = parseOpenRequest(match[0]);
    if (link) out.push({ documentId: link.documentId, ...(link.highlightId ? { highlightId: link.highlightId } : {}) });
  }
  return out;
}

/**
 * The library's memos: the project journal, one per code, one per document. Saved through the
 * contract as they are written (the caller decides when: on a pause in typing, on leaving the
 * field); `backlinks` answers which memos link to a passage.
 */
export class MemosState {
  memos = $state.raw<Memos>({ codes: {}, documents: {} });
  error = $state('');
  saved = $state('');

  constructor(private readonly client: Client) {}

  async load(): Promise<void> {
    try {
      this.memos = await this.client.getMemos({});
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  get(target: MemoTarget): Memo | undefined {
    if (target.kind === 'project') return this.memos.project;
    return target.kind === 'code' ? this.memos.codes[target.tagId] : this.memos.documents[target.documentId];
  }

  async save(target: MemoTarget, text: string): Promise<boolean> {
    if ((this.get(target)?.text ?? '') === text) return true;
    this.error = '';
    try {
      const memo = await this.client.setMemo({ target, text });
      const next = { ...this.memos, codes: { ...this.memos.codes }, documents: { ...this.memos.documents } };
      const keep = text.trim() ? memo : undefined;
      if (target.kind === 'project') next.project = keep;
      else if (target.kind === 'code') {
        if (keep) next.codes[target.tagId] = keep;
        else delete next.codes[target.tagId];
      } else if (keep) next.documents[target.documentId] = keep;
      else delete next.documents[target.documentId];
      this.memos = next;
      this.saved = `Memo saved ${memo.updated.slice(11, 16)} UTC.`;
      return true;
    } catch (error) {
      this.error = errorMessage(error);
      return false;
    }
  }

  /** Every memo, the project's first. */
  readonly all: MemoRef[] = $derived.by(() => {
    const out: MemoRef[] = [];
    if (this.memos.project) out.push({ target: { kind: 'project' }, memo: this.memos.project });
    for (const [tagId, memo] of Object.entries(this.memos.codes)) out.push({ target: { kind: 'code', tagId }, memo });
    for (const [documentId, memo] of Object.entries(this.memos.documents)) {
      out.push({ target: { kind: 'document', documentId }, memo });
    }
    return out;
  });

  /** The memos whose text links to this highlight (or, without one, to this document). */
  backlinks(documentId: string, highlightId?: string): MemoRef[] {
    return this.all.filter((ref) =>
      linksIn(ref.memo.text).some(
        (l) => l.documentId === documentId && (highlightId === undefined || l.highlightId === highlightId),
      ),
    );
  }
}
