/** Which rows of a long list to put in the page, and the space the others take. */
export interface RowWindow {
  start: number;
  end: number;
  /** Pixels of the rows before `start` and after `end`, kept as spacers so the scroll bar is true. */
  before: number;
  after: number;
}

/**
 * The rows on screen and `overscan` more each side, for a list of `count` rows `rowHeight` high
 * whose top is at `top` (px, relative to the viewport, negative once scrolled past). Rendering
 * 10,000 rows takes a long task; rendering the 60 around the screen takes one frame, and a
 * scroll only moves the window. Overscan is wide enough that Tab (which scrolls the focused row
 * into view) always finds the next row already rendered.
 */
export function rowWindow(count: number, rowHeight: number, top: number, viewport: number, overscan = 20): RowWindow {
  const height = Math.max(1, rowHeight);
  const first = Math.floor(-top / height);
  const visible = Math.ceil(viewport / height) + 1;
  const start = Math.max(0, Math.min(count, first - overscan));
  const end = Math.max(start, Math.min(count, first + visible + overscan));
  return { start, end, before: start * height, after: (count - end) * height };
}
