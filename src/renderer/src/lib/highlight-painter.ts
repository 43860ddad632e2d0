import { spansByBlock, toSegments, type Span } from '../../../shared/segments';
import type { DocumentView, Highlight, Tag } from '../../../shared/types';
import { paintParagraph, PROVISIONAL_PREFIX, type SegmentLook } from './paint';

interface TaggedSpan extends Span {
  tags: string[];
}

/** What the reader shows: the document, the highlights to draw, the codebook and hidden tags. */
export interface PaintInput {
  doc: DocumentView;
  visible: Highlight[];
  /** Highlights drawn while their save is on its way (few); drawn over `visible`. */
  provisional?: Highlight[];
  hidden: string[];
  codebook: Tag[];
  /** Bumped to draw everything again from the stored text. */
  repaint: number;
}

const sameSpans = (a: TaggedSpan[] | undefined, b: TaggedSpan[]) =>
  a !== undefined && a.length === b.length && a.every((s, k) => s === b[k]);

/**
 * Draws highlights into a document's paragraph elements, doing as little as it can: a paragraph
 * is redrawn only when what it shows changed, and only paragraphs near the screen get marks — the
 * others get their plain text, and marks when they come near (`paintNear`). Highlights are
 * immutable (a change replaces the object), so one span per highlight object is cached and
 * "unchanged" is an identity check, not a comparison of contents. The paragraph elements are the
 * `[data-start]` elements, one per paragraph, in order; a long document's are built a slice at a
 * time (ParagraphList), so `elements` may hold only the first ones, and grows.
 */
export class HighlightPainter {
  /** What each paragraph (by ¶ number) was last drawn from. */
  private readonly drawn = new Map<number, TaggedSpan[]>();
  private spanOf = new WeakMap<Highlight, TaggedSpan>();
  private drawnDoc = '';
  private drawnHidden = '';
  private drawnRepaint = 0;
  /** The text the paragraphs were drawn from: when it changes (an edit), every paragraph is redrawn. */
  private drawnFrom = '';
  /** Paragraphs something other than the painter changed; they are drawn again from the text. */
  private readonly tampered = new Set<number>();
  /** Paragraph indexes near the screen (the reader's IntersectionObserver keeps this). */
  readonly nearView = new Set<number>();
  private latest: { input: PaintInput; buckets: TaggedSpan[][]; elements: ArrayLike<HTMLElement> } | null = null;

  /** How segments look, given the visible tags of the highlights of one paragraph. */
  private lookFor(spans: TaggedSpan[], codebook: Tag[]): (ids: string[]) => SegmentLook {
    const tagsOf = new Map(spans.map((s) => [s.id, s.tags]));
    return (ids) => {
      const tagIds = new Set(ids.flatMap((id) => tagsOf.get(id) ?? []));
      const tags = codebook.filter((t) => tagIds.has(t.id));
      const saving = ids.every((id) => id.startsWith(PROVISIONAL_PREFIX));
      const label = `${tags.map((t) => t.name).join(', ')}${ids.length > 1 ? ` (${ids.length} highlights)` : ''}${saving ? ' (saving…)' : ''}`;
      const cue = tags.length > 0 ? codebook.indexOf(tags[0]) : undefined;
      return { colors: tags.map((t) => t.color), label, depth: ids.length, saving, cue };
    };
  }

  private draw(input: PaintInput, i: number, el: HTMLElement, spans: TaggedSpan[]): void {
    const p = input.doc.paragraphs[i];
    const text = input.doc.text.slice(p.start, p.end);
    paintParagraph(el, text, p.start, toSegments(spans, p.start, p.end), this.lookFor(spans, input.codebook));
    this.drawn.set(p.n, spans);
  }

  /** Marks paragraph `index` as changed from outside; the next paint draws it again. */
  markTampered(index: number): void {
    this.tampered.add(index);
  }

