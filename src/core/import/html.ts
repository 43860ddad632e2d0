import { GlossaError } from '../../shared/errors';
import type { Block } from '../../shared/blocks';
import type { ParagraphKind } from '../../shared/types';
import { extractedFromBlocks, isoDate, type Extracted, type FoundMeta } from './document';

// Imported HTML is never shown as HTML: it is sanitized, then reduced to text blocks, and the reader
// renders those as text. The sanitizer is the first wall (nothing executable or remote survives even
// in memory), the reduction to text the second. jsdom, as used here, runs no script and fetches no
// resource: `runScripts` and `resources` are left at their safe defaults.

const SKIPPED = new Set(['nav', 'aside', 'footer', 'header', 'form', 'button', 'select', 'textarea', 'svg', 'math']);
const BLOCKS = new Set([
  'address',
  'article',
  'blockquote',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
  'caption',
]);

interface Context {
  kind: ParagraphKind;
  level?: number;
  listDepth: number;
}

function contextFor(tag: string, parent: Context): Context {
  const heading = /^h([1-6])$/.exec(tag);
  if (heading) return { kind: 'heading', level: Number(heading[1]), listDepth: parent.listDepth };
  if (tag === 'ul' || tag === 'ol') return { ...parent, listDepth: parent.listDepth + 1 };
  if (tag === 'li') return { kind: 'list-item', level: Math.max(1, parent.listDepth), listDepth: parent.listDepth };
  if (tag === 'blockquote') return { kind: 'quote', listDepth: parent.listDepth };
  if (tag === 'figcaption' || tag === 'caption') return { kind: 'caption', listDepth: parent.listDepth };
  return parent;
}

/** Reads sanitized content into blocks: headings, paragraphs, list items, quotes and captions. */
function blocksOf(root: Node): Block[] {
  const blocks: Block[] = [];
  let buffer = '';
  const flush = (ctx: Context) => {
    if (buffer.trim()) blocks.push({ text: buffer, kind: ctx.kind, ...(ctx.level ? { level: ctx.level } : {}) });
    buffer = '';
  };
  // An explicit stack, not recursion: the depth of a page is the page's to choose.
  type Frame = { children: Node[]; at: number; ctx: Context; block: boolean };
  const walk = (root: Node, rootCtx: Context) => {
    const stack: Frame[] = [{ children: Array.from(root.childNodes), at: 0, ctx: rootCtx, block: false }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.at >= frame.children.length) {
        stack.pop();
        if (frame.block) flush(frame.ctx);
        continue;
      }
      const child = frame.children[frame.at++];
      if (child.nodeType === 3) {
        buffer += child.nodeValue ?? '';
        continue;
      }
      if (child.nodeType !== 1) continue;
      const tag = (child as Element).localName;
      if (SKIPPED.has(tag)) continue;
      if (tag === 'br') {
        buffer += ' ';
        continue;
      }
      if (!BLOCKS.has(tag)) {
        stack.push({ children: Array.from(child.childNodes), at: 0, ctx: frame.ctx, block: false });
        continue;
      }
      flush(frame.ctx);
      stack.push({ children: Array.from(child.childNodes), at: 0, ctx: contextFor(tag, frame.ctx), block: true });
    }
  };
  const top: Context = { kind: 'body', listDepth: 0 };
  walk(root, top);
  flush(top);
  return blocks;
}

function metaOf(doc: Document): FoundMeta {
  const content = (selector: string) => doc.querySelector(selector)?.getAttribute('content')?.trim() || undefined;
  const firstHeading = doc.querySelector('h1')?.textContent?.trim();
  return {
    title:
      doc.querySelector('title')?.textContent?.trim() ||
      content('meta[property="og:title"]') ||
      firstHeading ||
      undefined,
    author: content('meta[name="author"]') ?? content('meta[property="article:author"]'),
    source: content('meta[property="og:site_name"]') ?? content('meta[name="publisher"]'),
    date: isoDate(
      content('meta[property="article:published_time"]') ??
        content('meta[name="date"]') ??
        content('meta[name="dc.date"]') ??
        doc.querySelector('time[datetime]')?.getAttribute('datetime'),
    ),
  };
}

