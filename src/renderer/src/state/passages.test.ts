import { describe, expect, it } from 'vitest';
import { addHighlight } from '../../../test-support/at-revision';
import { realClient } from '../../../test-support/real-client';
import { PassagesState, parseAttributeFilter } from './passages.svelte';

describe('PassagesState', () => {
  it('runs a query, pages through results, saves and re-runs it', async () => {
    const { client, documentId } = await realClient();
    for (let i = 0; i < 3; i++)
      await addHighlight(client, { documentId, start: i * 20, end: i * 20 + 10, tags: ['drugs'] });
    const passages = new PassagesState(client);
    passages.query = 'drugs';
    await passages.run();
    expect(passages.total).toBe(3);
    expect(passages.results).toHaveLength(3);
    expect(await passages.save('All drugs')).toBe(true);
    passages.query = 'security';
    await passages.run();
    expect(passages.total).toBe(0);
    await passages.rerun(passages.saved[0]);
    expect(passages.query).toBe('drugs');
    expect(passages.total).toBe(3);
    expect(passages.exportRequest('csv')).toEqual({ scope: { query: 'drugs' }, format: 'csv' });
  });

  it('says what is wrong with a query or an attribute filter, and keeps the last results', async () => {
    const { client } = await realClient();
    const passages = new PassagesState(client);
    await passages.run();
    expect(passages.error).toMatch(/Type a query/);
    passages.query = 'security and';
    await passages.run();
    expect(passages.error).toMatch(/code name was expected/);
    passages.query = 'security';
    passages.attributes = 'country';
    await passages.run();
    expect(passages.error).toMatch(/key=value/);
    expect(parseAttributeFilter(' country = Russia , outlet=TASS ')).toEqual({ country: 'Russia', outlet: 'TASS' });
  });
});
