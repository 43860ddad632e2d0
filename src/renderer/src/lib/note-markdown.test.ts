import { describe, expect, it } from 'vitest';
import { renderNote } from './note-markdown';

describe('renderNote', () => {
  it('renders Markdown', async () => {
    expect(await renderNote('**key** claim\n- one')).toBe(
      '<p><strong>key</strong> claim</p>\n<ul>\n<li>one</li>\n</ul>\n',
    );
  });

  it('never lets HTML or script URLs through', async () => {
    const html = await renderNote('<img src=x onerror=alert(1)> [x](javascript:alert(1)) <script>alert(1)</script>');
    expect(html).not.toMatch(/<img|<script|href="javascript/);
    expect(html).toContain('&lt;img');
  });

  it('opens links outside the app', async () => {
    expect(await renderNote('[site](https://example.org)')).toContain(
      '<a href="https://example.org" target="_blank" rel="noopener noreferrer">',
    );
  });
});
