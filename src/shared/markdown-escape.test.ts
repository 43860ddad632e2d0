import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HtmlRenderer, Parser } from 'commonmark';
import MarkdownIt from 'markdown-it';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { parse as parseYaml } from 'yaml';
import { escapeMarkdownLine, toBlockquote, yamlString } from './markdown-escape';

// A quote must read as exactly its text wherever the Markdown is opened. Three renderers stand
// for the places it goes: commonmark.js (the CommonMark reference), micromark with its GFM
// extension (follows cmark-gfm, GitHub's renderer, to the letter, autolink literals included) and
// markdown-it with linkify (what many editors and static sites use). Obsidian is not available to
// run, so its rules are checked on the Markdown itself.

const markdownIt = new MarkdownIt({ linkify: true });
const commonmark = { parser: new Parser(), renderer: new HtmlRenderer() };
const RENDERERS: Record<string, (md: string) => string> = {
  commonmark: (md) => commonmark.renderer.render(commonmark.parser.parse(md)),
  'gfm (micromark)': (md) => micromark(md, { extensions: [gfm()], htmlExtensions: [gfmHtml()] }),
  'markdown-it + linkify': (md) => markdownIt.render(md),
};

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" };

/** The text a reader sees in the one blockquote of `html`: line breaks kept, markup gone. */
function shownText(html: string): string {
  const quote = /<blockquote>\n?([\s\S]*)<\/blockquote>/.exec(html);
  if (!quote) throw new Error(`no blockquote in ${html}`);
  return quote[1]
    .replace(/<br \/>\n?|<br>\n?/g, '\n')
    .replace(/<\/p>\s*<p>/g, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#?\w+);/g, (all, name: string) =>
      name.startsWith('#x')
        ? String.fromCodePoint(parseInt(name.slice(2), 16))
        : name.startsWith('#')
          ? String.fromCodePoint(Number(name.slice(1)))
          : (ENTITIES[name] ?? all),
    )
    .replace(/\n$/, '');
}

/**
 * Markup a renderer made of the quote: anything but paragraphs and line breaks. A link made of an
 * e-mail address is left to the renderer: it shows the address as written (the text is checked).
 */
function markupIn(html: string): string[] {
  return [...html.matchAll(/<(\w+)([^>]*)>/g)]
    .filter(([, tag, attrs]) => !['blockquote', 'p', 'br'].includes(tag) && !attrs.includes('href="mailto:'))
    .map((m) => m[1]);
}

/** Obsidian's inline syntax still live in Markdown (escaped characters taken out first). */
function obsidianSyntax(md: string): string[] {
  const live = md.replace(/\\[\s\S]/g, '\uE000');
  const found: string[] = [];
  if (/(^|\s)#[^\s#\uE000]/m.test(live)) found.push('#tag');
  if (/==/.test(live)) found.push('==highlight==');
  if (/%%/.test(live)) found.push('%%comment%%');
  if (/\$/.test(live)) found.push('$math$');
  if (/\[\[/.test(live)) found.push('[[link]]');
  if (/\^[\w-]+\s*$/m.test(live)) found.push('^block-id');
  return found;
}

function expectExact(text: string): void {
  const md = toBlockquote(text);
  for (const [name, render] of Object.entries(RENDERERS)) {
    const html = render(md);
    expect(shownText(html), `${name}: ${JSON.stringify(md)}`).toBe(text);
    expect(markupIn(html), `${name}: ${JSON.stringify(md)}`).toEqual([]);
  }
  expect(obsidianSyntax(md), JSON.stringify(md)).toEqual([]);
}

describe('a quote in Markdown reads as exactly its text in CommonMark, GFM and Obsidian', () => {
  it.each([
    'see https://example.org/a_b_c?x=1&y=[2]#frag and www.example.com/path_(x)',
    'percent escapes stay as typed: https://example.org/caf%C3%A9 and example.org/caf%C3%A9',
    'a bare domain example.org and a mail analyst@example.org',
    'ftp://files.example.org/~user/',
    // Found by the property test below: markdown-it linked "//@example.com" and dropped its "@".
    '//@example.com* and //example.org/path',
    '#security is not a tag, nor is x #1 or #',
    '==not highlighted== and a===b',
    '%%not a comment%%',
    'costs $5 and $10, not $math$',
    '[[not a link]] nor ![[an embed]]',
    'not a block id ^abc-123',
    '[^1] is not a footnote',
    '~~not struck~~ nor ~this~',
    '| not | a table |',
    '[ ] not a task',
    '*not emphasis* and _not either_',
    '<b>not html</b> <http://not.a.link>',
  ])('%j', (text) => expectExact(text));

  it('keeps every quote exact whatever its words (property)', () => {
    const unit = fc.constantFrom(
      ...'*_[]<>#`\\!&;-+=.)(|~:/%$^ 1aZé😀'.split(''),
      'https://',
      'www.',
      'http://x.org/',
      '.org',
      '%C3%A9',
      '==',
      '%%',
      '[[',
      ']]',
      '^id',
      '#tag',
      '@example.com',
      '&amp;',
      '1.',
      '- ',
    );
    const line = fc
      .array(unit, { minLength: 1, maxLength: 24 })
      .map((units) => units.join('').trim())
      .filter((s) => s.length > 0);
    const text = fc.array(line, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n\n'));
    fc.assert(fc.property(text, expectExact), { numRuns: 400 });
  });

  it('leaves ordinary prose readable', () => {
    expect(escapeMarkdownLine('On the morning of Aug. 16, a contingent of 20 (twenty) fighters')).toBe(
      'On the morning of Aug. 16, a contingent of 20 (twenty) fighters',
    );
  });
});

describe('YAML front matter strings', () => {
  it.each([
    "O'Neil",
    'a: b # not a comment',
    'line\nbreak',
    'next line\u0085here',
    'separators\u2028and\u2029here',
    'bom\ufeffinside and del\u007f and c1\u0090',
    'tab\tand "quotes" and \\backslash',
    '- not a list',
    'true',
    '123',
    '',
    '😀 and Кабул and مجلس',
  ])('reads back %j exactly (YAML 1.2)', (value) => {
    expect(parseYaml(`title: ${yamlString(value)}\n`)).toEqual({ title: value });
  });

  it('reads back any string exactly (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        // Lone surrogates cannot be written as UTF-8 at all; text reaching here never has them.
        fc.pre(!/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value));
        expect(parseYaml(`title: ${yamlString(value)}\n`)).toEqual({ title: value });
      }),
      { numRuns: 500 },
    );
  });
});
