import type { Client } from '../../../shared/api';
import { FREQUENCY_COLUMNS, PAIR_COLUMNS, frequencyRows, pairRows, toCsv } from '../../../shared/analysis-tables';
import { formatQuery } from '../../../shared/query';
import type { Analysis, Codebook } from '../../../shared/types';
import { errorMessage } from '../lib/error-message';

export type Measure = 'highlights' | 'coverage';

/**
 * The Analysis view: code frequencies per document (or per value of an attribute) and the
 * co-occurrence matrix, read with one contract call; tables and charts are drawn from the same
 * numbers, and export as CSV (and SVG) from them.
 */
export class AnalysisState {
  analysis = $state.raw<Analysis | null>(null);
  attribute = $state('');
  measure = $state<Measure>('highlights');
  byDate = $state(false);
  error = $state('');
  loading = $state(false);

  constructor(
    private readonly client: Client,
    private readonly codebook: () => Codebook,
  ) {}

  async load(): Promise<void> {
    this.loading = true;
    this.error = '';
    try {
      this.analysis = await this.client.getAnalysis(this.attribute.trim() ? { attribute: this.attribute.trim() } : {});
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.loading = false;
    }
  }

  /** Column order: as listed, or by the documents' dates (undated last). */
  readonly columns: number[] = $derived.by(() => {
    const groups = this.analysis?.frequencies.groups ?? [];
    const order = groups.map((_, i) => i);
    if (this.byDate) order.sort((a, b) => (groups[a].date ?? '9999').localeCompare(groups[b].date ?? '9999'));
    return order;
  });

  /** The value a frequency cell shows: a count, or coverage in percent. */
  value(row: number, col: number): number {
    const a = this.analysis;
    if (!a) return 0;
    if (this.measure === 'highlights') return a.frequencies.highlights[row][col];
    const chars = a.frequencies.groups[col].chars;
    return chars > 0 ? Math.round((a.frequencies.chars[row][col] / chars) * 1000) / 10 : 0;
  }

  readonly max: number = $derived.by(() => {
    const a = this.analysis;
    if (!a) return 0;
    let m = 0;
    for (const r of a.tags.keys()) for (const c of a.frequencies.groups.keys()) m = Math.max(m, this.value(r, c));
    return m;
  });

  name(tagId: string): string {
    return this.codebook().tags.find((t) => t.id === tagId)?.name ?? tagId;
  }

  /** The Passages query behind a co-occurrence cell. */
  cellQuery(i: number, j: number, kind: 'and' | 'overlapping'): string {
    const a = this.analysis!;
    const code = (id: string) => ({ kind: 'code' as const, name: id });
    if (i === j && kind === 'and') return formatQuery(code(a.tags[i]), (id) => this.name(id));
    return formatQuery({ kind, left: code(a.tags[i]), right: code(a.tags[j]) }, (id) => this.name(id));
  }

  frequencyCsv(): string {
    return this.analysis ? toCsv(frequencyRows(this.analysis, this.codebook()), FREQUENCY_COLUMNS) : '';
  }

  cooccurrenceCsv(): string {
    return this.analysis ? toCsv(pairRows(this.analysis, this.codebook()), PAIR_COLUMNS) : '';
  }
}
