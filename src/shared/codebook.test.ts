import { describe, expect, it } from 'vitest';
import {
  CLOSE_COLOURS,
  PALETTE,
  colourDistance,
  idForName,
  nextColour,
  similarColours,
  someNames,
  treeRows,
  wouldCycle,
} from './codebook';
import type { Codebook } from './types';

describe('the codebook as a tree', () => {
  const codebook: Codebook = {
    tags: [
      { id: 'b', name: 'B', color: '#000000', parent: 'a' },
      { id: 'a', name: 'A', color: '#000000' },
      { id: 'c', name: 'C', color: '#000000', parent: 'b' },
      { id: 'd', name: 'D', color: '#000000', parent: 'gone' },
    ],
  };

  it('lists parents before their children, with depth and path; a lost parent puts a code at the top', () => {
    expect(treeRows(codebook).map((r) => [r.tag.id, r.depth, r.path.join(' / ')])).toEqual([
      ['a', 0, 'A'],
      ['b', 1, 'A / B'],
      ['c', 2, 'A / B / C'],
      ['d', 0, 'D'],
    ]);
  });

  it('sees a cycle before it is made, and still lists codes of a cycle written by hand', () => {
    expect(wouldCycle(codebook, 'a', 'c')).toBe(true);
    expect(wouldCycle(codebook, 'c', 'a')).toBe(false);
    const looped: Codebook = {
      tags: [
        { id: 'x', name: 'X', color: '#000000', parent: 'y' },
        { id: 'y', name: 'Y', color: '#000000', parent: 'x' },
      ],
    };
    expect(
      treeRows(looped)
        .map((r) => r.tag.id)
        .sort(),
    ).toEqual(['x', 'y']);
  });

  it('sums up a long codebook in an error message', () => {
    expect(someNames(['a', 'b'])).toBe('a, b');
    expect(someNames(Array.from({ length: 500 }, (_, i) => `c${i}`))).toBe(
      'c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11 and 488 more',
    );
  });

  it('makes ids from names in any script, unique', () => {
    expect(idForName('Zoll & Grenze', new Set(), () => 'r')).toBe('zoll-grenze');
    expect(idForName('Sécurité', new Set(), () => 'r')).toBe('securite');
    expect(idForName('Безопасность', new Set(), () => 'r')).toBe('code');
    expect(idForName('security', new Set(['security']), () => 'r1')).toBe('security-r1');
  });
});

describe('colours', () => {
  it('keeps every palette colour apart from every other', () => {
    for (const a of PALETTE)
      for (const b of PALETTE) if (a !== b) expect(colourDistance(a, b)).toBeGreaterThanOrEqual(CLOSE_COLOURS);
  });

  it('warns about a colour close to a code’s, and picks a free one for a new code', () => {
    const codebook: Codebook = { tags: [{ id: 'r', name: 'Red', color: '#e0524a' }] };
    expect(similarColours(codebook, '#e2544c').map((t) => t.id)).toEqual(['r']);
    expect(similarColours(codebook, '#3f7fd0')).toEqual([]);
    expect(nextColour(codebook)).not.toBe('#e0524a');
  });
});
