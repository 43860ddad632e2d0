import { describe, expect, it } from 'vitest';
import type { Highlight } from '../../../shared/types';
import { CoderFilter, coderHue, codersIn } from './coder-filter.svelte';

const h = (id: string, coder?: string) => ({ id, ...(coder ? { coder } : {}) }) as Highlight;
const all = [h('1', 'Ana'), h('2', 'Ben'), h('3'), h('4', 'Cleo'), h('5', 'Ana')];

describe('CoderFilter', () => {
  it('shows everyone, only mine, or chosen coders', () => {
    const f = new CoderFilter();
    expect(all.filter((x) => f.accepts(x)).map((x) => x.id)).toEqual(['1', '2', '3', '4', '5']);
    f.mode = 'mine';
    expect(all.filter((x) => f.accepts(x)).map((x) => x.id)).toEqual(['3']);
    f.me = 'Ana';
    expect(all.filter((x) => f.accepts(x)).map((x) => x.id)).toEqual(['1', '5']);
    f.toggle('Ben', true);
    f.toggle('Cleo', true);
    expect(f.mode).toBe('chosen');
    expect(all.filter((x) => f.accepts(x)).map((x) => x.id)).toEqual(['2', '4']);
    f.toggle('Ben', false);
    expect(all.filter((x) => f.accepts(x)).map((x) => x.id)).toEqual(['4']);
  });

  it('lists the coders present and gives each a stable hue of its own', () => {
    expect(codersIn(all)).toEqual(['Ana', 'Ben', 'Cleo']);
    const among = ['Ana', 'Ben', 'Cleo', 'Consensus', 'Dmitri'];
    const hues = among.map((n) => coderHue(n, among));
    // Any two at least 30° apart round the circle.
    for (const a of hues)
      for (const b of hues)
        if (a !== b) expect(Math.min(Math.abs(a - b), 360 - Math.abs(a - b))).toBeGreaterThanOrEqual(30);
    expect(coderHue('Ana', among)).toBe(coderHue('Ana', [...among]));
    for (const name of ['أحمد', '🦊']) expect(coderHue(name)).toBeGreaterThanOrEqual(0);
  });
});
