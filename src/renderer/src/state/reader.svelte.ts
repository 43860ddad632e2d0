import type { Client, Input } from '../../../shared/api';
import { isListOrder, ordered, type ListOrder } from '../lib/list-order';
import type { TextRange } from '../../../shared/anchoring';
import { UndoHistory, type Applied } from '../../../shared/history';
import { errorMessage } from '../lib/error-message';
import { countTags } from '../../../shared/tag-counts';
import { describeRange, QUOTE_CONTEXT } from '../../../shared/anchoring';
import { PROVISIONAL_PREFIX } from '../lib/paint';
import { GlossaError } from '../../../shared/errors';
import { findTag } from '../../../shared/codebook';
import type {
  ChangeEvent,
  Codebook,
  DocumentSummary,
  DocumentView,
  Highlight,
  Notice,
  Tag,
} from '../../../shared/types';
import type { Mode } from '../lib/connect';
import { AppShell, type View } from './app.svelte';
import { CoderFilter, codersIn } from './coder-filter.svelte';
import { parseOpenRequest, type OpenRequest } from '../../../shared/deep-link';

function byPosition(a: Highlight, b: Highlight): number {
  return a.target.position.start - b.target.position.start || b.target.position.end - a.target.position.end;
}

const LIST_ORDER_KEY = 'glossa-list-order';

function savedListOrder(): ListOrder {
  const saved = globalThis.localStorage?.getItem(LIST_ORDER_KEY);
  return isListOrder(saved) ? saved : 'position';
}

function inReadingOrder(list: Highlight[]): Highlight[] {
  for (let i = 1; i < list.length; i++) if (byPosition(list[i - 1], list[i]) > 0) return [...list].sort(byPosition);
  return list;
}

/**
 * The reader's shared state: the open document, its highlights, what is selected and what the user
 * was last told. Components read it; every change goes through a method here, which calls the
 * API and applies the answer, so the screen never shows a highlight that was not saved. Every
 * change to a highlight is recorded for undo.
 */
export class ReaderState {
  documents = $state.raw<DocumentSummary[]>([]);
  codebook = $state.raw<Codebook>({ tags: [] });
  doc = $state.raw<DocumentView | null>(null);
  /** The highlight acted on by Delete, digits, `n` and the sidebar. */
  selectedId = $state<string | null>(null);
  /** The passage currently selected in the text, as offsets; digits and the toolbar tag it. */
  pendingRange = $state.raw<TextRange | null>(null);
  /** Highlights under the pointer or the caret, innermost first. */
  hereIds = $state.raw<string[]>([]);
  /** Tags whose highlights are hidden from the reader and the list. */
  hiddenTags = $state.raw<string[]>([]);
  status = $state('');
  error = $state('');
  notices = $state.raw<Notice[]>([]);
  loading = $state(true);
  /** Bumped to ask the reader to bring the selected highlight into view. */
  scrollRequest = $state(0);
  /** Bumped to ask the sidebar to focus the note of the selected highlight. */
  noteRequest = $state(0);
  /** A passage to show and select (a library search hit); `seq` makes a repeat request new. */
  revealRequest = $state.raw<(TextRange & { seq: number }) | null>(null);
  historyVersion = $state(0);
  /**
   * Reads the text selection as it is right now. `selectionchange` arrives asynchronously, so a
   * key pressed just after selecting would otherwise see the previous selection. Undefined means
   * the selection is not in the text (focus moved to a button), so the remembered one applies.
   */
  liveSelection: () => TextRange | null | undefined = () => undefined;
  /** Collapses the text selection to a caret, if it is still `range` (the user may have moved on). */
  collapseSelection: (range: TextRange) => void = () => undefined;
  /** Selects `range` again, if the selection is still the caret `collapseSelection` left at its end. */
  reselect: (range: TextRange) => void = () => undefined;
  /**
   * Whether the text painted on screen under `range` is the stored text. Something other than
   * Glossa (an extension, an input method) may have changed the page; offsets counted on changed
   * text would save a highlight on the wrong words.
   */
  paintedMatches: (range: TextRange) => boolean = () => true;
  /** Bumped to have every paragraph drawn again from the stored text. */
  repaint = $state(0);

  readonly history: UndoHistory;

  /** Which screen is showing (kept by the app shell). */
  get view(): View {
    return this.shell.view;
  }

