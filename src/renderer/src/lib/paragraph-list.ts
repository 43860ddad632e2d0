import type { DocumentView, Paragraph } from '../../../shared/types';

/**
 * How much text is laid out per frame while a long document fills in. Chromium lays out about
 * 1 kB of prose per 0.8 ms on the development machine (a static 1 MB page takes ~800 ms), so
 * 24 kB is ~20 ms of layout: the frame that adds it stays well under a 50 ms long task, and a
 * 1 MB text is complete in ~40 frames (under a second). Smaller slices would finish later for
 * nothing; larger ones would make each frame a long task again.
 */
export const CHARS_PER_FRAME = 24_000;

/**
 * The document's paragraphs as elements, created a slice per frame instead of all at once.
 *
 * Opening a long document used to build and lay out every paragraph before the first screen could
 * be drawn: ~1 s of one task for 1 MB. Here the first slice (more than a screen) is built at once
 * and the rest follow in later frames, in order, so the first screen shows as soon as its own
 * text is laid out, and no frame holds a long task. Everything that needs a paragraph further on
 * — find, a jump to a highlight or a search hit — asks for it (`ensure`), which builds up to it at
 * once; paragraphs are always a prefix of the document, so indexes and text offsets stay valid.
 *
 * The elements are plain DOM (not a Svelte each-block): building 2,500 keyed blocks cost ~0.2 ms
 * each, four times what the elements themselves cost. Each `<p data-start>` holds the plain text;
 * the HighlightPainter draws marks into the ones near the screen.
 */
export class ParagraphList {
  /** The `<p data-start>` element of each paragraph built so far, by index. */
  readonly elements: HTMLElement[] = [];
  private doc: DocumentView | null = null;
  private frame = 0;

  /**
   * @param root the container the paragraphs are built in (it holds nothing else)
   * @param onAdded called with the elements each slice added (to observe them, say)
   */
  constructor(
    private readonly root: HTMLElement,
    private readonly onAdded: (added: HTMLElement[]) => void,
    private readonly schedule: (work: () => void) => number = (work) => requestAnimationFrame(work),
    private readonly cancel: (handle: number) => void = (handle) => cancelAnimationFrame(handle),
  ) {}

  get complete(): boolean {
    return this.doc !== null && this.elements.length === this.doc.paragraphs.length;
  }

  /**
   * Shows `doc`: a new document starts over with its first slice; the same document with changed
   * paragraphs (an edit) has the built ones brought up to date in place, so the reader keeps its
   * scroll position.
   */
  show(doc: DocumentView): void {
    const previous = this.doc;
    this.doc = doc;
    if (previous?.meta.id !== doc.meta.id) {
      this.root.replaceChildren();
      this.elements.length = 0;
    } else if (previous.paragraphs !== doc.paragraphs || previous.text !== doc.text) this.refresh(previous);
    if (this.elements.length === 0) this.build(this.sliceEnd(0));
    this.continue();
  }

  /** Builds every paragraph up to and including `index` now (clamped to the document). */
  ensure(index: number): void {
    if (!this.doc) return;
    const end = Math.min(index + 1, this.doc.paragraphs.length);
    if (end > this.elements.length) this.build(end);
  }

  ensureAll(): void {
    if (this.doc) this.ensure(this.doc.paragraphs.length - 1);
  }

  stop(): void {
    this.cancel(this.frame);
    this.frame = 0;
  }

  private continue(): void {
    if (this.frame !== 0 || this.complete) return;
    this.frame = this.schedule(() => {
      this.frame = 0;
      this.build(this.sliceEnd(this.elements.length));
      this.continue();
    });
  }

  /** The end of a slice starting at `from`: CHARS_PER_FRAME of text, at least one paragraph. */
  private sliceEnd(from: number): number {
    const paragraphs = this.doc?.paragraphs ?? [];
    let end = from;
    let chars = 0;
    while (end < paragraphs.length && (end === from || chars < CHARS_PER_FRAME)) {
      chars += paragraphs[end].end - paragraphs[end].start;
      end++;
    }
    return end;
  }

  private build(end: number): void {
    const doc = this.doc;
    if (!doc) return;
    const from = this.elements.length;
    const fragment = document.createDocumentFragment();
    for (let i = from; i < end; i++) {
      const { block, text } = this.create(doc, i);
      fragment.append(block);
      this.elements.push(text);
    }
    this.root.append(fragment);
    if (end > from) this.onAdded(this.elements.slice(from, end));
  }

  private create(doc: DocumentView, i: number): { block: HTMLElement; text: HTMLElement } {
    const p = doc.paragraphs[i];
    const block = document.createElement('div');
    const number = document.createElement('span');
    // Read out, not hidden: the sidebar, exports and citations refer to paragraphs by number.
    // (Not selectable, so copying the text leaves it out.)
    number.className = 'pnum';
    const text = document.createElement('p');
    text.dir = 'auto';
    block.append(number, text);
    this.describe(doc, i, block, text);
    text.textContent = doc.text.slice(p.start, p.end);
    return { block, text };
  }

  /** Sets everything about a paragraph's elements except its text, which the painter owns. */
  private describe(doc: DocumentView, i: number, block: HTMLElement, text: HTMLElement): void {
    const p = doc.paragraphs[i];
    block.className = `para ${p.kind}`;
    setOptional(block, 'data-level', p.level);
    const number = block.firstElementChild as HTMLElement;
    const page = p.page !== undefined && p.page !== doc.paragraphs[i - 1]?.page ? p.page : undefined;
    number.textContent = `¶ ${p.n}`;
    if (page !== undefined) {
      const label = document.createElement('span');
      label.className = 'page';
      label.textContent = `p. ${page}`;
      number.append(label);
    }
    text.dataset.start = String(p.start);
    text.dataset.n = String(p.n);
    text.dataset.index = String(p.n - 1);
    setOptional(text, 'role', p.kind === 'heading' ? 'heading' : undefined);
    setOptional(text, 'aria-level', p.kind === 'heading' ? p.level : undefined);
  }

  /** After an edit: the built paragraphs take their new attributes; added or removed ones follow. */
  private refresh(previous: DocumentView): void {
    const doc = this.doc as DocumentView;
    const keep = Math.min(this.elements.length, doc.paragraphs.length);
    for (let i = 0; i < keep; i++) {
      const text = this.elements[i];
      const block = text.parentElement as HTMLElement;
      if (!sameLook(previous.paragraphs[i], doc.paragraphs[i], previous.paragraphs[i - 1], doc.paragraphs[i - 1]))
        this.describe(doc, i, block, text);
      else text.dataset.start = String(doc.paragraphs[i].start);
    }
    for (const removed of this.elements.splice(keep)) removed.parentElement?.remove();
  }
}

function setOptional(el: HTMLElement, name: string, value: string | number | undefined): void {
  if (value === undefined) el.removeAttribute(name);
  else el.setAttribute(name, String(value));
}

const sameLook = (a: Paragraph | undefined, b: Paragraph, aBefore?: Paragraph, bBefore?: Paragraph) =>
  a !== undefined &&
  a.n === b.n &&
  a.kind === b.kind &&
  a.level === b.level &&
  a.page === b.page &&
  aBefore?.page === bBefore?.page;
