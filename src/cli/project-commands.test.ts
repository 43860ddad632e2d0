import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterThisTest } from '../test-support/cleanup';
import { docId, glossa, library } from '../test-support/cli-run';
import { startCouch } from '../test-support/pouchdb-server';

const PASSWORD = 'correct horse battery staple';

/** Every byte under a folder, so a test can show a secret is in none of them. */
async function everyFile(dir: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name);
    if ((await stat(path)).isFile()) out.push(await readFile(path));
  }
  return out;
}

describe('glossa project', () => {
  it('shares, joins, syncs and reports status with a password from GLOSSA_PASSWORD that is written nowhere', async () => {
    const server = await startCouch({ admin: { user: 'lead', password: PASSWORD } });
    afterThisTest(server.stop);
    const env = { GLOSSA_PASSWORD: PASSWORD };
    const ana = await library();
    const id = await docId(ana);
    await glossa(['highlight', id, '--quote', 'combat drug traffickers', '--tag', 'drugs', '--data-dir', ana]);

    const shared = await glossa(
      [
        'project',
        'share',
        '--server',
        server.url,
        '--db',
        'fieldwork',
        '--user',
        'lead',
        '--coder',
        'Ana',
        '--data-dir',
        ana,
      ],
      { env },
    );
    expect(shared.stderr).toBe('');
    expect(shared.stdout).toMatch(
      new RegExp(`^Shared to ${server.url}/fieldwork: sent \\d+, received 0, applied 0\\.\\n$`),
    );
    expect((await glossa(['coder', '--data-dir', ana])).stdout).toBe('Ana\n');

    const ben = await library();
    const joined = await glossa(
      ['project', 'join', `${server.url}/fieldwork`, '--user', 'lead', '--coder', 'Ben', '--data-dir', ben],
      {
        env,
      },
    );
    expect(joined.stderr).toBe('');
    expect(joined.stdout).toMatch(/^Joined .*applied \d+\./);
    expect((await glossa(['coder', '--data-dir', ben])).stdout).toBe('Ben\n');
    // The project's one document, not the seed article a new library would start with.
    expect(
      JSON.parse((await glossa(['docs', '--json', '--data-dir', ben])).stdout).map((d: { id: string }) => d.id),
    ).toEqual([id]);

    await glossa([
      'highlight',
      id,
      '--quote',
      'surrounded the Russian Embassy',
      '--tag',
      'security',
      '--data-dir',
      ben,
    ]);
    expect((await glossa(['project', 'sync', '--data-dir', ben], { env })).stdout).toMatch(/sent [1-9]/);
    expect((await glossa(['project', 'sync', '--data-dir', ana], { env })).stdout).toMatch(/applied 1\./);
    const exportOf = async (dir: string) =>
      (await glossa(['export', '--format', 'csv', '--data-dir', dir])).stdout.split('\n').sort().join('\n');
    expect(await exportOf(ana)).toBe(await exportOf(ben));

    const status = await glossa(['project', 'status', '--data-dir', ana]);
    expect(status.stdout).toMatch(new RegExp(`^${server.url}/fieldwork as lead\\nsynced: last synced \\d{4}-`));
    const json = JSON.parse((await glossa(['project', 'status', '--json', '--data-dir', ana])).stdout);
    expect(json).toMatchObject({ state: 'synced', user: 'lead', conflicts: [], refused: [] });

    const blind = await glossa(['project', 'blind', 'on', '--data-dir', ana], { env });
    expect(blind.stderr).toBe('');
    expect(blind.stdout).toMatch(/^Blind coding on; /);
    expect((await glossa(['project', 'status', '--data-dir', ana])).stdout).toMatch(
      /blind coding: each coder's highlights stay in their own database until revealed \(yours: fieldwork-coder-ana-[0-9a-f]{8}\)/,
    );
    expect((await glossa(['project', 'blind', 'maybe', '--data-dir', ana], { env })).stderr).toMatch(/Say on or off/);

    for (const dir of [ana, ben]) {
      for (const bytes of await everyFile(dir)) expect(bytes.includes(PASSWORD)).toBe(false);
    }
    expect(shared.stdout + joined.stdout + status.stdout).not.toContain(PASSWORD);
  }, 60_000);

  it('refuses clearly: no password and no terminal, credentials in the address, a wrong password, a library already coded, no project', async () => {
    const server = await startCouch({ admin: { user: 'lead', password: PASSWORD } });
    afterThisTest(server.stop);
    const dir = await library();
    const noPassword = await glossa([
      'project',
      'share',
      '--server',
      server.url,
      '--db',
      'p',
      '--user',
      'lead',
      '--data-dir',
      dir,
    ]);
    expect(noPassword.code).not.toBe(0);
    expect(noPassword.stderr).toMatch(/A password is needed for lead: set GLOSSA_PASSWORD/);

    const inUrl = await glossa([
      'project',
      'share',
      '--server',
      `http://lead:${PASSWORD}@127.0.0.1:${server.port}`,
      '--db',
      'p',
      '--data-dir',
      dir,
    ]);
    expect(inUrl.code).not.toBe(0);
    expect(inUrl.stderr).toMatch(/not in the address/);
    expect(inUrl.stderr).not.toContain(PASSWORD);

    const wrong = await glossa(
      ['project', 'share', '--server', server.url, '--db', 'p', '--user', 'lead', '--data-dir', dir],
      {
        env: { GLOSSA_PASSWORD: 'nope' },
      },
    );
    expect(wrong.stderr).toMatch(/refused the user name or password/);

    const badName = await glossa(['project', 'share', '--server', server.url, '--db', 'Bad Name', '--data-dir', dir]);
    expect(badName.stderr).toMatch(/db must be a CouchDB database name/);

    const coded = await glossa(['project', 'join', `${server.url}/p`, '--data-dir', dir]);
    expect(coded.stderr).toMatch(/new, empty folder/);

    const notOne = await glossa(['project', 'sync', '--data-dir', await library()]);
    expect(notOne.stderr).toMatch(/not a team project/);
    expect((await glossa(['project', 'status', '--data-dir', await library()])).stdout).toMatch(/not a team project/);
  }, 60_000);
});