  set view(view: View) {
    this.shell.show(view);
  }
  // Kept in reading order by put(), so this is a check, not a sort, on every change.
  readonly highlights = $derived(this.doc ? inReadingOrder(this.doc.highlights) : []);
  readonly anchored = $derived(this.highlights.filter((h) => !h.orphan));
  readonly orphans = $derived(this.highlights.filter((h) => h.orphan));
  /** Found on words that only resemble their quote after a text change, until reviewed. */
  readonly toReview = $derived(this.anchored.filter((h) => h.approximate));
  /** Whose highlights show (team projects): everyone's, mine, or chosen coders'. */
  readonly coderFilter = new CoderFilter();
  readonly visible = $derived(
    this.anchored.filter((h) => h.tags.some((t) => !this.hiddenTags.includes(t)) && this.coderFilter.accepts(h)),
  );
  /** Highlights two coders changed at once (team projects), waiting on the Team screen to be settled. */
  conflicted = $state.raw<string[]>([]);
  /** The coders whose highlights are in this document. */
  readonly coders = $derived(codersIn(this.anchored));
  /** How the sidebar lists them (by position, code or date), remembered on this computer. */
  listOrder = $state<ListOrder>(savedListOrder());
  /** The visible highlights in the sidebar's order; the keys still go in reading order. */
  readonly listed = $derived(ordered(this.visible, this.listOrder, this.codebook.tags));
  /**
   * Highlights drawn the moment a tag key is pressed, before their save returns: drawn in the
   * "saving" style (never as saved), replaced by the saved highlight, or taken away (with the
   * reason) if the save fails. Not listed, not selectable: only the text shows them.
   */
  provisional = $state.raw<Highlight[]>([]);
  private provisionalCount = 0;
  /** Counts selections the person made (select()), so a save that returns late does not undo one. */
  private selectionChanges = 0;
  readonly selected = $derived(this.highlights.find((h) => h.id === this.selectedId) ?? null);
  readonly tagsById: Readonly<Record<string, Tag>> = $derived(
    Object.fromEntries(this.codebook.tags.map((t) => [t.id, t])),
  );
  readonly tagCounts: Readonly<Record<string, number>> = $derived(
    Object.fromEntries(
      this.codebook.tags.map((t) => [t.id, this.anchored.filter((h) => h.tags.includes(t.id)).length]),
    ),
  );
  readonly undoLabel = $derived.by(() => (void this.historyVersion, this.history.undoLabel));
  readonly redoLabel = $derived.by(() => (void this.historyVersion, this.history.redoLabel));

  constructor(
    private readonly client: Client,
    readonly mode: Mode,
    /** The app shell: opening a document shows the reader screen. */
    private readonly shell: AppShell = new AppShell(),
  ) {
    this.history = new UndoHistory(client, () => this.historyVersion++);
  }

  /**
   * A range as this window saw it: the revision shown and the exact words with their context, so
   * the library can tell whether the text changed since (in another window, say) and find the
   * words again instead of saving at offsets that now point elsewhere.
   */
  private seen(doc: DocumentView, range: TextRange) {
    return {
      revision: doc.revision,
      start: range.start,
      end: range.end,
      quote: doc.text.slice(range.start, range.end),
      prefix: doc.text.slice(Math.max(0, range.start - QUOTE_CONTEXT), range.start),
      suffix: doc.text.slice(range.end, range.end + QUOTE_CONTEXT),
    };
  }

  /** False (and the text redrawn, and the person told) when the screen does not show the stored text. */
  private checkPainted(range: TextRange): boolean {
    if (this.paintedMatches(range)) return true;
    this.repaint++;
    this.pendingRange = null;
    this.error =
      'The text on screen had been changed by something other than Glossa, so nothing was saved. It has been redrawn from the saved text: select the passage again.';
    return false;
  }

  /** Like attempt, but a CONFLICT (the text changed elsewhere) brings the current text in. */
  private async attemptOnText<T>(doc: DocumentView, work: () => Promise<T>): Promise<T | undefined> {
    this.error = '';
    try {
      return await work();
    } catch (error) {
      this.error = errorMessage(error);
      if (error instanceof GlossaError && error.code === 'CONFLICT') {
        const message = this.error;
        await this.reload(doc.meta.id);
        this.error = message;
      }
      return undefined;
    }
  }

