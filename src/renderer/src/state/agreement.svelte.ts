import type { Client } from '../../../shared/api';
import type { Disagreement } from '../../../shared/disagreements';
import type { AgreementReport } from '../../../shared/types';
import { errorMessage } from '../lib/error-message';

/**
 * Agreement between coders and the disagreement navigator: which coders are compared, the measures
 * per code, and the passages where they differ, one at a time, with the version the team adopts
 * written into the consensus layer (through the contract's adjudicate).
 */
export class AgreementState {
  coders = $state.raw<{ name: string; highlights: number }[]>([]);
  chosen = $state.raw<string[]>([]);
  report = $state.raw<AgreementReport | null>(null);
  passages = $state.raw<Disagreement[]>([]);
  index = $state(0);
  error = $state('');
  busy = $state(false);

  constructor(private readonly client: Client) {}

  get current(): Disagreement | null {
    return this.passages[this.index] ?? null;
  }

  /** Settled passages (with a consensus version) out of all. */
  get settled(): number {
    return this.passages.filter((p) => p.consensus.length > 0).length;
  }

  async load(): Promise<void> {
    try {
      const { coders } = await this.client.listCoders({});
      this.coders = coders.filter((c) => c.name !== 'Consensus');
      // The first two coders by default: the common case of a pair checking each other.
      if (this.chosen.length < 2 || this.chosen.some((c) => !this.coders.some((x) => x.name === c))) {
        this.chosen = this.coders.slice(0, 2).map((c) => c.name);
      }
      await this.compute();
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  toggle(name: string, on: boolean): void {
    const others = this.chosen.filter((c) => c !== name);
    this.chosen = on ? [...others, name] : others;
    void this.compute();
  }

  async compute(): Promise<void> {
    this.error = '';
    if (this.chosen.length < 2) {
      this.report = null;
      this.passages = [];
      return;
    }
    this.busy = true;
    try {
      const coders = this.coders.map((c) => c.name).filter((c) => this.chosen.includes(c));
      const [report, passages] = await Promise.all([
        this.client.getAgreement({ coders }),
        this.client.getDisagreements({ coders }),
      ]);
      this.report = report;
      this.passages = passages;
      this.index = Math.min(this.index, Math.max(0, passages.length - 1));
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.busy = false;
    }
  }

  step(direction: 1 | -1): void {
    if (this.passages.length === 0) return;
    this.index = (this.index + direction + this.passages.length) % this.passages.length;
  }

  /** Adopts one coder's version of the current passage (null: none of them, the passage uncoded). */
  async adopt(coder: string | null): Promise<void> {
    const p = this.current;
    if (!p) return;
    const version = coder === null ? null : p.versions.find((v) => v.coder === coder);
    this.error = '';
    try {
      await this.client.adjudicate({
        documentId: p.documentId,
        start: p.start,
        end: p.end,
        highlightIds: version ? version.highlights.map((h) => h.id) : [],
      });
      const at = this.index;
      await this.compute();
      // On to the next passage not settled yet, as one works through a list.
      const next = this.passages.findIndex((q, i) => i > at && q.consensus.length === 0);
      if (next !== -1) this.index = next;
    } catch (error) {
      this.error = errorMessage(error);
    }
  }
}
