import type { Client, Input } from '../../../shared/api';
import { findTag, similarColours, treeRows, type TreeRow } from '../../../shared/codebook';
import type { Codebook, CodebookResult, Tag, TagUsage } from '../../../shared/types';
import { errorMessage } from '../lib/error-message';
import type { ReaderState } from './reader.svelte';

/**
 * The Codebook panel's state: which code is selected, the filter typed to find one among
 * hundreds, and a deletion waiting for its confirmation. Every change is a contract method that
 * the library journals; each is recorded as one undo step in the reader's history, so Ctrl+Z
 * anywhere undoes the last change, whether to a highlight or to the codebook.
 */
export class CodebookState {
  selectedId = $state<string | null>(null);
  filter = $state('');
  /** A code whose deletion waits for the person to confirm, with what it would remove. */
  pendingDelete = $state.raw<TagUsage | null>(null);
  error = $state('');

  constructor(
    private readonly client: Client,
    private readonly reader: ReaderState,
  ) {}

  /** The codebook as the library last said. */
  get current(): Codebook {
    return this.reader.codebook;
  }

  readonly rows: TreeRow[] = $derived.by(() => treeRows(this.reader.codebook));

  /** Rows whose name (or a parent's) holds the filter's letters, in any case. */
  readonly shown: TreeRow[] = $derived.by(() => {
    const q = this.filter.trim().toLocaleLowerCase();
    if (!q) return this.rows;
    return this.rows.filter((r) => r.path.some((name) => name.toLocaleLowerCase().includes(q)));
  });

  /** Highlights per code over the library (the document list's counts: no document is read). */
  readonly counts: Readonly<Record<string, number>> = $derived.by(() => {
    const out: Record<string, number> = {};
    for (const d of this.reader.documents) for (const [t, n] of Object.entries(d.tagCounts)) out[t] = (out[t] ?? 0) + n;
    return out;
  });

  readonly selected: Tag | null = $derived.by(
    () => this.reader.codebook.tags.find((t) => t.id === this.selectedId) ?? null,
  );

  /** Codes whose colour is hard to tell from the selected one's. */
  readonly lookalikes: Tag[] = $derived.by(() =>
    this.selected ? similarColours(this.reader.codebook, this.selected.color, this.selected.id) : [],
  );

  private async run(work: () => Promise<CodebookResult>): Promise<CodebookResult | null> {
    this.error = '';
    return this.reader.history.change(async () => {
      let result: CodebookResult;
      try {
        result = await work();
      } catch (error) {
        this.error = errorMessage(error);
        return null;
      }
      this.reader.history.record({ kind: 'codebook', label: result.change.label, changeId: result.change.id });
      this.reader.codebook = result.codebook;
      if (result.applied.documents > 0) await this.reader.refreshDocuments();
      this.reader.status = `${result.change.label}.`;
      return result;
    });
  }

  async create(input: Input<'createTag'>): Promise<Tag | null> {
    const result = await this.run(() => this.client.createTag(input));
    if (result?.tag) this.selectedId = result.tag.id;
    return result?.tag ?? null;
  }

  update(tagId: string, change: Omit<Input<'updateTag'>, 'tagId'>): Promise<CodebookResult | null> {
    return this.run(() => this.client.updateTag({ tagId, ...change }));
  }

  /** Moves a code one place up or down among its siblings (the list order within its parent). */
  async shift(tagId: string, direction: -1 | 1): Promise<void> {
    const tag = this.reader.codebook.tags.find((t) => t.id === tagId);
    if (!tag) return;
    const siblings = this.reader.codebook.tags.filter((t) => (t.parent ?? null) === (tag.parent ?? null));
    const at = siblings.findIndex((t) => t.id === tagId);
    const target = siblings[at + direction];
    if (!target) {
      this.reader.status = direction < 0 ? `“${tag.name}” is already first.` : `“${tag.name}” is already last.`;
      return;
    }
    // Before the sibling above, or before the one after the sibling below (last: null).
    const list = this.reader.codebook.tags;
    const before = direction < 0 ? target.id : (list[list.findIndex((t) => t.id === target.id) + 1]?.id ?? null);
    await this.update(tagId, { before });
  }

  /** Nests a code under another (null: the top level); a drop on itself or inside itself is refused. */
  nest(tagId: string, parent: string | null): Promise<CodebookResult | null> {
    return this.update(tagId, { parent });
  }

  merge(from: string, into: string): Promise<CodebookResult | null> {
    return this.run(() => this.client.mergeTags({ from, into }));
  }

  /** Asks the library what deleting would remove; the panel shows it for confirmation. */
  async askDelete(tagId: string): Promise<void> {
    this.error = '';
    try {
      this.pendingDelete = await this.client.getTagUsage({ tagId });
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  confirmDelete(): Promise<void> {
    const pending = this.pendingDelete;
    if (!pending) return Promise.resolve();
    this.pendingDelete = null;
    return this.deleteCode(pending);
  }

  private async deleteCode(pending: TagUsage): Promise<void> {
    const result = await this.run(() => this.client.deleteTag({ tagId: pending.tag.id }));
    if (result && this.selectedId === pending.tag.id) this.selectedId = null;
  }

  /** The code a typed name means (any case), if there is one. */
  find(name: string): Tag | undefined {
    return findTag(this.reader.codebook, name);
  }
}
