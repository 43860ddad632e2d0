import MarkdownIt from 'markdown-it';
import { parse as parseYaml } from 'yaml';
import { extractHtml } from './html';
import { isoDate, type Extracted, type FoundMeta } from './document';

// Raw HTML inside Markdown stays text (html:false): a .md file cannot smuggle in what an .html
// file would have sanitized away.
const md = new MarkdownIt({ html: false, linkify: false });

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)\r?\n/;

/**
 * YAML front matter (Obsidian, Pandoc, Jekyll), read by a YAML 1.2 parser: quoting (`'O''Neil'`),
 * escapes and multi-line values mean what YAML says. A block that is not valid YAML, or not a
 * mapping, gives no metadata; it is still left out of the text, which is what it never was.
 */
function frontMatter(raw: string): { body: string; meta: FoundMeta } {
  const match = FRONT_MATTER.exec(raw);
  if (!match) return { body: raw, meta: {} };
  const body = raw.slice(match[0].length);
  let data: unknown;
  try {
    // The core schema only (no custom tags, no merge keys); aliases are bounded against bombs.
    data = parseYaml(match[1], { schema: 'core', maxAliasCount: 100, uniqueKeys: false });
  } catch {
    return { body, meta: {} };
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { body, meta: {} };
  const fields = new Map(Object.entries(data as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
  const text = (key: string): string | undefined => {
    const value = fields.get(key);
    const one = Array.isArray(value)
      ? value.filter((v) => typeof v === 'string' || typeof v === 'number').join(', ')
      : value;
    return typeof one === 'string' || typeof one === 'number' ? String(one).trim() || undefined : undefined;
  };
  return {
    body,
    meta: {
      title: text('title'),
      author: text('author'),
      source: text('source') ?? text('publisher'),
      date: isoDate(text('date')),
    },
  };
}

/** Markdown rendered as formatted text: headings, lists and quotes become blocks of those kinds. */
export function extractMarkdown(raw: string): Promise<Extracted> {
  const { body, meta } = frontMatter(raw.replace(/^\uFEFF/, ''));
  return extractHtml(md.render(body), meta);
}