  private spanFor(h: Highlight, hidden: string[]): TaggedSpan {
    let span = this.spanOf.get(h);
    if (!span) {
      const { start, end } = h.target.position;
      span = { id: h.id, start, end, tags: h.tags.filter((t) => !hidden.includes(t)) };
      this.spanOf.set(h, span);
    }
    return span;
  }

  /** Sorting the saved highlights into paragraphs, kept while the list is the same array. */
  private sorted: { visible: Highlight[]; paragraphs: DocumentView['paragraphs']; buckets: TaggedSpan[][] } | null =
    null;

  /**
   * The spans of each paragraph. Sorting every highlight into paragraphs is O(highlights): done
   * when the saved highlights change, not on a key press, which only adds a provisional one —
   * that costs the paragraphs it touches (their buckets are copied; the others are shared).
   */
  private bucketsFor(input: PaintInput): TaggedSpan[][] {
    const { doc, visible, hidden } = input;
    if (this.sorted?.visible !== visible || this.sorted.paragraphs !== doc.paragraphs) {
      const spans = visible.map((h) => this.spanFor(h, hidden));
      this.sorted = { visible, paragraphs: doc.paragraphs, buckets: spansByBlock(doc.paragraphs, spans) };
    }
    const provisional = input.provisional ?? [];
    if (provisional.length === 0) return this.sorted.buckets;
    const buckets = [...this.sorted.buckets];
    const extra = spansByBlock(
      doc.paragraphs,
      provisional.map((h) => this.spanFor(h, hidden)),
    );
    extra.forEach((spans, i) => {
      if (spans.length > 0) buckets[i] = [...buckets[i], ...spans];
    });
    return buckets;
  }

  /** Brings every paragraph up to date; true when any was redrawn. */
  paint(input: PaintInput, elements: ArrayLike<HTMLElement>): boolean {
    const { doc, hidden } = input;
    const newText = this.drawnFrom !== doc.text;
    // Paragraphs drawn with marks before a reset: far from the screen they must lose those marks
    // (a hidden tag's, say), not keep them until they come near.
    let stale: Set<number> = new Set();
    if (
      newText ||
      this.drawnDoc !== doc.meta.id ||
      this.drawnHidden !== hidden.join() ||
      this.drawnRepaint !== input.repaint
    ) {
      this.drawnRepaint = input.repaint;
      this.drawnFrom = doc.text;
      stale = new Set(this.drawn.keys());
      this.drawn.clear();
      this.spanOf = new WeakMap();
      this.sorted = null;
      this.drawnDoc = doc.meta.id;
      this.drawnHidden = hidden.join();
    }
    const buckets = this.bucketsFor(input);
    this.latest = { input, buckets, elements };
    let changed = false;
    doc.paragraphs.forEach((p, i) => {
      const el = elements[i];
      // Not built yet (a long document fills in a slice per frame): built later with its text.
      if (!el) return;
      const tampered = this.tampered.delete(i);
      if (!newText && !tampered && sameSpans(this.drawn.get(p.n), buckets[i]) && el.childNodes.length > 0) return;
      if (this.nearView.has(i)) this.draw(input, i, el, buckets[i]);
      else if (newText || tampered || el.childNodes.length === 0 || this.drawn.has(p.n) || stale.has(p.n)) {
        // Out of view: plain text now, highlights when it comes near (paintNear).
        el.textContent = doc.text.slice(p.start, p.end);
        this.drawn.delete(p.n);
      } else return;
      changed = true;
    });
    return changed;
  }

  /** Draws the highlights of paragraphs that came near the screen; true when any was redrawn. */
  paintNear(indices: number[]): boolean {
    if (!this.latest) return false;
    const { input, buckets, elements } = this.latest;
    let changed = false;
    for (const i of indices) {
      const p = input.doc.paragraphs[i];
      const el = elements[i];
      if (!p || !el || !el.isConnected) continue;
      if (sameSpans(this.drawn.get(p.n), buckets[i]) && el.childNodes.length > 0) continue;
      this.draw(input, i, el, buckets[i]);
      changed = true;
    }
    return changed;
  }
}
