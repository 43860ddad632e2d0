import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docId, glossa, library, snapshot } from '../test-support/cli-run';

/** A library whose seed has three highlights: security+drugs, drugs, diplomacy. */
async function coded(): Promise<{ dir: string; id: string }> {
  const dir = await library();
  const id = await docId(dir);
  const mark = async (quote: string, ...tags: string[]) => {
    const run = await glossa([
      'highlight',
      id,
      '--quote',
      quote,
      ...tags.flatMap((t) => ['--tag', t]),
      '--data-dir',
      dir,
    ]);
    expect(run.stderr).toBe('');
  };
  await mark('combat drug traffickers', 'security', 'drugs');
  await mark('drug traffickers and more radical', 'drugs');
  await mark('sworn enemies', 'diplomacy');
  return { dir, id };
}

const tags = async (dir: string) => JSON.parse((await glossa(['tags', '--json', '--data-dir', dir])).stdout);

describe('glossa tags', () => {
  it('prints the codebook as a tree, and as JSON with counts', async () => {
    const { dir } = await coded();
    await glossa([
      'tags',
      'add',
      'Border control',
      '--parent',
      'SECURITY',
      '--color',
      '#112233',
      '--description',
      'At borders',
      '--data-dir',
      dir,
    ]);
    const text = await glossa(['tags', '--data-dir', dir]);
    expect(text.stdout).toBe(
      'security  #e0524a  1\n  Border control  #112233  0\ndiplomacy  #3f7fd0  1\ndrugs  #3a9d5d  2\n',
    );
    expect(await tags(dir)).toEqual([
      { id: 'security', name: 'security', color: '#e0524a', parent: null, description: '', count: 1 },
      {
        id: 'border-control',
        name: 'Border control',
        color: '#112233',
        parent: 'security',
        description: 'At borders',
        count: 0,
      },
      { id: 'diplomacy', name: 'diplomacy', color: '#3f7fd0', parent: null, description: '', count: 1 },
      { id: 'drugs', name: 'drugs', color: '#3a9d5d', parent: null, description: '', count: 2 },
    ]);
  });

  it('renames and moves by name in any case', async () => {
    const { dir } = await coded();
    expect((await glossa(['tags', 'rename', 'DRUGS', 'Narcotics', '--data-dir', dir])).code).toBe(0);
    expect((await glossa(['tags', 'move', 'narcotics', '--parent', 'Security', '--data-dir', dir])).code).toBe(0);
    const list = await tags(dir);
    expect(list.find((t: { id: string }) => t.id === 'drugs')).toMatchObject({
      name: 'Narcotics',
      parent: 'security',
      count: 2,
    });
    expect((await glossa(['tags', 'move', 'narcotics', '--root', '--data-dir', dir])).code).toBe(0);
    expect((await tags(dir)).find((t: { id: string }) => t.id === 'drugs').parent).toBeNull();
  });

  it('merges one code into another without duplicates', async () => {
    const { dir } = await coded();
    const run = await glossa(['tags', 'merge', 'drugs', 'security', '--data-dir', dir]);
    expect(run).toMatchObject({ code: 0, stdout: 'Merged into “security”: 2 highlight(s) in 1 document(s)\n' });
    expect((await tags(dir)).map((t: { name: string; count: number }) => [t.name, t.count])).toEqual([
      ['security', 2],
      ['diplomacy', 1],
    ]);
  });

  it('delete without --yes says what would go and changes nothing; with --yes it deletes', async () => {
    const { dir } = await coded();
    const before = await snapshot(dir);
    const dry = await glossa(['tags', 'delete', 'drugs', '--data-dir', dir]);
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain(
      '“drugs” is on 2 highlight(s) in 1 document(s); 1 of them have no other code and would be deleted',
    );
    expect(await snapshot(dir)).toBe(before);
    const done = await glossa(['tags', 'delete', 'drugs', '--yes', '--data-dir', dir]);
    expect(done).toMatchObject({ code: 0, stdout: 'Deleted “drugs”: 1 highlight(s) lost it, 1 deleted\n' });
    expect((await tags(dir)).map((t: { name: string }) => t.name)).toEqual(['security', 'diplomacy']);
  });

  it.each([
    [['tags', 'add', 'Security'], /A code named "security" already exists/],
    [['tags', 'add', '   '], /name must not be empty/],
    [['tags', 'add', 'x', '--parent', 'nope'], /no code named "nope"/],
    [['tags', 'add', 'x', '--color', 'red'], /colour written #rrggbb/],
    [['tags', 'rename', 'nope', 'x'], /no code named "nope"/],
    [['tags', 'rename', 'drugs', 'DIPLOMACY'], /"diplomacy" already exists/],
    [['tags', 'rename', 'drugs', ''], /name must not be empty/],
    [['tags', 'move', 'security', '--parent', 'security'], /inside it/],
    [['tags', 'move', 'security'], /exactly one of --parent <name> or --root/],
    [['tags', 'merge', 'drugs', 'drugs'], /itself/],
    [['tags', 'merge', 'drugs', 'nope'], /no code named "nope"/],
    [['tags', 'delete', 'nope', '--yes'], /no code named "nope"/],
  ])('%j is refused with a clear error, exit 1, library unchanged', async (args, message) => {
    const { dir } = await coded();
    await glossa(['tags', 'add', 'Border', '--parent', 'security', '--data-dir', dir]);
    if (args[1] === 'move' && args[2] === 'security' && args[4] === 'security')
      args = ['tags', 'move', 'security', '--parent', 'border'];
    const before = await snapshot(dir);
    const run = await glossa([...args, '--data-dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(await snapshot(dir)).toBe(before);
  });
});

describe('glossa passages', () => {
  it('finds highlights by query across the library, as JSON, Markdown and CSV', async () => {
    const { dir } = await coded();
    const json = JSON.parse(
      (await glossa(['passages', 'security and drugs', '--format', 'json', '--data-dir', dir])).stdout,
    );
    expect(
      json.map((p: { highlight: { target: { quote: { exact: string } } } }) => p.highlight.target.quote.exact),
    ).toEqual(['combat drug traffickers']);
    expect(json[0]).toMatchObject({ title: 'The Taliban, Russia and Afghanistan', n: 4 });
    const overlapping = JSON.parse(
      (await glossa(['passages', 'drugs overlapping security', '--format', 'json', '--data-dir', dir])).stdout,
    );
    expect(
      overlapping.map((p: { highlight: { target: { quote: { exact: string } } } }) => p.highlight.target.quote.exact),
    ).toEqual(['drug traffickers and more radical']);
    const md = await glossa(['passages', 'drugs not security', '--data-dir', dir]);
    expect(md.stdout).toContain('> drug traffickers and more radical');
    expect(md.stdout).not.toContain('> combat drug traffickers');
    const csv = await glossa(['passages', '"Drugs" or diplomacy', '--format', 'csv', '--data-dir', dir]);
    expect(csv.stdout.trim().split('\r\n')).toHaveLength(4);
  });

  it('limits to documents and to attribute values', async () => {
    const { dir, id } = await coded();
    const other = join(dir, '..', `other-${Date.now()}.txt`);
    await writeFile(other, 'Another text about drugs and borders.');
    const imported = await glossa(['import', other, '--json', '--data-dir', dir]);
    const otherId = JSON.parse(imported.stdout)[0].id;
    await glossa(['highlight', otherId, '--quote', 'drugs', '--tag', 'drugs', '--data-dir', dir]);
    const all = JSON.parse((await glossa(['passages', 'drugs', '--format', 'json', '--data-dir', dir])).stdout);
    expect(all).toHaveLength(3);
    const one = JSON.parse(
      (await glossa(['passages', 'drugs', '--doc', otherId, '--format', 'json', '--data-dir', dir])).stdout,
    );
    expect(one).toHaveLength(1);
    const none = JSON.parse(
      (await glossa(['passages', 'drugs', '--where', 'country=Russia', '--format', 'json', '--data-dir', dir])).stdout,
    );
    expect(none).toEqual([]);
    expect(id).not.toBe(otherId);
  });

  it.each([
    ['security and', /cannot be read: a code name was expected before the end/],
    ['security and borders', /"borders", which is not a code/],
    ['"security', /not closed/],
  ])('refuses the query %j, naming the problem', async (query, message) => {
    const { dir } = await coded();
    const run = await glossa(['passages', query, '--data-dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
  });

  it('refuses an unknown document and a --where without =', async () => {
    const { dir } = await coded();
    expect((await glossa(['passages', 'drugs', '--doc', 'nope', '--data-dir', dir])).stderr).toMatch(
      /no document with id "nope"/,
    );
    expect((await glossa(['passages', 'drugs', '--where', 'country', '--data-dir', dir])).stderr).toMatch(/key=value/);
  });
});

describe('glossa memo', () => {
  it('sets and prints memos of a document, a code and the project; an empty text removes one', async () => {
    const { dir, id } = await coded();
    expect((await glossa(['memo', id, '--set', 'Doc memo', '--data-dir', dir])).code).toBe(0);
    expect((await glossa(['memo', '--code', 'DRUGS', '--set', 'Code memo', '--data-dir', dir])).code).toBe(0);
    const file = join(dir, '..', `journal-${Date.now()}.md`);
    await writeFile(file, '# Journal\n\nDay one.');
    expect((await glossa(['memo', '--project', '--file', file, '--data-dir', dir])).code).toBe(0);
    expect((await glossa(['memo', id, '--data-dir', dir])).stdout).toBe('Doc memo\n');
    expect((await glossa(['memo', '--code', 'drugs', '--data-dir', dir])).stdout).toBe('Code memo\n');
    expect((await glossa(['memo', '--project', '--data-dir', dir])).stdout).toBe('# Journal\n\nDay one.\n');
    await glossa(['memo', id, '--set', '', '--data-dir', dir]);
    expect((await glossa(['memo', id, '--data-dir', dir])).stdout).toBe('');
    // In the Markdown export, where they belong.
    await glossa(['memo', id, '--set', 'Back again', '--data-dir', dir]);
    const md = (await glossa(['export', '--data-dir', dir])).stdout;
    expect(md).toContain('**Project memo**');
    expect(md).toContain('Day one.');
    expect(md).toContain('Back again');
    expect(md).toContain('Code memo');
  });

  it.each([
    [['memo'], /exactly one memo/],
    [['memo', '--project', '--code', 'drugs'], /exactly one memo/],
    [['memo', '--code', 'nope'], /no code named "nope"/],
    [['memo', 'nope-doc'], /no document with id "nope-doc"/],
    [['memo', 'nope-doc', '--set', 'x'], /no document with id "nope-doc"/],
    [['memo', '--project', '--file', '/nonexistent/file.md'], /Could not read/],
    [['memo', '--project', '--set', 'a', '--file', 'b'], /not both/],
  ])('%j is refused, the library unchanged', async (args, message) => {
    const { dir } = await coded();
    const before = await snapshot(dir);
    const run = await glossa([...args, '--data-dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(await snapshot(dir)).toBe(before);
  });
});

describe('glossa analyze', () => {
  it('prints frequencies per document as CSV and JSON, and by attribute', async () => {
    const { dir, id } = await coded();
    const csv = (await glossa(['analyze', '--data-dir', dir])).stdout.trim().split('\r\n');
    expect(csv[0]).toBe('code,group,label,highlights,characters,coverage');
    expect(csv).toContainEqual(
      expect.stringMatching(new RegExp(`^drugs,${id},"The Taliban, Russia and Afghanistan",2,`)),
    );
    const json = JSON.parse(
      (await glossa(['analyze', '--format', 'json', '--by', 'attribute:country', '--data-dir', dir])).stdout,
    );
    expect(json.find((r: { code: string }) => r.code === 'drugs')).toMatchObject({
      group: '',
      label: '(no value)',
      highlights: 2,
    });
  });

  it('prints co-occurrence: both codes on a highlight, overlapping pairs, shared characters', async () => {
    const { dir } = await coded();
    const rows = JSON.parse((await glossa(['analyze', 'cooccurrence', '--format', 'json', '--data-dir', dir])).stdout);
    const cell = (a: string, b: string) =>
      rows.find((r: { codeA: string; codeB: string }) => r.codeA === a && r.codeB === b);
    // "combat drug traffickers" carries both codes, so all its 23 characters are covered by both;
    // it shares "drug traffickers" with "drug traffickers and more radical" (drugs): one pair.
    expect(cell('security', 'drugs')).toEqual({
      codeA: 'security',
      codeB: 'drugs',
      both: 1,
      overlaps: 1,
      characters: 23,
    });
    expect(cell('drugs', 'drugs')).toMatchObject({ both: 2, overlaps: 1 });
    expect(cell('security', 'diplomacy')).toMatchObject({ both: 0, overlaps: 0, characters: 0 });
    const csv = (await glossa(['analyze', 'cooccurrence', '--data-dir', dir])).stdout;
    expect(csv.split('\r\n')[0]).toBe('codeA,codeB,both,overlaps,characters');
  });

  it('refuses an unknown grouping and format', async () => {
    const { dir } = await coded();
    expect((await glossa(['analyze', '--by', 'country', '--data-dir', dir])).stderr).toMatch(
      /document or attribute:<key>/,
    );
    expect((await glossa(['analyze', '--format', 'xml', '--data-dir', dir])).code).toBe(1);
  });
});

describe('glossa export of the codebook', () => {
  it('--format qdc keeps the hierarchy and descriptions; md --codebook writes the methods codebook', async () => {
    const { dir } = await coded();
    await glossa([
      'tags',
      'add',
      'Border',
      '--parent',
      'security',
      '--description',
      'Checks & <controls>',
      '--data-dir',
      dir,
    ]);
    const qdc = (await glossa(['export', '--format', 'qdc', '--data-dir', dir])).stdout;
    expect(qdc).toMatch(
      /<Code guid="[^"]+" name="security" isCodable="true" color="#e0524a">\s*<Code guid="[^"]+" name="Border"[^>]*>\s*<Description>Checks &amp; &lt;controls&gt;<\/Description>/,
    );
    const md = (await glossa(['export', '--format', 'md', '--codebook', '--data-dir', dir])).stdout;
    expect(md).toContain('# Codebook');
    expect(md).toContain('## security\n\n_1 highlight_');
    expect(md).toContain('### Border\n\n_0 highlights_\n\nChecks & <controls>');
    expect(md).toContain('## drugs\n\n_2 highlights_\n\n**Examples**\n\n> combat drug traffickers');
    expect((await glossa(['export', '--format', 'csv', '--codebook', '--data-dir', dir])).stderr).toMatch(
      /--codebook goes with --format md/,
    );
  });

  it('a .qdc exported and imported elsewhere keeps hierarchy and descriptions', async () => {
    const { dir } = await coded();
    await glossa(['tags', 'add', 'Border', '--parent', 'security', '--description', 'At borders', '--data-dir', dir]);
    await glossa(['tags', 'add', 'Checkpoints', '--parent', 'border', '--data-dir', dir]);
    const out = join(dir, '..', `codebook-${Date.now()}.qdc`);
    await glossa(['export', '--format', 'qdc', '--out', out, '--data-dir', dir]);
    const other = await library();
    const run = await glossa(['import', out, '--data-dir', other]);
    expect(run.code).toBe(0);
    const list = await tags(other);
    expect(list.find((t: { name: string }) => t.name === 'Border')).toMatchObject({
      parent: 'security',
      description: 'At borders',
    });
    expect(list.find((t: { name: string }) => t.name === 'Checkpoints')).toMatchObject({ parent: 'border' });
    expect(await readFile(out, 'utf8')).toContain('<Description>At borders</Description>');
  });
});
