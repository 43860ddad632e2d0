import type { Client, Input } from '../../../shared/api';
import type { Passage, SavedQuery } from '../../../shared/types';
import { errorMessage } from '../lib/error-message';

export type PassageOrder = 'document' | 'date';

/** `key=value, key=value` as attribute filters; null when a part is not key=value. */
export function parseAttributeFilter(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = part.indexOf('=');
    if (at <= 0) return null;
    out[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return out;
}

/**
 * The Passages view: a query over the whole library (codes joined by and, or, not, overlapping),
 * limited to chosen documents or attribute values, its results in document or date order, and
 * the queries saved by name.
 */
export class PassagesState {
  query = $state('');
  documentIds = $state<string[]>([]);
  attributes = $state('');
  order = $state<PassageOrder>('document');
  results = $state.raw<Passage[] | null>(null);
  /** How many passages the query finds in all (the results hold the pages read so far). */
  total = $state(0);
  saved = $state.raw<SavedQuery[]>([]);
  error = $state('');
  running = $state(false);
  /** The query the results are for (the box may have changed since). */
  ran = $state('');

  constructor(private readonly client: Client) {}

  readonly sorted: Passage[] = $derived.by(() => {
    const list = this.results ?? [];
    if (this.order === 'document') return list;
    // Newest first by the document's date, then by when the passage was coded.
    return [...list].sort(
      (a, b) => (b.date ?? '').localeCompare(a.date ?? '') || b.highlight.created.localeCompare(a.highlight.created),
    );
  });

  /** The request the current choices make; an error sentence when they make none. */
  request():
    { query: string; documentIds?: string[]; attributes?: Record<string, string>; order: PassageOrder } | string {
    const query = this.query.trim();
    if (!query) return 'Type a query: a code, or codes joined by and, or, not, overlapping.';
    const attributes = parseAttributeFilter(this.attributes);
    if (attributes === null) return 'Attributes are written key=value, separated by commas.';
    return {
      query,
      ...(this.documentIds.length > 0 ? { documentIds: this.documentIds } : {}),
      ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
      order: this.order,
    };
  }

  async run(): Promise<void> {
    const request = this.request();
    if (typeof request === 'string') {
      this.error = request;
      return;
    }
    this.error = '';
    this.running = true;
    try {
      const page = await this.client.queryPassages(request);
      this.results = page.passages;
      this.total = page.total;
      this.ran = request.query;
      this.lastRequest = request;
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.running = false;
    }
  }

  /** Runs a code's passages (from the codebook or a matrix cell). */
  private lastRequest: Exclude<ReturnType<PassagesState['request']>, string> | null = null;

  /** The next page of the query last run. */
  async more(): Promise<void> {
    const request = this.lastRequest;
    const shown = this.results;
    if (!request || !shown || shown.length >= this.total) return;
    this.running = true;
    try {
      const page = await this.client.queryPassages({ ...request, offset: shown.length });
      this.results = [...shown, ...page.passages];
      this.total = page.total;
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.running = false;
    }
  }

  async show(query: string): Promise<void> {
    this.query = query;
    this.documentIds = [];
    this.attributes = '';
    await this.run();
  }

  async loadSaved(): Promise<void> {
    try {
      this.saved = await this.client.listQueries({});
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  async save(name: string): Promise<boolean> {
    const request = this.request();
    if (typeof request === 'string') {
      this.error = request;
      return false;
    }
    try {
      const { order: _order, ...query } = request;
      const saved = await this.client.saveQuery({ name, ...query });
      this.saved = [...this.saved.filter((q) => q.id !== saved.id), saved];
      return true;
    } catch (error) {
      this.error = errorMessage(error);
      return false;
    }
  }

  async rerun(saved: SavedQuery): Promise<void> {
    this.query = saved.query;
    this.documentIds = saved.documentIds ?? [];
    this.attributes = Object.entries(saved.attributes ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    await this.run();
  }

  async remove(saved: SavedQuery): Promise<void> {
    try {
      await this.client.deleteQuery({ queryId: saved.id });
      this.saved = this.saved.filter((q) => q.id !== saved.id);
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  /** The export request for the current query (Markdown with the document export's options, or CSV). */
  exportRequest(format: 'md' | 'csv'): Input<'exportFile'> | null {
    const request = this.request();
    if (typeof request === 'string') return null;
    return {
      scope: { query: request.query, documentIds: request.documentIds, attributes: request.attributes },
      format,
    };
  }
}
