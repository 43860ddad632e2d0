import type { Highlight } from '../../../shared/types';

/** Where drafts wait between key presses: the page's localStorage, which outlives a reload or a crash. */
export type DraftStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const keyFor = (h: Highlight) => `glossa-note-draft:${h.documentId}:${h.id}`;

/**
 * The note being typed for the selected highlight. Nothing typed is lost: every key press is kept
 * in the draft store at once, and saved to the library a moment after typing stops, when the box
 * loses focus, when another highlight is selected, or with Ctrl+Enter. A draft still unsaved when
 * the page went away (a reload, a crash) is shown and saved when its highlight is next selected.
 * The saves of one editing session are one undo step.
 */
export class NoteDraft {
  text = $state('');
  /** What the person sees about saving: '', 'Saving…', 'Saved', or why it failed. */
  state = $state('');
  #highlight: Highlight | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #session = 0;

  constructor(
    private readonly save: (h: Highlight, text: string, mergeKey: string) => Promise<boolean>,
    private readonly store: DraftStore | null,
    private readonly delayMs = 600,
  ) {}

  get dirty(): boolean {
    return this.#highlight !== null && this.text !== this.#highlight.note;
  }

  /** Follows the selected highlight; a newer copy of the same one (after a save) keeps the typing. */
  attach(h: Highlight | null): void {
    if (h && this.#highlight?.id === h.id) {
      this.#highlight = h;
      return;
    }
    if (this.dirty) void this.flush();
    clearTimeout(this.#timer);
    this.#highlight = h;
    this.#session++;
    this.state = '';
    const draft = h ? this.store?.getItem(keyFor(h)) : null;
    this.text = draft ?? h?.note ?? '';
    if (h && draft !== null && draft !== undefined && draft !== h.note) {
      this.state = 'Unsaved draft restored';
      this.schedule();
    }
  }

  /** A new focus of the box starts a new undo step. */
  begin(): void {
    this.#session++;
  }

  input(text: string): void {
    this.text = text;
    const h = this.#highlight;
    if (!h) return;
    if (text === h.note) this.store?.removeItem(keyFor(h));
    else this.store?.setItem(keyFor(h), text);
    this.state = '';
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Saves now what was typed, if anything; resolves once it is durable (or has failed, said why). */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    const h = this.#highlight;
    if (!h) return;
    const text = this.text;
    if (text === h.note) {
      this.store?.removeItem(keyFor(h));
      return;
    }
    this.state = 'Saving…';
    const saved = await this.save(h, text, `note:${h.id}:${this.#session}`);
    if (saved) {
      // Typing may have gone on meanwhile; only a draft equal to what was saved is done with.
      if (this.store?.getItem(keyFor(h)) === text) this.store.removeItem(keyFor(h));
      if (this.#highlight?.id === h.id) this.state = this.text === text ? 'Saved' : '';
    } else if (this.#highlight?.id === h.id) {
      this.state = 'Not saved: the draft is kept and will be saved again';
    }
  }
}