  /**
   * A change heard from the library — made in this window, another window or tab. A change to the
   * highlights of the revision shown is applied in place; anything else reads the document again.
   */
  async onChange(event: ChangeEvent): Promise<void> {
    if (event.library) {
      void this.refreshDocuments();
      const codebook = await this.attempt(() => this.client.getCodebook({}));
      if (codebook) this.codebook = codebook;
    }
    const doc = this.doc;
    if (!doc || event.documentId !== doc.meta.id || event.revision === undefined) return;
    if (event.revision <= doc.revision) return;
    if (event.reload || event.revision !== doc.revision + 1) {
      await this.reload(doc.meta.id);
      return;
    }
    for (const id of event.del ?? []) this.drop(doc.meta.id, id);
    for (const h of event.put ?? []) this.put(h);
    if (this.doc) this.doc = { ...this.doc, revision: event.revision };
  }

  private async attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.error = '';
    try {
      return await work();
    } catch (error) {
      this.error = errorMessage(error);
      return undefined;
    }
  }

  async start(): Promise<void> {
    await this.attempt(async () => {
      // One round trip, not two: the document to open is known as soon as the list is.
      const [codebook, documents, notices, { documentId: last }] = await Promise.all([
        this.client.getCodebook({}),
        this.client.listDocuments({}),
        this.client.getNotices({}),
        this.client.getLastOpened({}),
      ]);
      this.codebook = codebook;
      this.documents = documents;
      this.notices = notices;
      const link = parseOpenRequest(window.location.hash);
      if (link) {
        await this.follow(link);
      } else {
        const first = documents.find((d) => d.id === last) ?? documents[0];
        if (first) await this.open(first.id);
        else this.view = 'library';
      }
    });
    this.loading = false;
  }

  /** Opens the passage a `glossa://open?…` link (or `#open?…` address) names. */
  async follow(link: OpenRequest): Promise<void> {
    if (!this.documents.some((d) => d.id === link.documentId)) {
      this.error = 'That link points to a document that is not in this library (or is in the trash).';
      return;
    }
    await this.open(link.documentId);
    if (!link.highlightId) return;
    if (this.highlights.some((h) => h.id === link.highlightId)) this.select(link.highlightId, true);
    else this.status = 'The linked highlight is no longer in this document.';
  }

  async open(documentId: string): Promise<void> {
    await this.attempt(async () => {
      this.doc = await this.client.getDocument({ documentId });
      this.selectedId = null;
      this.pendingRange = null;
      this.hereIds = [];
      this.view = 'reader';
      await this.client.setLastOpened({ documentId });
    });
  }

  /** Opens a document and selects a passage in it (where a library search found its words). */
  async reveal(documentId: string, range: TextRange): Promise<void> {
    if (this.doc?.meta.id !== documentId) await this.open(documentId);
    else this.view = 'reader';
    if (this.doc?.meta.id === documentId) this.revealRequest = { ...range, seq: (this.revealRequest?.seq ?? 0) + 1 };
  }

  /** Re-reads a document that changed outside the reader (annotations imported into it). */
  async reload(documentId: string): Promise<void> {
    const doc = await this.attempt(() => this.client.getDocument({ documentId }));
    if (doc && this.doc?.meta.id === documentId && doc.revision >= this.doc.revision) {
      this.doc = doc;
      if (this.selectedId && !doc.highlights.some((h) => h.id === this.selectedId)) this.selectedId = null;
      this.pendingRange = null;
    }
  }

  /** Re-reads the document list (after imports, trash, metadata edits). */
  async refreshDocuments(): Promise<void> {
    const documents = await this.attempt(() => this.client.listDocuments({}));
    if (documents) this.documents = documents;
  }

  /** Forgets the open document if it left the library (moved to the trash). */
  closeIfGone(): void {
    if (this.doc && !this.documents.some((d) => d.id === this.doc?.meta.id)) {
      this.doc = null;
      this.selectedId = null;
      this.pendingRange = null;
    }
  }

  tag(index: number): Tag | undefined {
    return this.codebook.tags[index];
  }

  /** The code a letter key was given as its shortcut. */
  tagForKey(key: string): Tag | undefined {
    const k = key.toLowerCase();
    return this.codebook.tags.find((t) => t.shortcut === k);
  }

  /**
   * Creates a code and applies it to the selected passage (or highlight) in one undo step: what
   * typing a new name in the toolbar and pressing Enter does. A name the codebook has (any case)
   * applies that code instead of making a twin.
   */
  createAndApply(name: string): Promise<void> {
    const live = this.liveSelection();
    return this.history.change(async () => {
      const existing = findTag(this.codebook, name);
      if (existing) return this.applyTagNow(existing, live);
      const made = await this.attempt(() => this.client.createTag({ name }));
      if (!made?.tag) return;
      const depth = this.history.depth;
      this.history.record({ kind: 'codebook', label: made.change.label, changeId: made.change.id });
      this.codebook = made.codebook;
      await this.applyTagNow(made.tag, live);
      if (this.history.depth === depth + 2) this.history.joinLast(2, `Tag as new code ${made.tag.name}`);
    });
  }

  /** An in-vivo code: named by the selected words themselves, applied to them. */
  inVivo(): boolean {
    const live = this.liveSelection();
    const range = live === undefined ? this.pendingRange : live;
    if (!range || !this.doc) {
      this.status = 'Select the words to name a code after, then press i.';
      return false;
    }
    const words = this.doc.text.slice(range.start, range.end).replace(/\s+/g, ' ').trim().slice(0, 100).trim();
    if (!words) return false;
    void this.createAndApply(words);
    return true;
  }

  tagName(id: string): string {
    return this.tagsById[id]?.name ?? id;
  }

  private setHighlights(highlights: Highlight[]): void {
    if (!this.doc) return;
    this.doc = { ...this.doc, highlights };
    const id = this.doc.meta.id;
    const tagCounts = countTags(highlights);
    this.documents = this.documents.map((d) =>
      d.id === id ? { ...d, highlightCount: highlights.length, tagCounts } : d,
    );
  }

  /** Shows a saved highlight (new or changed) in the open document. */
  private put(h: Highlight): void {
    if (!this.doc || this.doc.meta.id !== h.documentId) return;
    const others = inReadingOrder(this.doc.highlights.filter((x) => x.id !== h.id));
    let at = others.findIndex((x) => byPosition(h, x) < 0);
    if (at === -1) at = others.length;
    this.setHighlights([...others.slice(0, at), h, ...others.slice(at)]);
  }

  private drop(documentId: string, id: string): void {
    if (!this.doc || this.doc.meta.id !== documentId) return;
    this.setHighlights(this.doc.highlights.filter((h) => h.id !== id));
    if (this.selectedId === id) this.selectedId = null;
  }

  /**
   * What a tag button or digit does: tag the selected passage if there is one, otherwise add the
   * tag to (or take it off) the selected highlight. Taking off the last tag deletes the highlight,
   * which undo brings back.
   */
  applyTag(tag: Tag): Promise<void> {
    // The selection is read as the key is pressed; the change waits in line behind any undo.
    const live = this.liveSelection();
    return this.history.change(() => this.applyTagNow(tag, live));
  }

  private async applyTagNow(tag: Tag, live: TextRange | null | undefined): Promise<void> {
    const doc = this.doc;
    if (!doc) return;
    const range = live === undefined ? this.pendingRange : live;
    if (range) {
      if (!this.checkPainted(range)) return;
      // The selection gives way to a caret now, not when the save returns: the saving mark shows
      // at once instead of under the selection, and the redraw restores a caret, which costs
      // Chromium nothing, where restoring a selection on a long page cost 10–16 ms of the frame.
      this.collapseSelection(range);
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a timestamp, read once, never observed
      const now = new Date().toISOString();
      const drawnNow: Highlight = {
        id: `${PROVISIONAL_PREFIX}${++this.provisionalCount}`,
        documentId: doc.meta.id,
        tags: [tag.id],
        note: '',
        created: now,
        updated: now,
        target: describeRange(doc.text, range.start, range.end),
      };
      this.provisional = [...this.provisional, drawnNow];
      const selectionsBefore = this.selectionChanges;
      let created: Highlight | undefined;
      try {
        created = await this.attemptOnText(doc, () =>
          this.client.createHighlight({ documentId: doc.meta.id, ...this.seen(doc, range), tags: [tag.id] }),
        );
      } finally {
        this.provisional = this.provisional.filter((h) => h !== drawnNow);
      }
      if (!created) {
        // Not saved: the passage is selected again, ready for another try.
        this.reselect(range);
        return;
      }
      const previous = doc.highlights.find((h) => h.id === created.id) ?? null;
      this.history.record({ label: `Tag as ${tag.name}`, documentId: doc.meta.id, before: previous, after: created });
      this.put(created);
      this.forgetSelection(range);
      // The new highlight becomes the selected one, unless the person selected (or let go of)
      // something else while it was being saved (Esc then j, say).
      if (this.selectionChanges === selectionsBefore) this.selectedId = created.id;
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
      await this.deleteNow(`Removed the last tag, so the highlight was deleted. Undo with Ctrl+Z.`);
      return;
    }
    const tags = has ? selected.tags.filter((t) => t !== tag.id) : [...selected.tags, tag.id];
    await this.change(selected, { tags }, has ? `Remove ${tag.name}` : `Add ${tag.name}`);
    this.status = has ? `Removed ${tag.name}.` : `Added ${tag.name}.`;
  }

  private async change(
    current: Highlight,
    change: { tags?: string[]; note?: string },
    label: string,
    mergeKey?: string,
  ): Promise<boolean> {
    const updated = await this.attempt(() =>
      this.client.updateHighlight({ documentId: current.documentId, highlightId: current.id, ...change }),
    );
    if (!updated) return false;
    this.history.record({ label, documentId: current.documentId, before: current, after: updated, mergeKey });
    this.put(updated);
    return true;
  }

  async removeTag(highlight: Highlight, tagId: string): Promise<void> {
    const tag = this.tagsById[tagId];
    if (tag) {
      this.selectedId = highlight.id;
      this.pendingRange = null;
      await this.applyTag(tag);
    }
  }

  saveNote(highlight: Highlight, note: string, mergeKey?: string): Promise<boolean> {
    return this.history.change(() => this.saveNoteNow(highlight, note, mergeKey));
  }

  private async saveNoteNow(highlight: Highlight, note: string, mergeKey?: string): Promise<boolean> {
    const current = this.highlights.find((h) => h.id === highlight.id) ?? highlight;
    if (note === current.note) return true;
    const saved = await this.change(current, { note }, 'Edit note', mergeKey);
    if (saved) this.status = 'Note saved.';
    return saved;
  }

  deleteSelected(): Promise<void> {
    return this.history.change(() => this.deleteNow('Highlight deleted. Undo with Ctrl+Z.'));
  }

  private async deleteNow(message: string): Promise<void> {
    const selected = this.selected;
    if (!selected) return;
    const done = await this.attempt(() =>
      this.client.deleteHighlight({ documentId: selected.documentId, highlightId: selected.id }),
    );
    if (!done) return;
    this.history.record({ label: 'Delete highlight', documentId: selected.documentId, before: selected, after: null });
    this.drop(selected.documentId, selected.id);
    this.status = message;
  }

  async undo(): Promise<void> {
    const applied = await this.attempt(() => this.history.undo());
    if (applied) await this.show(applied, 'Undid');
    else if (applied === null) this.status = 'Nothing to undo.';
  }

  async redo(): Promise<void> {
    const applied = await this.attempt(() => this.history.redo());
    if (applied) await this.show(applied, 'Redid');
    else if (applied === null) this.status = 'Nothing to redo.';
  }

  private async show(applied: Applied, verb: string): Promise<void> {
    for (const change of applied.changes) {
      if (change.kind === 'codebook') {
        this.codebook = change.codebook;
        // The codebook change may have touched highlights in any document: counts and the open
        // one are read again (change events do the same; this does not wait for them).
        await this.refreshDocuments();
        if (this.doc) await this.reload(this.doc.meta.id);
        continue;
      }
      if (this.doc?.meta.id !== change.documentId) await this.open(change.documentId);
      else if (change.highlight) this.put(change.highlight);
      else this.drop(change.documentId, change.deletedId);
      if (change.highlight) {
        this.selectedId = change.highlight.id;
        this.scrollRequest++;
      }
    }
    this.status = `${verb}: ${applied.label.toLowerCase()}.`;
  }

  /** After `range` was used, drop it, unless the user has already selected something else. */
  private forgetSelection(range: TextRange): void {
    const pending = this.pendingRange;
    if (pending && pending.start === range.start && pending.end === range.end) this.pendingRange = null;
    this.collapseSelection(range);
  }

  select(id: string | null, scroll = false): void {
    this.selectionChanges++;
    this.selectedId = id;
    if (id) this.pendingRange = null;
    if (id && scroll) this.scrollRequest++;
  }

  /** Moves the selection to the next (or previous) visible highlight in reading order. */
  step(direction: 1 | -1): void {
    const list = this.visible;
    if (list.length === 0) {
      this.status = 'There are no highlights to move to.';
      return;
    }
    const at = list.findIndex((h) => h.id === this.selectedId);
    const next = at === -1 ? (direction === 1 ? 0 : list.length - 1) : (at + direction + list.length) % list.length;
    this.select(list[next].id, true);
  }

  toggleTagVisibility(tagId: string): void {
    this.hiddenTags = this.hiddenTags.includes(tagId)
      ? this.hiddenTags.filter((t) => t !== tagId)
      : [...this.hiddenTags, tagId];
    if (this.selected && !this.visible.some((h) => h.id === this.selectedId) && !this.selected.orphan)
      this.selectedId = null;
  }

  requestNote(): void {
    if (this.selected) this.noteRequest++;
    else this.status = 'Select a highlight first (click it, or press j).';
  }

  /** Saves corrected metadata for any document; the open one shows it at once. */
  async updateDocument(change: Input<'updateDocument'>, done = 'Details saved.'): Promise<boolean> {
    const summary = await this.attempt(() => this.client.updateDocument(change));
    if (!summary) return false;
    const { highlightCount: _count, tagCounts: _tags, ...meta } = summary;
    if (this.doc?.meta.id === summary.id) this.doc = { ...this.doc, meta };
    this.documents = this.documents.map((d) => (d.id === summary.id ? summary : d));
    this.status = done;
    return true;
  }

  renameDocument(title: string): Promise<boolean> {
    const doc = this.doc;
    if (!doc) return Promise.resolve(false);
    return this.updateDocument({ documentId: doc.meta.id, title }, 'Title saved.');
  }

  /** Replaces a paragraph's text; highlights are found again, or kept as orphans. */
  async editParagraph(n: number, text: string): Promise<boolean> {
    const doc = this.doc;
    if (!doc) return false;
    const result = await this.attemptOnText(doc, () =>
      this.client.editParagraph({ documentId: doc.meta.id, revision: doc.revision, n, text }),
    );
    if (!result) return false;
    this.doc = result.document;
    this.pendingRange = null;
    const parts = [`${result.exact} found as they were`];
    if (result.approximate)
      parts.push(`${result.approximate} found approximately (review them under “Found approximately”)`);
    if (result.orphaned) parts.push(`${result.orphaned} orphaned (listed under “Orphaned highlights”)`);
    this.status = `¶ ${n} saved. Highlights: ${parts.join(', ')}.`;
    return true;
  }

  /**
   * Settles a highlight found approximately: keep the passage it was found on, or make it an
   * orphan (adjusting it is `reattach` with the right words selected). One undo step.
   */
  review(highlight: Highlight, decision: 'accept' | 'orphan'): Promise<void> {
    return this.history.change(async () => {
      const reviewed = await this.attempt(() =>
        this.client.reviewHighlight({ documentId: highlight.documentId, highlightId: highlight.id, decision }),
      );
      if (!reviewed) return;
      const label = decision === 'accept' ? 'Accept found passage' : 'Make orphan';
      this.history.record({ label, documentId: highlight.documentId, before: highlight, after: reviewed });
      this.put(reviewed);
      this.status =
        decision === 'accept'
          ? 'Kept on the passage it was found on.'
          : 'Made an orphan: it is listed under “Orphaned highlights”, to attach to the right words.';
    });
  }

  setListOrder(order: ListOrder): void {
    this.listOrder = order;
    globalThis.localStorage?.setItem(LIST_ORDER_KEY, order);
  }

  /** Attaches an orphaned highlight to the passage selected in the text. */
  reattach(orphan: Highlight): Promise<void> {
    const live = this.liveSelection();
    return this.history.change(() => this.reattachNow(orphan, live));
  }

  private async reattachNow(orphan: Highlight, live: TextRange | null | undefined): Promise<void> {
    const range = live === undefined ? this.pendingRange : live;
    const doc = this.doc;
    if (!range || !doc) {
      this.status = 'Select the right words in the text first, then attach the highlight to them.';
      return;
    }
    if (!this.checkPainted(range)) return;
    const attached = await this.attemptOnText(doc, () =>
      this.client.reattachHighlight({
        documentId: orphan.documentId,
        highlightId: orphan.id,
        ...this.seen(doc, range),
      }),
    );
    if (!attached) return;
    this.history.record({ label: 'Attach highlight', documentId: orphan.documentId, before: orphan, after: attached });
    this.put(attached);
    this.forgetSelection(range);
    this.select(attached.id, true);
    this.status = 'Highlight attached to the selected passage.';
  }
}
