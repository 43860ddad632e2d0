import type { Client } from '../../../shared/api';
import type { TextRange } from '../../../shared/anchoring';
import { GlossaError } from '../../../shared/errors';
import type { Codebook, DocumentSummary, DocumentView, Highlight, Notice, Tag } from '../../../shared/types';
import type { Mode } from '../lib/connect';

function byPosition(a: Highlight, b: Highlight): number {
  return a.target.position.start - b.target.position.start || b.target.position.end - a.target.position.end;
}

/**
 * The reader's shared state: the open document, its highlights, what is selected and what the user
 * was last told. Components read it; every change goes through a method here, which calls the
 * API and applies the answer, so the screen never shows a highlight that was not saved.
 */
export class ReaderState {
  documents = $state.raw<DocumentSummary[]>([]);
  codebook = $state.raw<Codebook>({ tags: [] });
  doc = $state.raw<DocumentView | null>(null);
  /** The highlight acted on by Delete, digits and the sidebar. */
  selectedId = $state<string | null>(null);
  /** The passage currently selected in the text, as offsets; digits and the toolbar tag it. */
  pendingRange = $state.raw<TextRange | null>(null);
  status = $state('');
  error = $state('');
  notices = $state.raw<Notice[]>([]);
  loading = $state(true);

  readonly highlights = $derived(this.doc ? [...this.doc.highlights].sort(byPosition) : []);
  readonly selected = $derived(this.highlights.find((h) => h.id === this.selectedId) ?? null);
  readonly tagsById: Readonly<Record<string, Tag>> = $derived(
    Object.fromEntries(this.codebook.tags.map((t) => [t.id, t])),
  );

  constructor(
    private readonly client: Client,
    readonly mode: Mode,
  ) {}

  private async attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.error = '';
    try {
      return await work();
    } catch (error) {
      this.error = error instanceof GlossaError ? error.message : `Something went wrong: ${(error as Error).message}`;
      return undefined;
    }
  }

  async start(): Promise<void> {
    await this.attempt(async () => {
      const [codebook, documents, notices] = await Promise.all([
        this.client.getCodebook({}),
        this.client.listDocuments({}),
        this.client.getNotices({}),
      ]);
      this.codebook = codebook;
      this.documents = documents;
      this.notices = notices;
      const remembered = localStorage.getItem('glossa-last-document');
      const first = documents.find((d) => d.id === remembered) ?? documents[0];
      if (first) await this.open(first.id);
    });
    this.loading = false;
  }

  async open(documentId: string): Promise<void> {
    await this.attempt(async () => {
      this.doc = await this.client.getDocument({ documentId });
      this.selectedId = null;
      this.pendingRange = null;
      localStorage.setItem('glossa-last-document', documentId);
    });
  }

  async renameDocument(title: string): Promise<boolean> {
    const doc = this.doc;
    if (!doc) return false;
    const summary = await this.attempt(() => this.client.renameDocument({ documentId: doc.meta.id, title }));
    if (!summary) return false;
    const { highlightCount: _count, ...meta } = summary;
    this.doc = { ...doc, meta };
    this.documents = this.documents.map((d) => (d.id === summary.id ? summary : d));
    this.status = 'Title saved.';
    return true;
  }

  tag(index: number): Tag | undefined {
    return this.codebook.tags[index];
  }

  private replaceHighlights(highlights: Highlight[]): void {
    if (!this.doc) return;
    this.doc = { ...this.doc, highlights };
    const count = highlights.length;
    this.documents = this.documents.map((d) => (d.id === this.doc?.meta.id ? { ...d, highlightCount: count } : d));
  }

  /**
   * What a tag button or digit does: tag the selected passage if there is one, otherwise add the
   * tag to (or take it off) the selected highlight.
   */
  async applyTag(tag: Tag): Promise<void> {
    const doc = this.doc;
    if (!doc) return;
    const range = this.pendingRange;
    if (range) {
      const created = await this.attempt(() =>
        this.client.createHighlight({ documentId: doc.meta.id, start: range.start, end: range.end, tags: [tag.id] }),
      );
      if (!created) return;
      this.replaceHighlights([...doc.highlights.filter((h) => h.id !== created.id), created]);
      this.pendingRange = null;
      this.selectedId = created.id;
      this.status = `Highlighted as ${tag.name}.`;
      return;
    }
    const selected = this.selected;
    if (!selected) {
      this.status = 'Select a passage in the text first, then choose a tag.';
      return;
    }
    const has = selected.tags.includes(tag.id);
    if (has && selected.tags.length === 1) {
      this.status = `A highlight keeps at least one tag. To remove it, press Delete.`;
      return;
    }
    const tags = has ? selected.tags.filter((t) => t !== tag.id) : [...selected.tags, tag.id];
    const updated = await this.attempt(() =>
      this.client.updateHighlight({ documentId: doc.meta.id, highlightId: selected.id, tags }),
    );
    if (!updated) return;
    this.replaceHighlights(doc.highlights.map((h) => (h.id === updated.id ? updated : h)));
    this.status = has ? `Removed ${tag.name}.` : `Added ${tag.name}.`;
  }

  async removeTag(highlight: Highlight, tagId: string): Promise<void> {
    const tag = this.tagsById[tagId];
    if (tag) {
      this.selectedId = highlight.id;
      this.pendingRange = null;
      await this.applyTag(tag);
    }
  }

  async deleteSelected(): Promise<void> {
    const doc = this.doc;
    const selected = this.selected;
    if (!doc || !selected) return;
    const done = await this.attempt(() =>
      this.client.deleteHighlight({ documentId: doc.meta.id, highlightId: selected.id }),
    );
    if (!done) return;
    this.replaceHighlights(doc.highlights.filter((h) => h.id !== selected.id));
    this.selectedId = null;
    this.status = 'Highlight deleted.';
  }

  select(id: string | null): void {
    this.selectedId = id;
    if (id) this.pendingRange = null;
  }

  async exportMarkdown(): Promise<void> {
    const doc = this.doc;
    if (!doc) return;
    const scope = { documentIds: [doc.meta.id] };
    if (this.mode === 'desktop') {
      const saved = await this.attempt(() => this.client.saveMarkdown(scope));
      if (saved?.path) this.status = `Exported to ${saved.path}.`;
      return;
    }
    const file = await this.attempt(() => this.client.exportMarkdown(scope));
    if (!file) return;
    const url = URL.createObjectURL(new Blob([file.content], { type: file.mediaType }));
    const link = document.createElement('a');
    link.href = url;
    link.download = file.fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.status = `Exported ${file.fileName}.`;
  }
}
