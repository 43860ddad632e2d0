import { describe, expect, it } from 'vitest';
import { CLOSE_COLOURS, colourDistance } from '../../../shared/codebook';
import { asDeuteranope } from './contrast';
import { CUE_STYLES } from './paint';

// The default codebook's colours, in its order (src/core/store/library-store.ts).
const DEFAULT = [
  ['security', '#e0524a'],
  ['diplomacy', '#3f7fd0'],
  ['drugs', '#3a9d5d'],
] as const;

describe('codes under red–green colour blindness (simulated deuteranopia)', () => {
  it('simulates: grey stays grey, red and green converge', () => {
    expect(asDeuteranope('#808080')).toBe('#808080');
    expect(colourDistance(asDeuteranope('#e0524a'), asDeuteranope('#3a9d5d'))).toBeLessThan(
      colourDistance('#e0524a', '#3a9d5d') / 2,
    );
  });

  it('the default codes that look alike to a deuteranope differ by their underline style', () => {
    const alike: string[] = [];
    DEFAULT.forEach(([a, ca], i) =>
      DEFAULT.slice(i + 1).forEach(([b, cb], k) => {
        if (colourDistance(asDeuteranope(ca), asDeuteranope(cb)) >= CLOSE_COLOURS) return;
        alike.push(`${a}/${b}`);
        expect(CUE_STYLES[i]).not.toBe(CUE_STYLES[i + 1 + k]);
      }),
    );
    // security (red) and drugs (green) are the pair colour alone would fail.
    expect(alike).toContain('security/drugs');
  });
});
