import { describe, expect, it } from 'vitest';
import { addHighlight } from '../../../test-support/at-revision';
import { realClient } from '../../../test-support/real-client';
import { AnalysisState } from './analysis.svelte';

describe('AnalysisState', () => {
  it('shows counts or coverage, builds the queries behind matrix cells, and exports CSV', async () => {
    const { client, documentId } = await realClient();
    await addHighlight(client, { documentId, start: 0, end: 100, tags: ['security', 'drugs'] });
    const codebook = await client.getCodebook({});
    const analysis = new AnalysisState(client, () => codebook);
    await analysis.load();
    expect(analysis.value(0, 0)).toBe(1);
    analysis.measure = 'coverage';
    expect(analysis.value(0, 0)).toBeGreaterThan(0);
    expect(analysis.value(0, 0)).toBeLessThan(100);
    expect(analysis.cellQuery(0, 2, 'and')).toBe('security and drugs');
    expect(analysis.cellQuery(0, 0, 'and')).toBe('security');
    expect(analysis.cellQuery(0, 2, 'overlapping')).toBe('security overlapping drugs');
    expect(analysis.frequencyCsv().split('\r\n')[0]).toBe('code,group,label,highlights,characters,coverage');
    expect(analysis.cooccurrenceCsv()).toContain('security,drugs,1,0,100');
    analysis.attribute = 'country';
    await analysis.load();
    expect(analysis.analysis?.frequencies.groups.map((g) => g.label)).toEqual(['(no value)']);
  });
});
