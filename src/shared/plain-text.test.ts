import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SEED_FILE } from '../test-support/temp-library';
import { paragraphRef, parsePlainText, PARAGRAPH_SEPARATOR } from './plain-text';

const raw = readFileSync(SEED_FILE, 'utf8');

describe('parsePlainText on the seed article', () => {
  const parsed = parsePlainText(raw);

  it('finds 39 paragraphs numbered from 1', () => {
    expect(parsed.paragraphs).toHaveLength(39);
    expect(parsed.paragraphs.map((p) => p.n)).toEqual(Array.from({ length: 39 }, (_, i) => i + 1));
  });

  it('takes the date and dateline out of the first paragraph as metadata', () => {
    expect(parsed.date).toBe('2021-10-26');
    expect(parsed.dateline).toBe('MOSCOW');
    const first = parsed.paragraphs[0];
    expect(parsed.text.slice(first.start, first.end)).toMatch(/^On the morning of Aug\. 16, a contingent/);
    expect(parsed.text).not.toContain('date 2021');
  });

  it('marks exactly the three © Reuters paragraphs as captions', () => {
    const captions = parsed.paragraphs.filter((p) => p.kind === 'caption');
    expect(captions).toHaveLength(3);
    for (const c of captions) expect(parsed.text.slice(c.start, c.end)).toMatch(/© Reuters$/);
  });

  it('keeps every other paragraph exactly as the file has it', () => {
    const fileParagraphs = raw.split('\n\n');
    expect(fileParagraphs).toHaveLength(39);
    parsed.paragraphs.slice(1).forEach((p, i) => {
      expect(parsed.text.slice(p.start, p.end)).toBe(fileParagraphs[i + 1]);
    });
    expect(fileParagraphs[0].endsWith(parsed.text.slice(0, parsed.paragraphs[0].end))).toBe(true);
  });

  it('joins paragraphs with the separator, so offsets are offsets into the text', () => {
    for (let i = 1; i < parsed.paragraphs.length; i++) {
      const gap = parsed.text.slice(parsed.paragraphs[i - 1].end, parsed.paragraphs[i].start);
      expect(gap).toBe(PARAGRAPH_SEPARATOR);
    }
    expect(parsed.paragraphs.at(-1)?.end).toBe(parsed.text.length);
  });
});

describe('parsePlainText on other text', () => {
  it('reads any line-ending style the same way', () => {
    const lf = parsePlainText('One line\nwrapped.\n\nTwo.');
    expect(parsePlainText('One line\r\nwrapped.\r\n\r\nTwo.')).toEqual(lf);
    expect(parsePlainText('One line\rwrapped.\r\rTwo.')).toEqual(lf);
    expect(lf.text).toBe('One line wrapped.\n\nTwo.');
  });

  it('ignores a byte-order mark, extra blank lines and blank-looking lines', () => {
    const parsed = parsePlainText('\uFEFF\n\nA.\n   \n\n\nB.\n\n');
    expect(parsed.text).toBe('A.\n\nB.');
    expect(parsed.paragraphs).toHaveLength(2);
  });

  it('does not take an impossible date as metadata', () => {
    const parsed = parsePlainText(' date 2021-02-30 Text.');
    expect(parsed.date).toBeUndefined();
    expect(parsed.text).toBe('date 2021-02-30 Text.');
  });

  it('has no dateline when the text has none', () => {
    expect(parsePlainText('date 2020-01-01 Hello -- world.').dateline).toBeUndefined();
  });

  it('gives empty text no paragraphs', () => {
    expect(parsePlainText('  \n\n ')).toEqual({ text: '', paragraphs: [], date: undefined, dateline: undefined });
  });
});

describe('paragraphRef', () => {
  const { paragraphs } = parsePlainText('Aaa.\n\nBbb.\n\nCcc.');
  it('names one paragraph or a span of them', () => {
    expect(paragraphRef(paragraphs, 0, 2)).toBe('¶ 1');
    expect(paragraphRef(paragraphs, 7, 14)).toBe('¶ 2–3');
    expect(paragraphRef(paragraphs, 4, 6)).toBe('¶ ?');
  });

  it('agrees with a scan over every paragraph (property)', () => {
    const slow = (s: number, e: number) => {
      const touched = paragraphs.filter((p) => p.start < e && p.end > s);
      if (touched.length === 0) return '¶ ?';
      const a = touched[0].n;
      const b = touched[touched.length - 1].n;
      return a === b ? `¶ ${a}` : `¶ ${a}–${b}`;
    };
    fc.assert(
      fc.property(fc.nat(16), fc.integer({ min: 1, max: 16 }), (s, len) => {
        expect(paragraphRef(paragraphs, s, s + len)).toBe(slow(s, s + len));
      }),
    );
  });
});

describe('paragraphsAsIs', () => {
  it('finds the same paragraphs as parsePlainText on normalized text, without changing it', async () => {
    const { paragraphsAsIs } = await import('./plain-text');
    const parsed = parsePlainText('One line.\n\nTwo © Reuters\n\n\nThree.');
    expect(paragraphsAsIs(parsed.text)).toEqual(parsed.paragraphs);
    const raw = '  First\r\nstill first.\r\n\r\nSecond.  ';
    expect(paragraphsAsIs(raw).map((p) => raw.slice(p.start, p.end))).toEqual(['First\r\nstill first.', 'Second.']);
  });
});

describe('metadata lines in any layout and script', () => {
  it('reads a date line followed by a blank line as the date, not as ¶ 1', () => {
    const parsed = parsePlainText('date 2021-10-26\n\nMOSCOW -- The talks began.\n\nMore.');
    expect(parsed.date).toBe('2021-10-26');
    expect(parsed.dateline).toBe('MOSCOW');
    expect(parsed.paragraphs).toHaveLength(2);
    expect(parsed.text.startsWith('The talks began.')).toBe(true);
  });

  it('recognises Cyrillic and Greek datelines with a dash, and leaves "I —" alone', () => {
    expect(parsePlainText('МОСКВА — Переговоры начались.').dateline).toBe('МОСКВА');
    expect(parsePlainText('ΑΘΗΝΑ – Οι συνομιλίες.').dateline).toBe('ΑΘΗΝΑ');
    expect(parsePlainText('I — for one — disagree.').dateline).toBeUndefined();
  });
});
