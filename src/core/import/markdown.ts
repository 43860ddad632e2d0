import MarkdownIt from 'markdown-it';
import { extractHtml } from './html';
import { isoDate, type Extracted, type FoundMeta } from './document';

// Raw HTML inside Markdown stays text (html:false): a .md file cannot smuggle in what an .html
// file would have sanitized away.
const md = new MarkdownIt({ html: false, linkify: false });

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)\r?\n/;

/** The simple `key: value` lines of YAML front matter (Obsidian, Pandoc, Jekyll), which is all notes use. */
function frontMatter(raw: string): { body: string; meta: FoundMeta } {
  const match = FRONT_MATTER.exec(raw);
  if (!match) return { body: raw, meta: {} };
  const fields = new Map<string, string>();
  for (const line of match[1].split(/\r?\n/)) {
    const kv = /^([A-Za-z_-]+):\s*(.*)$/.exec(line);
    if (kv) fields.set(kv[1].toLowerCase(), kv[2].trim().replace(/^(["'])(.*)\1$/, '$2'));
  }
  return {
    body: raw.slice(match[0].length),
    meta: {
      title: fields.get('title') || undefined,
      author: fields.get('author') || undefined,
      source: fields.get('source') || fields.get('publisher') || undefined,
      date: isoDate(fields.get('date')),
    },
  };
}

/** Markdown rendered as formatted text: headings, lists and quotes become blocks of those kinds. */
export function extractMarkdown(raw: string): Promise<Extracted> {
  const { body, meta } = frontMatter(raw.replace(/^\uFEFF/, ''));
  return extractHtml(md.render(body), meta);
}
