import { afterEach } from 'vitest';

const pending: (() => Promise<void>)[] = [];

/** Runs `undo` after the current test, last registered first (libraries close before their folders go). */
export function afterThisTest(undo: () => Promise<void>): void {
  pending.push(undo);
}

afterEach(async () => {
  while (pending.length > 0) await pending.pop()?.();
});
