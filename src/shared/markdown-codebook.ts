import { treeRows } from './codebook';
import { escapeMarkdownLine, toBlockquote, yamlString } from './markdown-escape';
import { paragraphRef } from './plain-text';
import type { Codebook, DocumentView, Highlight, Memos } from './types';

// The codebook for a methods section or an appendix: each code as a heading (nested codes as
// sub-headings), its description, how many highlights use it, and a few example quotes.

/** Example quotes per code: the first ones in library order, so the same library gives the same file. */
const EXAMPLES = 2;

export function exportMarkdownCodebook(
  docs: DocumentView[],
  codebook: Codebook,
  options: { exported: string; memos?: Memos },
): string {
  const counts = new Map<string, number>();
  const examples = new Map<string, { doc: DocumentView; h: Highlight }[]>();
  for (const doc of docs) {
    const sorted = [...doc.highlights].sort((a, b) => a.target.position.start - b.target.position.start);
    for (const h of sorted) {
      for (const t of new Set(h.tags)) {
        counts.set(t, (counts.get(t) ?? 0) + 1);
        const list = examples.get(t) ?? [];
        if (list.length < EXAMPLES && !h.orphan) list.push({ doc, h });
        examples.set(t, list);
      }
    }
  }
  const rows = treeRows(codebook);
  const parts = [
    [
      '---',
      `title: ${yamlString('Codebook')}`,
      `exported: ${yamlString(options.exported)}`,
      `codes: ${rows.length}`,
      '---',
    ].join('\n'),
    '# Codebook',
  ];
  if (rows.length === 0) parts.push('_The codebook is empty._');
  for (const { tag, depth } of rows) {
    const level = Math.min(6, depth + 2);
    const n = counts.get(tag.id) ?? 0;
    parts.push(`${'#'.repeat(level)} ${escapeMarkdownLine(tag.name)}`);
    parts.push(`_${n} highlight${n === 1 ? '' : 's'}_`);
    const description = tag.description?.trim();
    // The description is the researcher's Markdown: kept as written, headings pushed below this one.
    if (description)
      parts.push(description.replace(/^(#{1,6})(?=\s)/gm, (h) => '#'.repeat(Math.min(6, h.length + level))));
    const memo = options.memos?.codes[tag.id]?.text.trim();
    if (memo)
      parts.push(
        `**Memo**`,
        memo.replace(/^(#{1,6})(?=\s)/gm, (h) => '#'.repeat(Math.min(6, h.length + level))),
      );
    const shown = examples.get(tag.id) ?? [];
    if (shown.length > 0) {
      parts.push('**Examples**');
      for (const { doc, h } of shown) {
        const { start, end } = h.target.position;
        parts.push(
          toBlockquote(h.target.quote.exact),
          `${escapeMarkdownLine(doc.meta.title)}, ${paragraphRef(doc.paragraphs, start, end)}`,
        );
      }
    }
  }
  return `${parts.join('\n\n')}\n`;
}
