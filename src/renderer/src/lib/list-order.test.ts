import { describe, expect, it } from 'vitest';
import type { Highlight, Tag } from '../../../shared/types';
import { isListOrder, ordered } from './list-order';

const tag = (id: string): Tag => ({ id, name: id, color: '#000000' });
const codebook = [tag('security'), tag('diplomacy'), tag('drugs')];

function h(id: string, start: number, tags: string[], updated: string): Highlight {
  return {
    id,
    documentId: 'd',
    tags,
    note: '',
    created: '2026-01-01T00:00:00.000Z',
    updated,
    target: {
      position: { type: 'TextPositionSelector', start, end: start + 1 },
      quote: { type: 'TextQuoteSelector', exact: 'x', prefix: '', suffix: '' },
    },
  };
}

// In reading order, as the reader keeps them.
const list = [
  h('a', 0, ['drugs'], '2026-01-03T00:00:00.000Z'),
  h('b', 5, ['diplomacy', 'security'], '2026-01-01T00:00:00.000Z'),
  h('c', 9, ['diplomacy'], '2026-01-03T00:00:00.000Z'),
  h('d', 12, ['unknown'], '2026-01-02T00:00:00.000Z'),
];
const ids = (l: Highlight[]) => l.map((x) => x.id);

describe('the sidebar list order', () => {
  it('by position is reading order, as a copy', () => {
    const out = ordered(list, 'position', codebook);
    expect(ids(out)).toEqual(['a', 'b', 'c', 'd']);
    expect(out).not.toBe(list);
  });

  it('by code groups under the first code in codebook order, each highlight once; unknown codes last', () => {
    expect(ids(ordered(list, 'code', codebook))).toEqual(['b', 'c', 'a', 'd']);
  });

  it('newest first, ties in reading order', () => {
    expect(ids(ordered(list, 'newest', codebook))).toEqual(['a', 'c', 'd', 'b']);
  });

  it('knows its orders and nothing else', () => {
    expect(['position', 'code', 'newest'].every(isListOrder)).toBe(true);
    expect([undefined, 'date', 3, null].some(isListOrder)).toBe(false);
  });
});