/**
 * Sanitizes HTML with DOMPurify and reduces it to blocks. Only the article is kept where the page
 * marks one (`<article>`, else `<main>`), so menus and footers do not become paragraphs.
 */
export async function extractHtml(html: string, extraMeta: FoundMeta = {}): Promise<Extracted> {
  refuseDeepNesting(html);
  // Loaded on demand: jsdom takes a while to load, and most starts import nothing.
  const [{ JSDOM }, { default: createDOMPurify }] = await Promise.all([import('jsdom'), import('dompurify')]);
  const { window } = new JSDOM('');
  const purify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);
  const clean = purify.sanitize(html, {
    WHOLE_DOCUMENT: true,
    RETURN_DOM: true,
    FORBID_TAGS: ['style', 'link', 'iframe', 'frame', 'object', 'embed', 'img', 'picture', 'video', 'audio', 'source'],
    FORBID_ATTR: ['style', 'srcset', 'src', 'background', 'poster'],
  }) as HTMLElement;
  // The head is read from an inert parse of the original: DOMPurify drops <title> and <meta>.
  const inert = new window.DOMParser().parseFromString(html, 'text/html');
  const root = clean.querySelector('article') ?? clean.querySelector('main') ?? clean.querySelector('body') ?? clean;
  const found = metaOf(inert);
  return extractedFromBlocks(blocksOf(root), { ...found, ...definedOnly(extraMeta) });
}

function definedOnly(meta: FoundMeta): FoundMeta {
  return Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== undefined && v !== '')) as FoundMeta;
}

/** Deeper than this, a page is not an article; browsers themselves flatten trees past ~512 levels. */
export const MAX_HTML_DEPTH = 1000;
/** Elements whose end tag may be left out; they do not deepen the tree the way an open <div> does. */
const OPTIONAL_END = new Set(
  'p li dt dd tr td th option optgroup thead tbody tfoot colgroup caption rb rt rp html head body'.split(' '),
);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'noscript']);
const VOID = new Set('area base br col embed hr img input link meta source track wbr'.split(' '));

/**
 * Refuses HTML nested absurdly deep before any parser sees it (parsing, sanitizing and cloning
 * such a tree is where the time and the stack go). One pass over the tags with indexOf: linear,
 * with no pattern that can backtrack. It over-counts only elements left open without an end tag,
 * which HTML allows only for the OPTIONAL_END elements it skips.
 */
function refuseDeepNesting(page: string): void {
  const html = page.toLowerCase();
  let depth = 0;
  for (let at = html.indexOf('<'); at !== -1; at = html.indexOf('<', at + 1)) {
    if (html.startsWith('<!--', at)) {
      at = html.indexOf('-->', at);
      if (at === -1) return;
      continue;
    }
    const closing = html.charCodeAt(at + 1) === 47; // '/'
    let end = at + (closing ? 2 : 1);
    while (end < html.length && end - at < 40 && /[a-z0-9-]/.test(html[end])) end++;
    const name = html.slice(at + (closing ? 2 : 1), end);
    if (!name || OPTIONAL_END.has(name) || VOID.has(name)) continue;
    if (!closing && RAW_TEXT.has(name)) {
      // Scripts and styles hold "<" that are not tags; their content ends at their end tag.
      at = html.indexOf(`</${name}`, end);
      if (at === -1) return;
      continue;
    }
    if (closing) depth = Math.max(0, depth - 1);
    else {
      const close = html.indexOf('>', end);
      if (close !== -1 && html.charCodeAt(close - 1) === 47) continue; // <x/>
      if (++depth > MAX_HTML_DEPTH) {
        throw new GlossaError(
          'INVALID_INPUT',
          `the page is nested more than ${MAX_HTML_DEPTH} levels deep; it is not read.`,
        );
      }
    }
  }
}
