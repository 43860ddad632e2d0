import type { Client } from './api';
import type { Codebook, Highlight } from './types';

/**
 * One undoable change to one highlight: its state before and after (null where it did not exist).
 * Undo and redo both put back a complete earlier state — same id, tags, note and times — so the
 * store ends exactly as it was, not merely similar.
 */
export interface HighlightChangeEntry {
  kind?: 'highlight';
  label: string;
  documentId: string;
  before: Highlight | null;
  after: Highlight | null;
  /**
   * Entries with the same key in a row are one step: a note saved as it is typed is undone as the
   * whole edit, not keystroke by keystroke.
   */
  mergeKey?: string;
}

/**
 * One codebook change (create, rename, merge, delete a code…): the library keeps its journal, so
 * undo and redo name it and the library puts back the codebook and every highlight it touched.
 */
export interface CodebookChangeEntry {
  kind: 'codebook';
  label: string;
  changeId: string;
  mergeKey?: undefined;
}

/** Several changes made as one gesture (create a code and tag the passage with it): one step. */
export interface StepsEntry {
  kind: 'steps';
  label: string;
  steps: (HighlightChangeEntry | CodebookChangeEntry)[];
  mergeKey?: undefined;
}

export type HistoryEntry = HighlightChangeEntry | CodebookChangeEntry | StepsEntry;

/** What undo or redo did to a highlight, for the screen to show: now in this state, or gone. */
export type AppliedHighlight = { kind?: 'highlight'; documentId: string; label: string } & (
  { highlight: Highlight; deletedId?: undefined } | { deletedId: string; highlight?: undefined }
);

/** What undo or redo did to the codebook: it is now this. */
export interface AppliedCodebook {
  kind: 'codebook';
  label: string;
  codebook: Codebook;
}

/** What one undo or redo did, in the order done. */
export type Applied = { label: string; changes: (AppliedHighlight | AppliedCodebook)[] };

const LIMIT = 1000;

/**
 * Undo/redo over the API. Entries carry their document, so history survives switching documents.
 * A failed undo leaves the history as it was, so it can be tried again.
 */
export class UndoHistory {
  private entries: HistoryEntry[] = [];
  private cursor = 0;
  // Undo and redo run one at a time: pressing Ctrl+Z twice quickly must undo two changes, not
  // the same one twice.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: Client,
    private readonly onChange: () => void = () => undefined,
  ) {}

  /** How many steps can be undone: a change recorded raises it by one. */
  get depth(): number {
    return this.cursor;
  }

  get undoLabel(): string | null {
    return this.cursor > 0 ? this.entries[this.cursor - 1].label : null;
  }

  get redoLabel(): string | null {
    return this.cursor < this.entries.length ? this.entries[this.cursor].label : null;
  }

  record(entry: HistoryEntry): void {
    const last = this.entries[this.cursor - 1];
    if (
      entry.mergeKey &&
      (last?.kind ?? 'highlight') === 'highlight' &&
      last?.mergeKey === entry.mergeKey &&
      this.cursor === this.entries.length
    ) {
      (last as HighlightChangeEntry).after = structuredClone((entry as HighlightChangeEntry).after);
      this.onChange();
      return;
    }
    this.entries.splice(this.cursor, this.entries.length - this.cursor, structuredClone(entry));
    if (this.entries.length > LIMIT) this.entries.shift();
    this.cursor = this.entries.length;
    this.onChange();
  }

  /**
   * Makes the last `count` entries one step (a code created and applied by one key press). Only
   * entries recorded after the cursor's last move qualify; anything else is left as it is.
   */
  joinLast(count: number, label: string): void {
    if (count < 2 || this.cursor !== this.entries.length || this.entries.length < count) return;
    const parts = this.entries.splice(this.entries.length - count, count);
    const steps = parts.flatMap((p) => (p.kind === 'steps' ? p.steps : [p]));
    this.entries.push({ kind: 'steps', label, steps });
    this.cursor = this.entries.length;
    this.onChange();
  }

  /**
   * Runs a change that records itself, in line with undo and redo. A change shows on screen (by
   * its change event) before its answer returns and it is recorded; an undo pressed in between
   * must wait for it, or it would undo the change before it.
   */
  change<T>(work: () => Promise<T>): Promise<T> {
    return this.serially(work);
  }

  undo(): Promise<Applied | null> {
    return this.serially(() => this.undoNow());
  }

  redo(): Promise<Applied | null> {
    return this.serially(() => this.redoNow());
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async undoNow(): Promise<Applied | null> {
    if (this.cursor === 0) return null;
    const entry = this.entries[this.cursor - 1];
    const applied = { label: entry.label, changes: await this.apply(entry, 'undo') };
    this.cursor--;
    this.onChange();
    return applied;
  }

  private async redoNow(): Promise<Applied | null> {
    if (this.cursor === this.entries.length) return null;
    const entry = this.entries[this.cursor];
    const applied = { label: entry.label, changes: await this.apply(entry, 'redo') };
    this.cursor++;
    this.onChange();
    return applied;
  }

  private async apply(
    entry: HistoryEntry,
    direction: 'undo' | 'redo',
  ): Promise<(AppliedHighlight | AppliedCodebook)[]> {
    if (entry.kind === 'steps') {
      // Undone last step first. A step that fails stops the rest; the entry stays where it was,
      // so pressing undo again retries from a state the library can still reach.
      const steps = direction === 'undo' ? [...entry.steps].reverse() : entry.steps;
      const out: (AppliedHighlight | AppliedCodebook)[] = [];
      for (const step of steps) out.push(...(await this.apply(step, direction)));
      return out;
    }
    if (entry.kind === 'codebook') {
      const result = await this.client.revertCodebookChange({ changeId: entry.changeId, direction });
      return [{ kind: 'codebook', label: entry.label, codebook: result.codebook }];
    }
    return [
      direction === 'undo'
        ? await this.move(entry, entry.after, entry.before)
        : await this.move(entry, entry.before, entry.after),
    ];
  }

  private async move(
    entry: HighlightChangeEntry,
    from: Highlight | null,
    to: Highlight | null,
  ): Promise<AppliedHighlight> {
    const { documentId, label } = entry;
    if (to) return { documentId, label, highlight: await this.client.restoreHighlight({ highlight: to }) };
    const id = (from as Highlight).id;
    await this.client.deleteHighlight({ documentId, highlightId: id });
    return { documentId, label, deletedId: id };
  }
}
