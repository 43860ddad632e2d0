import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEED_FILE } from '../test-support/temp-library';
import { parsePlainText } from './plain-text';
import { deriveTitle } from './title';

describe('deriveTitle', () => {
  it('names the seed article after the names it mentions most, and says so', () => {
    const { text } = parsePlainText(readFileSync(SEED_FILE, 'utf8'));
    const { title, note } = deriveTitle(text, 'fallback');
    expect(title).toBe('The Taliban, Russia and Afghanistan');
    expect(note).toMatch(/not the publisher's/);
    for (const word of ['Taliban', 'Russia', 'Afghanistan']) expect(text).toContain(word);
  });

  it('takes the first sentence when no names recur, and the given name only when there is no text', () => {
    expect(deriveTitle('just some lower case words here. And more.', 'notes-2024').title).toBe(
      'just some lower case words here.',
    );
    expect(deriveTitle('   ', 'notes-2024').title).toBe('notes-2024');
  });
});

describe('titles in any script', () => {
  it('takes the first heading when the text has one', () => {
    expect(deriveTitle('Body text.', 'file', 'Border talks resume').title).toBe('Border talks resume');
  });

  it('names a Russian text after its recurring names, Cyrillic capitals included', () => {
    const text = 'Москва и Кабул обсудили торговлю. Москва предложила помощь, Кабул согласился. Москва ждёт.';
    expect(deriveTitle(text, 'file').title).toBe('Москва and Кабул');
  });

  it('takes the first sentence of an Arabic text (no capitals to find names by), and of a text with one name', () => {
    const arabic = 'مجلس الأمن يناقش الوضع في أفغانستان. وقال المندوب إن الوضع خطير.';
    expect(deriveTitle(arabic, 'file')).toMatchObject({ title: 'مجلس الأمن يناقش الوضع في أفغانستان.' });
    expect(deriveTitle(arabic, 'file').note).toMatch(/first sentence/);
    const council = 'The Council met today. The Council agreed on sanctions. The Council will meet again.';
    expect(deriveTitle(council, 'file').title).toBe('The Council met today.');
  });

  it('cuts a long first sentence at a word', () => {
    const long = `${'word '.repeat(40)}end.`;
    const { title } = deriveTitle(long, 'file');
    expect(title.length).toBeLessThanOrEqual(92);
    expect(title.endsWith('…')).toBe(true);
  });
});
