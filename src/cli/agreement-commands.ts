import { Command, Option } from 'commander';
import { toCsv } from '../shared/analysis-tables';
import type { Agreement } from '../shared/agreement';
import { escapeMarkdownLine } from '../shared/markdown-escape';
import type { AgreementReport } from '../shared/types';
import { resolveTagName } from '../core/codebook';
import { call } from '../core/handlers';
import type { CommandContext } from './codebook-commands';
import { collect } from './options';

// `glossa coder` (who this library's new highlights are by) and `glossa agreement` (how far coders
// agree). Both call contract methods only.

const number = (x: number | null, digits = 3) => (x === null ? '' : x.toFixed(digits));

const COLUMNS = [
  'code',
  'characters',
  'percent',
  'kappa',
  'alpha',
  'alpha_u',
  'jaccard',
  'coded_by_all',
  'coded_by_none',
];

function row(name: string, a: Agreement): Record<string, string> {
  return {
    code: name,
    characters: String(a.characters),
    percent: number(a.percent),
    kappa: number(a.kappa),
    alpha: number(a.alpha),
    alpha_u: number(a.alphaU ?? null),
    jaccard: number(a.jaccard),
    coded_by_all: String(a.codedBy[a.codedBy.length - 1] ?? 0),
    coded_by_none: String(a.codedBy[0] ?? 0),
  };
}

function markdown(r: AgreementReport): string {
  const lines = [
    `# Agreement: ${r.coders.map(escapeMarkdownLine).join(', ')}`,
    '',
    `${r.documents} document${r.documents === 1 ? '' : 's'}, compared character by character. κ is Cohen's (two coders), α Krippendorff's (nominal, characters as units), αᵤ Krippendorff's for unitizing (1995).`,
    '',
    '| code | characters | % agreement | κ | α | αᵤ | Jaccard |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const line = (name: string, a: Agreement) =>
    `| ${escapeMarkdownLine(name)} | ${a.characters} | ${a.percent === null ? '–' : (a.percent * 100).toFixed(1)} | ${number(a.kappa) || '–'} | ${number(a.alpha) || '–'} | ${number(a.alphaU ?? null) || '–'} | ${number(a.jaccard) || '–'} |`;
  for (const c of r.codes) lines.push(line(c.name, c));
  lines.push(line('all codes', r.overall));
  return `${lines.join('\n')}\n`;
}

export function registerAgreementCommands(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  program
    .command('coder [name]')
    .description('who the highlights made in this library are by (prints it; give a name to set it)')
    .option('--clear', 'make new highlights unattributed again')
    .addOption(ctx.dataDirOption())
    .action(async (name: string | undefined, opts: { clear?: boolean; dataDir?: string }) => {
      const { coder } = await ctx.withHandlers(opts.dataDir, 'glossa coder', (handlers) =>
        name !== undefined || opts.clear
          ? call(handlers, 'setCoder', { coder: opts.clear ? null : (name as string) })
          : call(handlers, 'getCoder', {}),
      );
      io.stdout(coder ? `${coder}\n` : '(no coder set: new highlights are unattributed)\n');
    });

  program
    .command('agreement')
    .description("agreement between coders, per code and overall: percent, Cohen's κ, Krippendorff's α and αᵤ, Jaccard")
    .requiredOption('--coders <names>', 'two or more coder names, comma-separated')
    .option('--code <name>', 'only this code (repeatable)', collect)
    .option('--doc <id>', 'only this document (repeatable)', collect)
    .addOption(new Option('--format <format>', 'md, csv or json').choices(['md', 'csv', 'json']).default('md'))
    .addOption(ctx.dataDirOption())
    .action(
      async (opts: {
        coders: string;
        code?: string[];
        doc?: string[];
        format: 'md' | 'csv' | 'json';
        dataDir?: string;
      }) => {
        const report = await ctx.withHandlers(opts.dataDir, 'glossa agreement', async (handlers) => {
          const codebook = await call(handlers, 'getCodebook', {});
          const tags = opts.code?.map((n) => resolveTagName(codebook, n).id);
          return call(handlers, 'getAgreement', {
            coders: opts.coders.split(',').map((c) => c.trim()),
            ...(tags ? { tags } : {}),
            ...(opts.doc ? { documentIds: opts.doc } : {}),
          });
        });
        if (opts.format === 'json') io.stdout(`${JSON.stringify(report, null, 2)}\n`);
        else if (opts.format === 'csv')
          io.stdout(toCsv([...report.codes.map((c) => row(c.name, c)), row('(all codes)', report.overall)], COLUMNS));
        else io.stdout(markdown(report));
      },
    );
}
