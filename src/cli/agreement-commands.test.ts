import { describe, expect, it } from 'vitest';
import { docId, glossa, library, snapshot } from '../test-support/cli-run';

/** A library coded by Ana and Ben: they agree on "drugs", differ by nine characters on "security". */
async function twoCoders(): Promise<{ dir: string; id: string }> {
  const dir = await library();
  const id = await docId(dir);
  const mark = async (quote: string, tag: string) => {
    const run = await glossa(['highlight', id, '--quote', quote, '--tag', tag, '--data-dir', dir]);
    expect(run.stderr).toBe('');
  };
  expect((await glossa(['coder', 'Ana', '--data-dir', dir])).stdout).toBe('Ana\n');
  await mark('surrounded the Russian Embassy in Kabul', 'security');
  await mark('combat drug traffickers', 'drugs');
  await glossa(['coder', 'Ben', '--data-dir', dir]);
  await mark('surrounded the Russian Embassy', 'security');
  await mark('combat drug traffickers', 'drugs');
  return { dir, id };
}

describe('glossa coder', () => {
  it('prints, sets and clears the coder', async () => {
    const dir = await library();
    expect((await glossa(['coder', '--data-dir', dir])).stdout).toBe(
      '(no coder set: new highlights are unattributed)\n',
    );
    await glossa(['coder', 'Ana Lyst', '--data-dir', dir]);
    expect((await glossa(['coder', '--data-dir', dir])).stdout).toBe('Ana Lyst\n');
    await glossa(['coder', '--clear', '--data-dir', dir]);
    expect((await glossa(['coder', '--data-dir', dir])).stdout).toMatch(/no coder set/);
    const before = await snapshot(dir);
    const bad = await glossa(['coder', '   ', '--data-dir', dir]);
    expect(bad.stderr).toMatch(/coder must not be empty/);
    expect(await snapshot(dir)).toBe(before);
  });
});

describe('glossa agreement', () => {
  it('prints agreement per code and overall as Markdown, CSV and JSON', async () => {
    const { dir, id } = await twoCoders();
    const md = (await glossa(['agreement', '--coders', 'Ana,Ben', '--data-dir', dir])).stdout;
    expect(md).toContain('# Agreement: Ana, Ben');
    expect(md).toMatch(/\| drugs \| \d+ \| 100\.0 \| 1\.000 \| 1\.000 \| 1\.000 \|/);
    expect(md).toMatch(/\| all codes \|/);
    const csv = (await glossa(['agreement', '--coders', 'Ana,Ben', '--format', 'csv', '--data-dir', dir])).stdout;
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('code,characters,percent,kappa,alpha,alpha_u,jaccard,coded_by_all,coded_by_none');
    // Ben's unit ends nine characters before Ana's: αᵤ counts 9² against the chance of it, high but not 1.
    expect(Number(lines.find((l) => l.startsWith('security,'))?.split(',')[5])).toBeGreaterThan(0.9);
    expect(Number(lines.find((l) => l.startsWith('security,'))?.split(',')[5])).toBeLessThan(1);
    expect(lines.find((l) => l.startsWith('security,'))).toMatch(/,0\.769,30,/);
    const json = JSON.parse(
      (
        await glossa([
          'agreement',
          '--coders',
          'Ana,Ben',
          '--code',
          'SECURITY',
          '--doc',
          id,
          '--format',
          'json',
          '--data-dir',
          dir,
        ])
      ).stdout,
    );
    expect(json.codes).toHaveLength(1);
    expect(json.codes[0].table).toMatchObject({ both: 30, firstOnly: 9, secondOnly: 0 });
  });

  it('refuses one coder, an unknown code or document, with a clear error', async () => {
    const { dir } = await twoCoders();
    expect((await glossa(['agreement', '--coders', 'Ana', '--data-dir', dir])).stderr).toMatch(/at least two coders/);
    expect((await glossa(['agreement', '--coders', 'Ana,Ben', '--code', 'nope', '--data-dir', dir])).stderr).toMatch(
      /no code named "nope"/,
    );
    expect((await glossa(['agreement', '--coders', 'Ana,Ben', '--doc', 'nope', '--data-dir', dir])).stderr).toMatch(
      /no document with id "nope"/,
    );
  });
});
