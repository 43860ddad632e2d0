import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeRange } from '../shared/anchoring';
import { MAX_NOTE_CHARS, MAX_TEXT_CHARS } from '../shared/limits';
import { highlightProblem, plainlyValid, storedHighlightSchema } from './stored-schema';

const text = 'Envoys met at the border to talk about the opium trade.';
const good = {
  id: 'h-1',
  documentId: 'doc',
  tags: ['security', 'drugs'],
  note: 'A note',
  created: '2026-01-02T03:04:05.678Z',
  updated: '2026-01-02T03:04:05.678Z',
  target: describeRange(text, 0, 10),
};

/** A highlight with one field (maybe nested) replaced by something else. */
const mutated = fc
  .record({
    path: fc.constantFrom(
      ['id'],
      ['documentId'],
      ['tags'],
      ['note'],
      ['created'],
      ['updated'],
      ['orphan'],
      ['coder'],
      ['approximate'],
      ['target'],
      ['target', 'position'],
      ['target', 'position', 'type'],
      ['target', 'position', 'start'],
      ['target', 'position', 'end'],
      ['target', 'quote'],
      ['target', 'quote', 'type'],
      ['target', 'quote', 'exact'],
      ['target', 'quote', 'prefix'],
      ['extra'],
    ),
    value: fc.oneof(
      fc.anything(),
      fc.constantFrom('', 'x y', 'h_2', '2026-13-45', '2026-01-02', 'not a date', -1, 1.5, MAX_TEXT_CHARS + 1, 3, NaN),
      fc.constantFrom([], ['a'], ['a', 'b c'], Array(30).fill('t'), 'y'.repeat(MAX_NOTE_CHARS + 1)),
      fc.constantFrom('TextPositionSelector', 'TextQuoteSelector', true, null, undefined, {}),
      fc.constantFrom('Ana', ' Ana', 'Ana ', 'c'.repeat(100), 'c'.repeat(101), { was: 'x' }, { was: 1 }),
    ),
  })
  .map(({ path, value }) => {
    const copy = structuredClone(good) as Record<string, unknown>;
    let at = copy;
    for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
    at[path[path.length - 1]] = value;
    return copy;
  });

describe('the fast check of stored highlights', () => {
  it('takes the shape Glossa writes (so loading skips zod for it)', () => {
    expect(plainlyValid(good)).toBe(true);
    expect(plainlyValid({ ...good, orphan: true, updated: '2026-02-01T00:00:00.000Z', extra: 1 })).toBe(true);
    expect(plainlyValid({ ...good, coder: 'Ana' })).toBe(true);
  });

  it('never accepts what the schema refuses (property)', () => {
    fc.assert(
      fc.property(fc.oneof(mutated, fc.anything()), (value) => {
        if (plainlyValid(value)) expect(storedHighlightSchema.safeParse(value).success).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves the refusal and its reason to the schema', () => {
    expect(highlightProblem({ ...good, created: 'yesterday' }, 'doc', text)).toMatch(/created/);
    expect(highlightProblem({ ...good, tags: [] }, 'doc', text)).toMatch(/tags/);
    expect(highlightProblem(good, 'doc', text)).toBeNull();
    expect(highlightProblem(good, 'other', text)).toMatch(/documentId/);
  });
});
