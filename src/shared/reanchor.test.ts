import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeRange } from './anchoring';
import { reanchor } from './reanchor';

const text =
  'Russian analysts told Nikkei Asia that Moscow is putting the Taliban on "probation" to see whether it can keep promises to combat drug traffickers and more radical extremist groups.';

function targetOf(t: string, exact: string) {
  const start = t.indexOf(exact);
  return describeRange(t, start, start + exact.length);
}

describe('reanchor', () => {
  it('finds an unchanged passage after text was inserted before it', () => {
    const target = targetOf(text, 'combat drug traffickers');
    const edited = `Breaking: ${text}`;
    expect(reanchor(edited, target)).toEqual({
      start: edited.indexOf('combat drug traffickers'),
      end: edited.indexOf('combat drug traffickers') + 23,
      approximate: false,
    });
  });

  it('finds a passage after text before it was deleted', () => {
    const target = targetOf(text, 'radical extremist groups');
    const edited = text.replace('Russian analysts told Nikkei Asia that ', '');
    const found = reanchor(edited, target);
    expect(found && edited.slice(found.start, found.end)).toBe('radical extremist groups');
  });

  it('follows a passage that moved to another place', () => {
    const target = targetOf(text, 'keep promises');
    const moved = `It must keep promises. ${text.replace('keep promises', 'honour pledges')}`;
    const found = reanchor(moved, target);
    expect(found && moved.slice(found.start, found.end)).toBe('keep promises');
  });

  it('finds a passage whose own text had a typo fixed, approximately', () => {
    const typo = text.replace('traffickers', 'trafickers');
    const target = targetOf(typo, 'combat drug trafickers and more');
    const found = reanchor(text, target);
    expect(found).toMatchObject({ approximate: true });
    expect(found && text.slice(found.start, found.end)).toBe('combat drug traffickers and more');
  });

  it('makes an orphan of a passage that is gone', () => {
    const target = targetOf(text, 'on "probation" to see');
    expect(reanchor(text.replace('on "probation" to see whether', 'and'), target)).toBeNull();
  });

  it('does not guess for short quotes that vanished', () => {
    const target = targetOf(text, 'Asia');
    expect(reanchor(text.replace('Asia', 'Aisa'), target)).toBeNull();
  });

  it('uses the hint when the passage is exactly there', () => {
    const t = 'abc abc abc';
    const target = describeRange(t, 8, 11);
    expect(reanchor(`xx${t}`, target, 10)).toEqual({ start: 10, end: 13, approximate: false });
  });

  it('never cuts a character outside the BMP in half', () => {
    const t = 'The word 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 is written in Fraktur letters here.';
    const target = targetOf(t, '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 is written');
    const edited = t.replace('𝔘', '𝔙');
    const found = reanchor(edited, target);
    expect(found).not.toBeNull();
    const slice = edited.slice(found?.start, found?.end);
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    expect(slice).not.toMatch(loneSurrogate);
    expect(slice).toContain('𝔙𝔫𝔦𝔠𝔬𝔡𝔢');
  });

  it('keeps every passage exactly when text is inserted or deleted elsewhere (property)', () => {
    const words = fc.array(fc.constantFrom('alpha', 'beta', 'gamma', 'дельта', 'امنیت', '塔利班', '🤝🏽', 'x'), {
      minLength: 6,
      maxLength: 40,
    });
    fc.assert(
      fc.property(words, fc.nat(), fc.nat(), fc.string({ maxLength: 20 }), (ws, a, b, insert) => {
        const t = ws.join(' ');
        const i = a % (ws.length - 2);
        const start = ws.slice(0, i).join(' ').length + (i > 0 ? 1 : 0);
        const end = start + ws.slice(i, i + 2).join(' ').length;
        const target = describeRange(t, start, end);
        // Insert somewhere outside the highlighted passage.
        const at = b % (t.length + 1);
        const where = at <= start ? at : Math.max(at, end);
        const edited = t.slice(0, where) + insert + t.slice(where);
        const shift = where <= start ? insert.length : 0;
        const found = reanchor(edited, target, start + shift);
        expect(found).toEqual({ start: start + shift, end: end + shift, approximate: false });
      }),
    );
  });
});
