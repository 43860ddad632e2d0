import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ROOT } from '../e2e/support/glossa';
import type { Generated } from './generate';

/**
 * The anchors the reader is measured against, as plain pages a browser navigates to: the same
 * text in paragraphs in a scrolling column set like the reader's, and its ranges drawn (or not)
 * by the usual means. Each page marks `bench:drawn` in the first frame after its text and marks
 * are in — the same end point the reader marks (`glossa:first-screen`).
 */
export type AnchorKind = 'static' | 'css-highlights' | 'mark-per-paragraph' | 'naive-markRanges';

export const ANCHOR_LABELS: Record<AnchorKind, string> = {
  static: 'static page, plain text (the floor)',
  'css-highlights': 'static page, every range drawn by the CSS Custom Highlight API',
  'mark-per-paragraph': 'static page, mark.js markRanges per paragraph',
  'naive-markRanges': 'static page, one naive mark.js markRanges over all ranges',
};

const STYLE = `
  html, body { margin: 0; height: 100%; }
  body { display: flex; flex-direction: column; font: 18px/1.7 Georgia, serif; }
  main { flex: 1; overflow: auto; }
  article { max-width: 40rem; margin: 0 auto; padding: 1rem 4rem; }
  p { margin: 0 0 1rem; }
  mark { background: rgba(200, 80, 80, 0.25); color: inherit; }
  ::highlight(bench) { background: rgba(200, 80, 80, 0.25); }
`;

// Runs in the page. Offsets are on the document text, whose paragraphs are separated by a blank
// line that the page's text nodes lack; each range is drawn within its own paragraph(s).
const SCRIPT = `
const kind = document.body.dataset.kind;
const data = JSON.parse(document.getElementById('data').textContent);
const ps = [...document.querySelectorAll('article p')];
function drawn() { requestAnimationFrame(() => setTimeout(() => performance.mark('bench:drawn'))); }
if (kind === 'css-highlights') {
  const highlight = new Highlight();
  let i = 0;
  for (const r of data.ranges) {
    while (i + 1 < data.starts.length && data.starts[i + 1] <= r.start) i++;
    const node = ps[i].firstChild;
    const len = node.length;
    const range = new Range();
    range.setStart(node, Math.min(len, r.start - data.starts[i]));
    range.setEnd(node, Math.min(len, r.end - data.starts[i]));
    highlight.add(range);
  }
  CSS.highlights.set('bench', highlight);
} else if (kind === 'mark-per-paragraph') {
  const per = ps.map(() => []);
  let i = 0;
  for (const r of data.ranges) {
    while (i + 1 < data.starts.length && data.starts[i + 1] <= r.start) i++;
    per[i].push({ start: r.start - data.starts[i], length: r.end - r.start });
  }
  ps.forEach((p, k) => { if (per[k].length) new Mark(p).markRanges(per[k]); });
} else if (kind === 'naive-markRanges') {
  const shift = (offset) => { let i = 0; while (i + 1 < data.starts.length && data.starts[i + 1] <= offset) i++; return offset - i * 2; };
  new Mark(document.querySelector('article')).markRanges(data.ranges.map((r) => ({ start: shift(r.start), length: r.end - r.start })));
}
drawn();
`;

function page(kind: AnchorKind, g: Generated): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const sorted = [...g.ranges].sort((a, b) => a.start - b.start);
  const data = JSON.stringify({ starts: g.paragraphs.map((p) => p.start), ranges: sorted }).replace(/</g, '\\u003c');
  const paragraphs = g.paragraphs.map((p) => `<p>${escape(g.text.slice(p.start, p.end))}</p>`).join('\n');
  const needsMark = kind === 'mark-per-paragraph' || kind === 'naive-markRanges';
  return `<!doctype html><html><head><meta charset="utf-8"><title>${kind}</title><style>${STYLE}</style></head>
<body data-kind="${kind}"><main><article>${paragraphs}</article></main>
<script type="application/json" id="data">${kind === 'static' ? '{"starts":[],"ranges":[]}' : data}</script>
${needsMark ? '<script src="/mark.min.js"></script>' : ''}<script>${SCRIPT}</script></body></html>`;
}

/** Serves the anchor pages for one text on 127.0.0.1 (as the app is served: over HTTP). */
export async function serveAnchors(
  g: Generated,
): Promise<{ url: (kind: AnchorKind) => string; close: () => Promise<void> }> {
  const pages = new Map<string, string>();
  for (const kind of Object.keys(ANCHOR_LABELS) as AnchorKind[]) pages.set(`/${kind}.html`, page(kind, g));
  const markJs = await readFile(join(ROOT, 'node_modules', 'mark.js', 'dist', 'mark.min.js'));
  const server: Server = createServer((req, res) => {
    const body = req.url === '/mark.min.js' ? markJs : pages.get(req.url ?? '');
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': req.url?.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (kind) => `http://127.0.0.1:${port}/${kind}.html`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
