import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rowWindow } from './row-window';

describe('rowWindow', () => {
  it('renders the rows on screen and the overscan around them', () => {
    expect(rowWindow(10_000, 40, 0, 800, 20)).toEqual({ start: 0, end: 41, before: 0, after: (10_000 - 41) * 40 });
    // Scrolled 4,000 px: row 100 is at the top of the screen.
    expect(rowWindow(10_000, 40, -4_000, 800, 20)).toMatchObject({ start: 80, end: 141, before: 3_200 });
    expect(rowWindow(10_000, 40, -10_000 * 40, 800, 20)).toMatchObject({ start: 9_980, end: 10_000, after: 0 });
  });

  it('handles lists shorter than a screen, empty lists and a list below the screen', () => {
    expect(rowWindow(5, 40, 0, 800)).toEqual({ start: 0, end: 5, before: 0, after: 0 });
    expect(rowWindow(0, 40, 0, 800)).toEqual({ start: 0, end: 0, before: 0, after: 0 });
    expect(rowWindow(1_000, 40, 5_000, 800, 10)).toEqual({ start: 0, end: 0, before: 0, after: 40_000 });
    expect(rowWindow(10, 0, 0, 800)).toMatchObject({ start: 0, end: 10 });
  });

  it('always covers every row on screen, and keeps the total height (property)', () => {
    fc.assert(
      fc.property(
        fc.nat(20_000),
        fc.integer({ min: 10, max: 80 }),
        fc.integer({ min: -2_000_000, max: 2_000 }),
        fc.integer({ min: 100, max: 2_000 }),
        (count, rowHeight, top, viewport) => {
          const w = rowWindow(count, rowHeight, top, viewport, 5);
          expect(w.before + (w.end - w.start) * rowHeight + w.after).toBe(count * rowHeight);
          for (let row = 0; row < count; row++) {
            const y = top + row * rowHeight;
            if (y + rowHeight > 0 && y < viewport) {
              expect(row).toBeGreaterThanOrEqual(w.start);
              expect(row).toBeLessThan(w.end);
            }
            if (y > viewport + rowHeight * 10) break;
          }
        },
      ),
    );
  });
});
