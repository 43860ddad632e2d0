import { describe, expect, it } from 'vitest';
import { renderMarkdownFile, renderNote } from './note-markdown';

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

describe('renderMarkdownFile', () => {
  it('keeps the front matter apart and renders the rest as a viewer would (no hard breaks)', async () => {
    const out = await renderMarkdownFile('---\ntitle: "A: b"\n---\n\n# T\n\n> quote\nsame line\n');
    expect(out.frontMatter).toBe('title: "A: b"');
    expect(out.html).toBe('<h1>T</h1>\n<blockquote>\n<p>quote\nsame line</p>\n</blockquote>\n');
  });

  it('has no front matter when the file does not start with one, and is just as safe', async () => {
    const out = await renderMarkdownFile('# T\n\n---\nnot: yaml\n---\n<script>x</script>');
    expect(out.frontMatter).toBe('');
    expect(out.html).not.toContain('<script');
  });
});
