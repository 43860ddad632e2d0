import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { alphaFromMatrix, codedBy, cohensKappa, twoCoderAgreement, type Ranges } from './agreement';

describe('Cohen’s κ', () => {
  it('gives NVivo’s worked example: 1,000 characters, 50 both, 100 A only, 50 B only, 800 neither → 0.318', () => {
    expect(cohensKappa({ both: 50, firstOnly: 100, secondOnly: 50, neither: 800 })).toBeCloseTo(0.318, 3);
  });

  it('gives the same from highlights laid out that way', () => {
    // A codes 0–150, B codes 100–250 of a 1,000-character text.
    const result = twoCoderAgreement([
      { length: 1000, first: [{ start: 0, end: 150 }], second: [{ start: 100, end: 250 }] },
    ]);
    expect(result.table).toEqual({ both: 50, firstOnly: 100, secondOnly: 100, neither: 750 });
    const nvivo = twoCoderAgreement([
      { length: 1000, first: [{ start: 0, end: 150 }], second: [{ start: 100, end: 200 }] },
    ]);
    expect(nvivo.table).toEqual({ both: 50, firstOnly: 100, secondOnly: 50, neither: 800 });
    expect(nvivo.kappa).toBeCloseTo(0.318, 3);
    expect(nvivo.percent).toBeCloseTo(0.85, 10);
    expect(nvivo.jaccard).toBeCloseTo(50 / 200, 10);
  });

  it('is 1 for identical coding (overlapping highlights of one coder count once), and symmetric', () => {
    const a: Ranges = [
      { start: 5, end: 40 },
      { start: 30, end: 60 },
      { start: 90, end: 95 },
    ];
    const b: Ranges = [
      { start: 5, end: 60 },
      { start: 90, end: 95 },
    ];
    expect(twoCoderAgreement([{ length: 100, first: a, second: b }]).kappa).toBe(1);
    const ranges = fc.array(
      fc.tuple(fc.nat(200), fc.nat(50)).map(([s, l]) => ({ start: s, end: s + l })),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(ranges, ranges, (x, y) => {
        const xy = twoCoderAgreement([{ length: 250, first: x, second: y }]);
        const yx = twoCoderAgreement([{ length: 250, first: y, second: x }]);
        expect(xy.kappa).toBe(yx.kappa);
        expect(xy.alpha).toBe(yx.alpha);
        expect(twoCoderAgreement([{ length: 250, first: x, second: x }]).percent).toBe(1);
      }),
    );
  });

  it('is near 0 for independent random coding', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const coder = () =>
      Array.from({ length: 20_000 }, (_, i) => ({ start: i, end: i + 1 })).filter(() => random() < 0.3);
    const r = twoCoderAgreement([{ length: 20_000, first: coder(), second: coder() }]);
    expect(Math.abs(r.kappa as number)).toBeLessThan(0.03);
    expect(Math.abs(r.alpha as number)).toBeLessThan(0.03);
  });
});

describe('Krippendorff’s α (nominal)', () => {
  // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", §A: binary data, two observers.
  it('gives the paper’s binary example: α = 0.095', () => {
    const a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
    const b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
    expect(alphaFromMatrix([a, b])).toBeCloseTo(0.095, 3);
    // The same from characters: the ten units as ten characters.
    const ranges = (values: number[]) => values.flatMap((v, i) => (v ? [{ start: i, end: i + 1 }] : []));
    expect(twoCoderAgreement([{ length: 10, first: ranges(a), second: ranges(b) }]).alpha).toBeCloseTo(0.095, 3);
  });

  // §C of the same paper: nominal data, four observers, twelve units, missing values.
  it('gives the paper’s nominal example with missing data: α = 0.743', () => {
    const _ = null;
    expect(
      alphaFromMatrix([
        [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
        [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
      ]),
    ).toBeCloseTo(0.743, 3);
  });

  it('is 1 for identical coding by any number of coders, and undefined when nothing varies', () => {
    const same: Ranges = [{ start: 10, end: 20 }];
    expect(codedBy([{ length: 50, byCoder: [same, same, same] }])).toEqual([40, 0, 0, 10]);
    expect(
      alphaFromMatrix([
        [1, 0, 1],
        [1, 0, 1],
        [1, 0, 1],
      ]),
    ).toBe(1);
    expect(
      alphaFromMatrix([
        [1, 1],
        [1, 1],
      ]),
    ).toBeNull();
  });
});
