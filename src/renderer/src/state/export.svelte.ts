import type { ExportFormat, Input } from '../../../shared/api';
import { MARKDOWN_FLAGS, type MarkdownFlag, type MarkdownLayout } from '../../../shared/markdown-export';

/** What the export choices need to know of the reader: the open document and the codebook. */
export interface ExportSource {
  readonly doc: { meta: { id: string } } | null;
  readonly codebook: { tags: { id: string }[] };
}

export type ExportScopeKind = 'document' | 'library' | 'chosen';

/**
 * The export dialog's choices — format, documents, tags and each format's options — and the
 * contract request they make. The Markdown options come from the one list the contract and the
 * CLI use too (MARKDOWN_FLAGS).
 */
export class ExportChoices {
  format = $state<ExportFormat>('md');
  scopeKind = $state<ExportScopeKind>('document');
  chosen = $state<string[]>([]);
  tags = $state<string[]>([]);
  layout = $state<MarkdownLayout>('tag');
  flags = $state(Object.fromEntries(MARKDOWN_FLAGS.map((f) => [f.key, f.byDefault])) as Record<MarkdownFlag, boolean>);
  bom = $state(false);
  formulaSafe = $state(false);

  constructor(private readonly source: ExportSource) {}

  /** Fresh choices as the dialog opens: this document (or the library), every tag. */
  reset(wholeLibrary: boolean): void {
    const doc = this.source.doc;
    this.scopeKind = wholeLibrary || !doc ? 'library' : 'document';
    this.chosen = doc ? [doc.meta.id] : [];
    this.tags = this.source.codebook.tags.map((t) => t.id);
  }

  choose(documentId: string, on: boolean): void {
    this.chosen = toggle(this.chosen, documentId, on);
  }

  chooseTag(tagId: string, on: boolean): void {
    this.tags = toggle(this.tags, tagId, on);
  }

  /** Why nothing can be exported as chosen, or ''. */
  readonly problem = $derived(
    this.scopeKind === 'chosen' && this.chosen.length === 0
      ? 'Choose at least one document.'
      : this.tags.length === 0
        ? 'Choose at least one tag.'
        : '',
  );

  readonly request = $derived.by((): Input<'exportFile'> => {
    const doc = this.source.doc;
    const documentIds =
      this.scopeKind === 'document' && doc ? [doc.meta.id] : this.scopeKind === 'chosen' ? this.chosen : [];
    const allTags = this.tags.length === this.source.codebook.tags.length;
    return {
      scope: { documentIds, ...(allTags ? {} : { tags: this.tags }) },
      format: this.format,
      ...(this.format === 'csv' ? { bom: this.bom, formulaSafe: this.formulaSafe } : {}),
      ...(this.format === 'md' ? { markdown: { layout: this.layout, ...this.flags } } : {}),
    };
  });
}

function toggle(list: string[], id: string, on: boolean): string[] {
  return on ? [...new Set([...list, id])] : list.filter((x) => x !== id);
}
