import type { Highlight } from '../../../shared/types';

export { coderHue, codersIn } from '../lib/coders';

export type CoderMode = 'all' | 'mine' | 'chosen';

/**
 * Whose highlights the reader shows: everyone's, only mine (this library's coder; unattributed
 * ones when it has none), or chosen coders'. A filter on what is shown, never on what is stored.
 */
export class CoderFilter {
  mode = $state<CoderMode>('all');
  chosen = $state.raw<string[]>([]);
  /** This library's coder (null: none named). */
  me = $state<string | null>(null);

  accepts(h: Highlight): boolean {
    if (this.mode === 'all') return true;
    if (this.mode === 'mine') return (h.coder ?? null) === this.me;
    return h.coder !== undefined && this.chosen.includes(h.coder);
  }

  toggle(name: string, on: boolean): void {
    const others = this.chosen.filter((c) => c !== name);
    this.chosen = on ? [...others, name] : others;
    this.mode = 'chosen';
  }
}
