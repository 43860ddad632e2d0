import { describe, expect, it } from 'vitest';
import { describeRange } from './anchoring';
import { disagreementsIn } from './disagreements';
import type { Highlight } from './types';

const TEXT = 'Alpha beta gamma delta. Epsilon zeta eta theta. Iota kappa lambda mu.';

function h(id: string, coder: string, quote: string, tags: string[]): Highlight {
  const start = TEXT.indexOf(quote);
  return {
    id,
    documentId: 'd',
    tags,
    note: '',
    coder,
    created: '2026-01-01T00:00:00.000Z',
    updated: '2026-01-01T00:00:00.000Z',
    target: describeRange(TEXT, start, start + quote.length),
  };
}

describe('disagreementsIn', () => {
  it('finds nothing where the coders made the same highlights with the same codes', () => {
    const hs = [h('1', 'A', 'beta gamma', ['x']), h('2', 'B', 'beta gamma', ['x'])];
    expect(disagreementsIn('d', hs, ['A', 'B'])).toEqual([]);
  });

  it('groups overlapping highlights into one passage and reports other words, other codes and a missing coder', () => {
    const hs = [
      h('1', 'A', 'beta gamma', ['x']),
      h('2', 'B', 'gamma delta', ['x']),
      h('3', 'A', 'zeta eta', ['x']),
      h('4', 'B', 'zeta eta', ['y']),
      h('5', 'A', 'kappa', ['x']),
      h('6', 'C', 'kappa', ['x']),
    ];
    const found = disagreementsIn('d', hs, ['A', 'B']);
    expect(found.map((p) => TEXT.slice(p.start, p.end))).toEqual(['beta gamma delta', 'zeta eta', 'kappa']);
    expect(found[2].versions.map((v) => v.highlights.length)).toEqual([1, 0]);
    // Only code y: A made nothing with it there, B did.
    expect(disagreementsIn('d', hs, ['A', 'B'], ['y']).map((p) => TEXT.slice(p.start, p.end))).toEqual(['zeta eta']);
    // With the third coder in the comparison, "kappa" is A and C agreeing and B silent: still a difference.
    expect(disagreementsIn('d', hs, ['A', 'C']).map((p) => TEXT.slice(p.start, p.end))).toEqual([
      'beta gamma',
      'zeta eta',
    ]);
  });

  it('ignores orphans and coders not compared, and lists consensus already adopted in a passage', () => {
    const hs = [
      { ...h('1', 'A', 'beta gamma', ['x']), orphan: true },
      h('2', 'B', 'beta gamma', ['x']),
      h('3', 'Z', 'beta', ['x']),
      h('4', 'Consensus', 'beta gamma', ['x']),
    ];
    const [p] = disagreementsIn('d', hs, ['A', 'B']);
    expect(p.versions.map((v) => v.highlights.length)).toEqual([0, 1]);
    expect(p.consensus.map((c) => c.quote)).toEqual(['beta gamma']);
  });
});
