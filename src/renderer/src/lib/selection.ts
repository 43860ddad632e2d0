import type { TextRange } from '../../../shared/anchoring';

/** Paragraph text elements carry the offset of their first character in the document's text. */
export const PARAGRAPH_SELECTOR = '[data-start]';

function paragraphOf(node: Node, root: HTMLElement): HTMLElement | null {
  const element = node instanceof Element ? node : node.parentElement;
  const paragraph = element?.closest<HTMLElement>(PARAGRAPH_SELECTOR) ?? null;
  return paragraph && root.contains(paragraph) ? paragraph : null;
}

function offsetIn(paragraph: HTMLElement, node: Node, offset: number): number {
  const range = document.createRange();
  range.setStart(paragraph, 0);
  range.setEnd(node, offset);
  return Number(paragraph.dataset.start) + range.toString().length;
}

/**
 * A DOM point as an offset into the document text. Points outside paragraph text (on a ¶ number,
 * between paragraphs) snap forward for a range's start and backward for its end, so a drag that
 * begins in the gutter selects from the paragraph's first character.
 */
export function pointToOffset(root: HTMLElement, node: Node, offset: number, edge: 'start' | 'end'): number | null {
  const paragraph = paragraphOf(node, root);
  if (paragraph) return offsetIn(paragraph, node, offset);
  const paragraphs = [...root.querySelectorAll<HTMLElement>(PARAGRAPH_SELECTOR)];
  const ends = (p: HTMLElement) => Number(p.dataset.start) + (p.textContent?.length ?? 0);
  const whole = document.createRange();
  if (edge === 'start') {
    for (const p of paragraphs) {
      whole.selectNodeContents(p);
      if (whole.comparePoint(node, offset) <= 0) return Number(p.dataset.start);
    }
    return null;
  }
  for (let i = paragraphs.length - 1; i >= 0; i--) {
    whole.selectNodeContents(paragraphs[i]);
    if (whole.comparePoint(node, offset) >= 0) return ends(paragraphs[i]);
  }
  return null;
}

/** The current selection inside `root` as a text range, or null if there is none (or it is empty). */
export function selectionToRange(root: HTMLElement, selection: Selection | null): TextRange | null {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!root.contains(range.commonAncestorContainer) && range.commonAncestorContainer !== root) return null;
  const start = pointToOffset(root, range.startContainer, range.startOffset, 'start');
  const end = pointToOffset(root, range.endContainer, range.endOffset, 'end');
  return start !== null && end !== null && start < end ? { start, end } : null;
}

/** The DOM point for a text offset (the inverse of the mapping above), to put the caret back. */
export function offsetToPoint(root: HTMLElement, offset: number): { node: Node; offset: number } | null {
  for (const paragraph of root.querySelectorAll<HTMLElement>(PARAGRAPH_SELECTOR)) {
    const start = Number(paragraph.dataset.start);
    const length = paragraph.textContent?.length ?? 0;
    if (offset < start || offset > start + length) continue;
    let remaining = offset - start;
    const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const size = node.textContent?.length ?? 0;
      if (remaining <= size) return { node, offset: remaining };
      remaining -= size;
    }
    return { node: paragraph, offset: paragraph.childNodes.length };
  }
  return null;
}

/** Selects the text between two offsets (a caret when they are equal); false if either is not drawn. */
export function selectOffsets(root: HTMLElement, anchorOffset: number, focusOffset: number): boolean {
  const anchor = offsetToPoint(root, anchorOffset);
  const focus = offsetToPoint(root, focusOffset);
  if (!anchor || !focus) return false;
  document.getSelection()?.setBaseAndExtent(anchor.node, anchor.offset, focus.node, focus.offset);
  return true;
}
