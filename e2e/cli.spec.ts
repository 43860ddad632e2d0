import { execFileSync, spawn } from 'node:child_process';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { BIN, ROOT, freshDir, runGlossa, startWebMode } from './support/glossa';

// The built `glossa` command, run as a separate process the way a user runs it.

test('docs, highlight and export work from the built command', async () => {
  const dir = await freshDir();
  try {
    const docs = await runGlossa(['docs', '--json', '--data-dir', dir]);
    expect(docs.code).toBe(0);
    const [doc] = JSON.parse(docs.stdout);
    const added = await runGlossa([
      'highlight',
      doc.id,
      '--quote',
      'hunger crisis',
      '--tag',
      'drugs',
      '--data-dir',
      dir,
    ]);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toMatch(/^[0-9a-f-]{36}\n$/);
    const missing = await runGlossa([
      'highlight',
      doc.id,
      '--quote',
      'not in the text',
      '--tag',
      'drugs',
      '--data-dir',
      dir,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/does not occur/);
    const md = await runGlossa(['export', doc.id, '--format', 'md', '--data-dir', dir]);
    expect(md.stdout).toContain('## drugs\n\n> hunger crisis\n\n— ¶ 9\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('serve stops cleanly on SIGTERM and releases the lock', async () => {
  const dir = await freshDir();
  try {
    const app = await startWebMode(dir);
    const busy = await runGlossa(['docs', '--data-dir', dir]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/in use by glossa serve/);
    expect(await app.stop()).toBe(0);
    expect(await readdir(dir)).not.toContain('glossa.lock');
    expect((await runGlossa(['docs', '--data-dir', dir])).code).toBe(0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a process killed in the middle of saving never leaves a broken library', async () => {
  test.setTimeout(120_000);
  const dir = await freshDir();
  try {
    const [doc] = JSON.parse((await runGlossa(['docs', '--json', '--data-dir', dir])).stdout);
    const words = ['Taliban', 'Russia', 'Moscow', 'Kabul', 'security'];
    const saved: string[] = [];
    for (let i = 0; i < 24; i++) {
      const args = [
        'highlight',
        doc.id,
        '--quote',
        words[i % words.length],
        '--occurrence',
        String(1 + (i % 3)),
        '--tag',
        'security',
        '--data-dir',
        dir,
      ];
      // Kill at varying moments: before, during and after the write.
      const run = await runGlossa(args, { killAfterMs: 60 + ((i * 37) % 400) });
      if (run.code === 0) saved.push(run.stdout.trim());
    }
    // The library still opens (a lock left by a killed process is taken over), and opening it
    // folds what the killed processes logged into the document's snapshot.
    const after = await runGlossa(['docs', '--json', '--data-dir', dir]);
    // Together, so a failure shows what the command said.
    expect({ code: after.code, stderr: after.stderr }).toEqual({ code: 0, stderr: '' });
    const file = JSON.parse(await readFile(join(dir, 'documents', `${doc.id}.json`), 'utf8'));
    const ids = file.highlights.map((h: { id: string }) => h.id);
    for (const id of saved) expect(ids).toContain(id);
    const names = await readdir(join(dir, 'documents'));
    expect(names.filter((n) => n.includes('.corrupt-'))).toEqual([]);
    expect(JSON.parse(after.stdout)[0].highlights).toBe(ids.length);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('output cut short by the reader (glossa docs | head -3) ends quietly, without a stack trace', async () => {
  test.setTimeout(120_000);
  const dir = await freshDir();
  try {
    // Enough documents that the listing is larger than a pipe holds, so the write meets a closed pipe.
    const files: string[] = [];
    for (let i = 0; i < 300; i++) {
      const path = join(dir, `note-${i}.txt`);
      await writeFile(path, `Field note number ${i} about the border talks.\n\nSecond paragraph ${i}.`);
      files.push(path);
    }
    const imported = await runGlossa(['import', ...files, '--data-dir', dir]);
    expect(imported.code).toBe(0);
    const script = `node "${BIN}" docs --data-dir "${dir}" 2>"${dir}/err.txt" | head -3; echo "status:\${PIPESTATUS[0]}"`;
    const out = execFileSync('bash', ['-c', script], { cwd: ROOT }).toString();
    expect(out.split('\n').slice(0, 3)).toHaveLength(3);
    expect(out).toMatch(/status:0\n$/);
    expect(await readFile(join(dir, 'err.txt'), 'utf8')).toBe('');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('glossa project share asks for the password on a terminal, shows none of it, and writes it nowhere', async () => {
  const { startCouch } = await import('../src/test-support/pouchdb-server');
  const couch = await startCouch({ admin: { user: 'lead', password: 'terminal-secret' } });
  const dir = await freshDir();
  try {
    // `script` gives the command a real terminal (a pty), as a person running it in one has.
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} project share --server ${couch.url} --db prompted --user lead --data-dir ${JSON.stringify(dir)}`;
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
      let text = '';
      let asked = false;
      child.stdout.on('data', (d: Buffer) => {
        text += d.toString();
        if (!asked && text.includes('Password for lead: ')) {
          asked = true;
          child.stdin.write('terminal-secret\r');
        }
      });
      child.on('error', reject);
      child.on('close', () => resolve(text));
    });
    expect(out).toMatch(/Password for lead: /);
    expect(out).toMatch(/Shared to http:\/\/127\.0\.0\.1:\d+\/prompted: sent \d+/);
    expect(out).not.toContain('terminal-secret');
    for (const name of await readdir(dir, { recursive: true })) {
      const path = join(dir, name);
      const bytes = await readFile(path).catch(() => null);
      if (bytes) expect(bytes.includes('terminal-secret'), name).toBe(false);
    }
  } finally {
    await couch.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
