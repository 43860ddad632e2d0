import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PALETTE } from '../../../shared/codebook';
import { contrast, MIN_TEXT_CONTRAST, readableAlpha, rgbOf, textContrasts, THEMES } from './contrast';
import { fill } from './paint';

const alphaOf = (css: string) => Number(/, ([\d.]+)\)$/.exec(css)?.[1]);

describe('text contrast on highlights', () => {
  it('uses the page and text colours app.css declares for each theme', () => {
    const css = readFileSync(join(__dirname, '../app.css'), 'utf8');
    const declared = (name: string) =>
      new RegExp(`--${name}: light-dark\\((#[0-9a-f]{6}), (#[0-9a-f]{6})\\)`).exec(css);
    expect(declared('bg')?.slice(1)).toEqual([THEMES.light.bg, THEMES.dark.bg]);
    expect(declared('ink')?.slice(1)).toEqual([THEMES.light.ink, THEMES.dark.ink]);
  });

  it('computes WCAG ratios (black on white is 21, a colour on itself 1)', () => {
    expect(contrast([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 5);
    expect(contrast([120, 30, 200], [120, 30, 200])).toBe(1);
    expect(contrast(rgbOf('#767676')!, [255, 255, 255])).toBeCloseTo(4.54, 2);
  });

  // One highlight (32%) and bands of overlapping codes (42%), every palette colour and the
  // fallback yellow, in both themes.
  it.each([...PALETTE, '#ffdc00'])('keeps 4.5:1 on %s, alone or in a band, in both themes', (hex) => {
    for (const wanted of [0.32, 0.42]) {
      const alpha = alphaOf(fill(hex, wanted));
      for (const ratio of textContrasts(rgbOf(hex)!, alpha)) expect(ratio).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
      // Still a visible highlight, not faded to nothing.
      expect(alpha).toBeGreaterThanOrEqual(0.2);
    }
  });

  it('draws a custom colour that would hide the text fainter, and keeps one that would not', () => {
    // White and bright yellow under the dark theme's light text; black when asked for more.
    for (const [hex, wanted] of [
      ['#ffffff', 0.42],
      ['#ffff00', 0.42],
      ['#000000', 0.6],
    ] as const) {
      const alpha = alphaOf(fill(hex, wanted));
      expect(alpha).toBeLessThan(wanted);
      expect(Math.min(...textContrasts(rgbOf(hex)!, alpha))).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    }
    expect(readableAlpha(rgbOf('#3a9d5d')!, 0.32)).toBe(0.32);
  });

  it('falls back to yellow for a colour it cannot read', () => {
    expect(fill('not a colour')).toMatch(/^rgba\(255, 220, 0, /);
  });
});
