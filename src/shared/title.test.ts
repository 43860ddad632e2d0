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

  it('falls back to the given name when the text has no recurring names', () => {
    expect(deriveTitle('just some lower case words here.', 'notes-2024').title).toBe('notes-2024');
  });
});
