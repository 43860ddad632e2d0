import type { Command } from 'commander';
import { GlossaError } from '../shared/errors';
import type { ProjectStatus, SyncReport } from '../shared/project-docs';
import { call } from '../core/handlers';
import type { CommandContext } from './codebook-commands';
import { splitProjectUrl } from '../core/sync/remote';
import { coderDatabase } from '../core/sync/blind';

// `glossa project share|join|sync|status`: team projects over CouchDB replication, each a contract
// method. The password comes from GLOSSA_PASSWORD or is asked for on the terminal; it is never an
// option (options end up in shell history and process lists) and never printed.

interface Who {
  user?: string;
  coder?: string;
  dataDir?: string;
}

async function passwordFor(ctx: CommandContext, user: string | undefined): Promise<string | undefined> {
  if (!user) return undefined;
  const fromEnv = ctx.io.env.GLOSSA_PASSWORD;
  if (fromEnv !== undefined) return fromEnv;
  if (ctx.io.askSecret) return ctx.io.askSecret(`Password for ${user}: `);
  throw new GlossaError(
    'INVALID_INPUT',
    `A password is needed for ${user}: set GLOSSA_PASSWORD, or run this in a terminal to be asked for it.`,
  );
}

function printReport(ctx: CommandContext, verb: string, r: SyncReport): void {
  const lines = [
    `${verb} ${r.server}/${r.db}: sent ${r.pushed}, received ${r.pulled}, applied ${r.applied}.`,
    ...r.refused.map((x) => `refused ${x.id}: ${x.problem}`),
    ...(r.conflicts.length > 0
      ? [`${r.conflicts.length} conflict${r.conflicts.length === 1 ? '' : 's'} to settle: ${r.conflicts.join(', ')}`]
      : []),
  ];
  ctx.io.stdout(`${lines.join('\n')}\n`);
}

function printStatus(ctx: CommandContext, s: ProjectStatus | null, coder: string | null): void {
  if (!s) {
    ctx.io.stdout('This library is not a team project (glossa project share, or join one).\n');
    return;
  }
  const when = s.lastSync ? `last synced ${s.lastSync}` : 'never synced';
  const lines = [
    `${s.server}/${s.db}${s.user ? ` as ${s.user}` : ''}`,
    `${s.state}: ${when}${s.message ? ` (${s.message})` : ''}`,
    ...(s.blind
      ? [
          `blind coding: each coder's highlights stay in their own database until revealed${coder ? ` (yours: ${coderDatabase(s.db, coder)})` : ''}`,
        ]
      : []),
    `${s.conflicts.length} conflict${s.conflicts.length === 1 ? '' : 's'}, ${s.refused.length} refused change${s.refused.length === 1 ? '' : 's'}`,
    ...s.conflicts.map((id) => `conflict ${id}`),
    ...s.refused.map((x) => `refused ${x.id}: ${x.problem}`),
  ];
  ctx.io.stdout(`${lines.join('\n')}\n`);
}

export function registerProjectCommands(program: Command, ctx: CommandContext): void {
  const project = program.command('project').description('team projects: share, join and sync through CouchDB');

  project
    .command('share')
    .description('make this library a team project on a CouchDB server and send everything in it')
    .requiredOption('--server <url>', 'the CouchDB server, e.g. https://couch.example.org')
    .requiredOption('--db <name>', "the project's database (created when missing)")
    .option('--user <name>', 'CouchDB account; also the coder name unless --coder is given')
    .option('--coder <name>', 'name on the highlights made in this library')
    .addOption(ctx.dataDirOption())
    .action(async (opts: Who & { server: string; db: string }) => {
      const password = await passwordFor(ctx, opts.user);
      const report = await ctx.withHandlers(opts.dataDir, 'glossa project share', async (handlers) => {
        const coder = opts.coder ?? opts.user;
        if (coder) await call(handlers, 'setCoder', { coder });
        return call(handlers, 'shareProject', { server: opts.server, db: opts.db, user: opts.user, password });
      });
      printReport(ctx, 'Shared to', report);
    });

  project
    .command('join <project>')
    .description('make a new library a copy of a team project given as <server>/<db>')
    .option('--user <name>', 'CouchDB account; also the coder name unless --coder is given')
    .option('--coder <name>', 'name on the highlights made in this library')
    .addOption(ctx.dataDirOption().makeOptionMandatory())
    .action(async (address: string, opts: Who) => {
      const { server, db } = splitProjectUrl(address);
      const password = await passwordFor(ctx, opts.user);
      const report = await ctx.withHandlers(
        opts.dataDir,
        'glossa project join',
        async (handlers) => {
          const joined = await call(handlers, 'joinProject', { server, db, user: opts.user, password });
          const coder = opts.coder ?? opts.user;
          if (coder) await call(handlers, 'setCoder', { coder });
          return joined;
        },
        { seed: false },
      );
      printReport(ctx, 'Joined', report);
    });

  project
    .command('sync')
    .description('sync once both ways and exit when both sides are caught up')
    .addOption(ctx.dataDirOption())
    .action(async (opts: Who) => {
      const report = await ctx.withHandlers(opts.dataDir, 'glossa project sync', async (handlers) => {
        const { project: status } = await call(handlers, 'getProjectStatus', {});
        const password = await passwordFor(ctx, status?.user);
        return call(handlers, 'syncProject', { password });
      });
      printReport(ctx, 'Synced with', report);
    });

  project
    .command('blind <on-or-off>')
    .description("blind coding: keep each coder's highlights out of the shared database until turned off (the reveal)")
    .addOption(ctx.dataDirOption())
    .action(async (state: string, opts: Who) => {
      if (state !== 'on' && state !== 'off') throw new GlossaError('INVALID_INPUT', 'Say on or off.');
      const report = await ctx.withHandlers(opts.dataDir, 'glossa project blind', async (handlers) => {
        const { project: status } = await call(handlers, 'getProjectStatus', {});
        const password = await passwordFor(ctx, status?.user);
        return call(handlers, 'setProjectBlind', { blind: state === 'on', password });
      });
      printReport(ctx, `Blind coding ${state === 'on' ? 'on' : 'off (revealed)'};`, report);
    });

  project
    .command('status')
    .description('the project, the last sync and what waits to be settled (without contacting the server)')
    .option('--json', 'print JSON')
    .addOption(ctx.dataDirOption())
    .action(async (opts: Who & { json?: boolean }) => {
      const [{ project: status }, { coder }] = await ctx.withHandlers(
        opts.dataDir,
        'glossa project status',
        (handlers) => Promise.all([call(handlers, 'getProjectStatus', {}), call(handlers, 'getCoder', {})]),
      );
      if (opts.json) ctx.io.stdout(`${JSON.stringify(status, null, 2)}\n`);
      else printStatus(ctx, status, coder);
    });
}
