import Mark from 'mark.js';
import { readableAlpha, rgbOf } from './contrast';
import type { Segment } from '../../../shared/segments';

export const HIGHLIGHT_CLASS = 'hl';
export const SELECTED_CLASS = 'hl-selected';
/** A highlight drawn at the key press whose save has not yet been confirmed durable. */
export const SAVING_CLASS = 'hl-saving';
/** Ids of highlights drawn before their save returns (see ReaderState.applyTag). */
export const PROVISIONAL_PREFIX = 'saving:';

/** How one segment looks: the colours of every tag covering it, and a label for tooltips. */
export interface SegmentLook {
  colors: string[];
  /**
   * The first code's place in the codebook: picks its underline style, a cue that does not rely
   * on colour (red and green codes look alike to one reader in twelve).
   */
  cue?: number;
  label: string;
  depth: number;
  /** Covered only by highlights still being saved: drawn so, until the save is durable. */
  saving?: boolean;
}

/**
 * Hex colour as a translucent fill, so text stays readable under a highlight: as strong as
 * `alpha`, or fainter where the theme's text would fall under 4.5:1 on it (see contrast.ts).
 */
export function fill(hex: string, alpha = 0.32): string {
  const rgb = rgbOf(hex) ?? ([255, 220, 0] as const);
  const [r, g, b] = rgb;
  return `rgba(${r}, ${g}, ${b}, ${readableAlpha([r, g, b], alpha)})`;
}

/** One band of colour per tag, stacked top to bottom: no tag's colour hides another's. */
export function background(colors: string[]): string {
  if (colors.length === 0) return fill('#ffdc00');
  if (colors.length === 1) return `linear-gradient(${fill(colors[0])}, ${fill(colors[0])})`;
  const band = 100 / colors.length;
  const stops = colors.map((c, i) => `${fill(c, 0.42)} ${(i * band).toFixed(2)}% ${((i + 1) * band).toFixed(2)}%`);
  return `linear-gradient(to bottom, ${stops.join(', ')})`;
}

// One CSS rule per combination of tag colours, in a constructed style sheet (CSSOM, which the CSP
// allows), instead of an inline style on each of possibly thousands of <mark>s.
/** Underline styles, one per code in turn: with the colour, two cues for every code. */
export const CUE_STYLES = ['solid', 'dotted', 'dashed', 'double', 'wavy'] as const;

/** The underline a segment gets for its first code: style by the code's place, in its colour. */
export function cueDeclarations(color: string, cue: number): string {
  const style = CUE_STYLES[cue % CUE_STYLES.length];
  return `text-decoration-line: underline; text-decoration-style: ${style}; text-decoration-color: ${color}; text-decoration-thickness: 2px; text-underline-offset: 0.2em;`;
}

const lookClasses = new Map<string, string>();
let lookSheet: CSSStyleSheet | null = null;

function lookClass(colors: string[], cue: number | undefined): string | null {
  const key = `${colors.join(' ')}|${cue ?? ''}`;
  const known = lookClasses.get(key);
  if (known) return known;
  if (!lookSheet) {
    if (typeof CSSStyleSheet === 'undefined' || !('adoptedStyleSheets' in document)) return null;
    lookSheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, lookSheet];
  }
  const name = `hl-look-${lookClasses.size}`;
  const underline = cue !== undefined && colors.length > 0 ? cueDeclarations(colors[0], cue) : '';
  lookSheet.insertRule(`mark.${HIGHLIGHT_CLASS}.${name} { background-image: ${background(colors)}; ${underline} }`);
  lookClasses.set(key, name);
  return name;
}

interface SegmentRange {
  start: number;
  length: number;
  ids: string[];
}

/**
 * Draws one paragraph: resets its text, then wraps each segment in a <mark>. Segments never
 * overlap (see toSegments), which is what mark.js `markRanges` needs; offsets are relative to the
 * paragraph, which holds nothing but its text. Styles are set through the CSSOM, which the strict
 * Content-Security-Policy allows (inline style attributes it would not).
 */
export function paintParagraph(
  element: HTMLElement,
  text: string,
  paragraphStart: number,
  segments: Segment[],
  look: (ids: string[]) => SegmentLook,
): void {
  if (segments.length === 0) {
    element.textContent = text;
    return;
  }
  // Marks are made in a detached copy and moved in at once: one change to the live (editable,
  // selectable) document per paragraph instead of one per wrapped text node.
  const draft = element.ownerDocument.createElement(element.tagName);
  draft.textContent = text;
  const ranges: SegmentRange[] = segments.map((s) => ({
    start: s.start - paragraphStart,
    length: s.end - s.start,
    ids: s.ids,
  }));
  // A screen reader hears a highlight's codes once, where it begins (in each paragraph it
  // spans), not again on every piece overlaps cut it into. The empty description on the other
  // pieces keeps their hover title from being read as one.
  const described = new Set<string>();
  new Mark(draft).markRanges(ranges, {
    element: 'mark',
    className: HIGHLIGHT_CLASS,
    each: (mark, range) => {
      const { ids } = range as unknown as SegmentRange;
      const { colors, label, depth, saving, cue } = look(ids);
      const el = mark as HTMLElement;
      if (saving) el.classList.add(SAVING_CLASS);
      el.dataset.ids = ids.join(' ');
      el.dataset.depth = String(Math.min(depth, 4));
      el.title = label;
      const starting = ids.filter((id) => !described.has(id));
      for (const id of starting) described.add(id);
      el.setAttribute('aria-description', starting.length > 0 ? `Highlight: ${look(starting).label}` : '');
      const name = lookClass(colors, cue);
      if (name) el.classList.add(name);
      else el.style.backgroundImage = background(colors);
    },
  });
  element.replaceChildren(...draft.childNodes);
}

let outlined: HTMLElement[] = [];

/** Marks every <mark> of the selected highlight (and unmarks the rest) without redrawing. */
export function showSelected(root: HTMLElement, id: string | null): void {
  for (const el of outlined) el.classList.remove(SELECTED_CLASS);
  outlined = [];
  // Nothing selected: done, without a walk over every mark (this runs after every redraw).
  if (!id) return;
  for (const el of root.querySelectorAll<HTMLElement>(`mark.${HIGHLIGHT_CLASS}`)) {
    if (el.dataset.ids?.split(' ').includes(id)) {
      el.classList.add(SELECTED_CLASS);
      outlined.push(el);
    }
  }
}
