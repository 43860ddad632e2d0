import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { unitizedAlpha } from './unitized-alpha';

// Krippendorff (1995), p. 57: four pairs of observers unitizing a continuum of 24, in the notation
// [start, length]. The paper's figures (and DKPro Statistics' reading of them) are the vectors.
const EXAMPLE: Record<string, [number, number][][]> = {
  A: [
    [
      [2, 8],
      [14, 6],
    ],
    [
      [4, 4],
      [15, 2],
    ],
  ],
  B: [
    [[0, 18]],
    [
      [0, 2],
      [2, 1],
      [3, 1],
      [4, 1],
      [5, 1],
      [6, 3],
      [9, 1],
    ],
  ],
  C: [
    [
      [2, 6],
      [10, 2],
      [14, 4],
      [20, 2],
    ],
    [
      [0, 2],
      [4, 4],
      [10, 4],
      [16, 2],
      [20, 2],
    ],
  ],
  D: [
    [
      [0, 2],
      [2, 8],
      [10, 4],
      [14, 6],
      [20, 4],
    ],
    [
      [0, 4],
      [4, 4],
      [8, 7],
      [15, 2],
      [17, 7],
    ],
  ],
};

function study(name: string, stretch: number) {
  return [
    {
      length: 24 * stretch,
      byCoder: EXAMPLE[name].map((coder) =>
        coder.map(([start, length]) => ({ start: start * stretch, end: (start + length) * stretch })),
      ),
    },
  ];
}

describe("Krippendorff's αᵤ", () => {
  it('gives the observed disagreement of Krippendorff’s 1995 example exactly', () => {
    const observed = (name: string) => unitizedAlpha(study(name, 1)).observed;
    // The paper gives five decimals, cut (not rounded).
    expect(Math.abs(observed('A') - 0.03125)).toBeLessThan(1e-5);
    expect(Math.abs(observed('B') - 2.26736)).toBeLessThan(1e-5);
    expect(Math.abs(observed('C') - 0.02777)).toBeLessThan(1e-5);
    expect(Math.abs(observed('D') - 0.38715)).toBeLessThan(1e-5);
  });

  it('gives the example’s α for a fine continuum (expected disagreement as in Krippendorff 2004)', () => {
    // Stretched 50,000 times, as the paper's continuum is (nearly) continuous.
    const a = unitizedAlpha(study('A', 50_000));
    expect(a.expected).toBeCloseTo(0.0699, 2);
    // α as the paper gives it, to its two decimals.
    for (const [name, alpha] of [
      ['A', 0.553],
      ['B', -0.926],
      ['C', 0.679],
      ['D', 0.066],
    ] as const) {
      expect(Math.abs((unitizedAlpha(study(name, 50_000)).alpha ?? NaN) - alpha), name).toBeLessThan(0.02);
    }
  });

  it('is 1 for identical unitizing, null with nothing to agree on, and low for unrelated units', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 900 }), fc.integer({ min: 1, max: 90 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (units) => {
          const ranges = units.map(([start, length]) => ({ start, end: start + length }));
          const r = unitizedAlpha([{ length: 1000, byCoder: [ranges, ranges, ranges] }]);
          expect(r.observed).toBe(0);
          expect(r.alpha).toBeCloseTo(1, 10);
        },
      ),
    );
    expect(unitizedAlpha([{ length: 100, byCoder: [[], []] }]).alpha).toBeNull();
    expect(unitizedAlpha([{ length: 100, byCoder: [[{ start: 0, end: 10 }]] }]).alpha).toBeNull();
    const apart = unitizedAlpha([{ length: 1000, byCoder: [[{ start: 0, end: 100 }], [{ start: 500, end: 600 }]] }]);
    expect(apart.alpha).toBeLessThan(0);
  });

  it('lays documents end to end and takes a coder’s overlapping ranges together', () => {
    const one = unitizedAlpha([
      { length: 50, byCoder: [[{ start: 5, end: 20 }], [{ start: 6, end: 20 }]] },
      { length: 50, byCoder: [[{ start: 0, end: 10 }], [{ start: 0, end: 10 }]] },
    ]);
    const joined = unitizedAlpha([
      {
        length: 100,
        byCoder: [
          [
            { start: 5, end: 12 },
            { start: 10, end: 20 },
            { start: 50, end: 60 },
          ],
          [
            { start: 6, end: 20 },
            { start: 50, end: 60 },
          ],
        ],
      },
    ]);
    expect(one.observed).toBeCloseTo(joined.observed, 12);
    expect(one.alpha).toBeCloseTo(joined.alpha as number, 12);
  });
});
