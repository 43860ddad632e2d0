import { readFile } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import { FREQUENCY_COLUMNS, PAIR_COLUMNS, frequencyRows, pairRows, toCsv } from '../shared/analysis-tables';
import { treeRows } from '../shared/codebook';
import { GlossaError } from '../shared/errors';
import { MAX_PASSAGE_PAGE } from '../shared/limits';
import type { Codebook, Passage, Tag } from '../shared/types';
import { resolveTagName } from '../core/codebook';
import { call, type Handlers } from '../core/handlers';
import type { CliIo, OpenOptions } from './cli';
import { collect } from './options';

// The codebook, retrieval, memo and analysis commands. Each resolves the names a person types
// (any case) and calls contract methods; nothing here writes the library any other way.

export interface CommandContext {
  io: CliIo;
  withHandlers: <T>(
    dataDir: string | undefined,
    owner: string,
    work: (handlers: Handlers) => Promise<T>,
    options?: OpenOptions,
  ) => Promise<T>;
  dataDirOption: () => Option;
}

const codebookOf = (handlers: Handlers): Promise<Codebook> => call(handlers, 'getCodebook', {});

/** Highlights per code over the documents not in the trash. */
async function countsByTag(handlers: Handlers): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const d of await call(handlers, 'listDocuments', {})) {
    for (const [t, n] of Object.entries(d.tagCounts)) counts.set(t, (counts.get(t) ?? 0) + n);
  }
  return counts;
}

function printTag(ctx: CommandContext, verb: string, tag: Tag | undefined): void {
  if (tag) ctx.io.stdout(`${verb} “${tag.name}” (${tag.id})\n`);
}

function registerTags(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  const tags = program
    .command('tags')
    .description('the codebook as a tree (name, colour, highlights); subcommands change it')
    .option('--json', 'print JSON: [{id, name, color, parent, description, count}]')
    .addOption(ctx.dataDirOption())
    .passThroughOptions()
    .action(async (opts: { json?: boolean; dataDir?: string }) => {
      const { codebook, counts } = await ctx.withHandlers(opts.dataDir, 'glossa tags', async (handlers) => ({
        codebook: await codebookOf(handlers),
        counts: await countsByTag(handlers),
      }));
      const rows = treeRows(codebook);
      if (opts.json) {
        const list = rows.map(({ tag }) => ({
          id: tag.id,
          name: tag.name,
          color: tag.color,
          parent: tag.parent ?? null,
          description: tag.description ?? '',
          count: counts.get(tag.id) ?? 0,
        }));
        io.stdout(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      for (const { tag, depth } of rows) {
        io.stdout(`${'  '.repeat(depth)}${tag.name}  ${tag.color}  ${counts.get(tag.id) ?? 0}\n`);
      }
    });

  tags
    .command('add')
    .description('create a code')
    .argument('<name>')
    .option('--color <#rrggbb>', 'its colour (default: the next distinct one)')
    .option('--parent <name>', 'nest it under this code')
    .option('--description <text>', 'what the code means, when to use it (Markdown)')
    .addOption(ctx.dataDirOption())
    .action(async (name: string, opts: { color?: string; parent?: string; description?: string; dataDir?: string }) => {
      const result = await ctx.withHandlers(opts.dataDir, 'glossa tags add', async (handlers) => {
        const parent = opts.parent ? resolveTagName(await codebookOf(handlers), opts.parent).id : undefined;
        return call(handlers, 'createTag', { name, color: opts.color, parent, description: opts.description });
      });
      printTag(ctx, 'Created', result.tag);
    });

  tags
    .command('rename')
    .description('rename a code (its highlights keep it)')
    .argument('<name>')
    .argument('<new-name>')
    .addOption(ctx.dataDirOption())
    .action(async (name: string, next: string, opts: { dataDir?: string }) => {
      const result = await ctx.withHandlers(opts.dataDir, 'glossa tags rename', async (handlers) => {
        const tag = resolveTagName(await codebookOf(handlers), name);
        return call(handlers, 'updateTag', { tagId: tag.id, name: next });
      });
      printTag(ctx, 'Renamed to', result.tag);
    });

  tags
    .command('move')
    .description('nest a code under another, or move it to the top level')
    .argument('<name>')
    .option('--parent <name>', 'the code to nest it under')
    .option('--root', 'move it to the top level')
    .addOption(ctx.dataDirOption())
    .action(async (name: string, opts: { parent?: string; root?: boolean; dataDir?: string }) => {
      if (Boolean(opts.parent) === Boolean(opts.root)) {
        throw new GlossaError('INVALID_INPUT', 'Give exactly one of --parent <name> or --root.');
      }
      const result = await ctx.withHandlers(opts.dataDir, 'glossa tags move', async (handlers) => {
        const codebook = await codebookOf(handlers);
        const tag = resolveTagName(codebook, name);
        const parent = opts.parent ? resolveTagName(codebook, opts.parent).id : null;
        if ((tag.parent ?? null) === parent) return null;
        return call(handlers, 'updateTag', { tagId: tag.id, parent });
      });
      if (result) printTag(ctx, 'Moved', result.tag);
      else io.stdout('Already there; nothing changed.\n');
    });

  tags
    .command('merge')
    .description('merge a code into another: its highlights get the other code, then it is gone')
    .argument('<from>')
    .argument('<into>')
    .addOption(ctx.dataDirOption())
    .action(async (from: string, into: string, opts: { dataDir?: string }) => {
      const result = await ctx.withHandlers(opts.dataDir, 'glossa tags merge', async (handlers) => {
        const codebook = await codebookOf(handlers);
        return call(handlers, 'mergeTags', {
          from: resolveTagName(codebook, from).id,
          into: resolveTagName(codebook, into).id,
        });
      });
      io.stdout(
        `Merged into “${result.tag?.name}”: ${result.applied.highlights} highlight(s) in ${result.applied.documents} document(s)\n`,
      );
    });

  tags
    .command('delete')
    .description('delete a code: its highlights lose it; those left with no code are deleted')
    .argument('<name>')
    .option('--yes', 'do it (without this, only says what would be removed)')
    .addOption(ctx.dataDirOption())
    .action(async (name: string, opts: { yes?: boolean; dataDir?: string }) => {
      await ctx.withHandlers(opts.dataDir, 'glossa tags delete', async (handlers) => {
        const tag = resolveTagName(await codebookOf(handlers), name);
        const usage = await call(handlers, 'getTagUsage', { tagId: tag.id });
        const what =
          `“${tag.name}” is on ${usage.highlights} highlight(s) in ${usage.documents} document(s); ` +
          `${usage.emptied} of them have no other code and would be deleted` +
          (usage.children > 0 ? `; its ${usage.children} sub-code(s) would move up a level` : '');
        if (!opts.yes) {
          io.stderr(`${what}.\nNothing was changed; run again with --yes to delete it.\n`);
          throw new CommanderError(1, 'glossa.tags.delete', '');
        }
        const result = await call(handlers, 'deleteTag', { tagId: tag.id });
        io.stdout(
          `Deleted “${tag.name}”: ${result.applied.highlights} highlight(s) lost it, ${result.applied.deleted} deleted\n`,
        );
      });
    });
}

function attributeFilters(values: string[] | undefined): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  return Object.fromEntries(
    values.map((v) => {
      const at = v.indexOf('=');
      if (at <= 0) throw new GlossaError('INVALID_INPUT', `--where takes key=value, not "${v}".`);
      return [v.slice(0, at).trim(), v.slice(at + 1).trim()];
    }),
  );
}

function registerPassages(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  program
    .command('passages')
    .description(
      'highlights across the library that match a query: codes joined by and, or, not, overlapping ("two words" quoted)',
    )
    .argument('<query>')
    .option('--doc <id>', 'only this document (repeatable)', collect)
    .option('--where <key=value>', 'only documents with this attribute value (repeatable)', collect)
    .addOption(new Option('--format <format>', 'md, csv or json').choices(['md', 'csv', 'json']).default('md'))
    .addOption(ctx.dataDirOption())
    .action(async (query: string, opts: { doc?: string[]; where?: string[]; format: string; dataDir?: string }) => {
      const attributes = attributeFilters(opts.where);
      const out = await ctx.withHandlers(opts.dataDir, 'glossa passages', async (handlers) => {
        // Every page: a program reading this wants them all.
        const passages: Passage[] = [];
        for (;;) {
          const page = await call(handlers, 'queryPassages', {
            query,
            documentIds: opts.doc,
            attributes,
            offset: passages.length,
            limit: MAX_PASSAGE_PAGE,
          });
          passages.push(...page.passages);
          if (page.passages.length === 0 || passages.length >= page.total) break;
        }
        if (opts.format === 'json') return `${JSON.stringify(passages, null, 2)}\n`;
        if (passages.length === 0) {
          return opts.format === 'csv' ? '' : `_No passages match ${query.replace(/[\\`*_[\]<>#]/g, '\\$&')}._\n`;
        }
        const file = await call(handlers, 'exportFile', {
          scope: { query, documentIds: opts.doc, attributes },
          format: opts.format as 'md' | 'csv',
        });
        return file.content;
      });
      io.stdout(out);
    });
}

function registerMemo(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  program
    .command('memo')
    .description("print or set a memo: a document's, a code's (--code) or the project's (--project)")
    .argument('[doc-id]')
    .option('--code <name>', "a code's memo")
    .option('--project', "the project's memo (research journal)")
    .option('--set <text>', 'replace the memo with this text (empty: remove it)')
    .option('--file <path>', 'replace the memo with this file (Markdown)')
    .addOption(ctx.dataDirOption())
    .action(
      async (
        docId: string | undefined,
        opts: { code?: string; project?: boolean; set?: string; file?: string; dataDir?: string },
      ) => {
        if ([docId, opts.code, opts.project].filter(Boolean).length !== 1) {
          throw new GlossaError('INVALID_INPUT', 'Name exactly one memo: a document id, --code <name> or --project.');
        }
        if (opts.set !== undefined && opts.file !== undefined) {
          throw new GlossaError('INVALID_INPUT', 'Give --set or --file, not both.');
        }
        const text =
          opts.file !== undefined
            ? await readFile(opts.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
                throw new GlossaError('INVALID_INPUT', `Could not read ${opts.file}: ${error.code ?? error.message}.`);
              })
            : opts.set;
        const memo = await ctx.withHandlers(opts.dataDir, 'glossa memo', async (handlers) => {
          const target = opts.project
            ? ({ kind: 'project' } as const)
            : opts.code
              ? ({ kind: 'code', tagId: resolveTagName(await codebookOf(handlers), opts.code).id } as const)
              : ({ kind: 'document', documentId: docId as string } as const);
          if (text !== undefined) return call(handlers, 'setMemo', { target, text });
          if (target.kind === 'document') await call(handlers, 'getDocument', { documentId: target.documentId });
          const memos = await call(handlers, 'getMemos', {});
          return target.kind === 'project'
            ? memos.project
            : target.kind === 'code'
              ? memos.codes[target.tagId]
              : memos.documents[target.documentId];
        });
        if (text !== undefined) io.stderr(text.trim() ? 'Memo saved.\n' : 'Memo removed.\n');
        else if (memo?.text) io.stdout(memo.text.endsWith('\n') ? memo.text : `${memo.text}\n`);
      },
    );
}

function registerAnalyze(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  const format = () => new Option('--format <format>', 'csv or json').choices(['csv', 'json']).default('csv');
  const analyze = program
    .command('analyze')
    .description('code frequencies per document (or attribute value): highlights, characters, coverage')
    .addOption(format())
    .option('--by <grouping>', 'document, or attribute:<key>', 'document')
    .addOption(ctx.dataDirOption())
    .passThroughOptions()
    .action(async (opts: { format: string; by: string; dataDir?: string }) => {
      let attribute: string | undefined;
      if (opts.by.startsWith('attribute:')) attribute = opts.by.slice('attribute:'.length);
      else if (opts.by !== 'document') {
        throw new GlossaError('INVALID_INPUT', `--by takes document or attribute:<key>, not "${opts.by}".`);
      }
      const rows = await ctx.withHandlers(opts.dataDir, 'glossa analyze', async (handlers) => {
        const analysis = await call(handlers, 'getAnalysis', { attribute });
        return frequencyRows(analysis, await codebookOf(handlers));
      });
      io.stdout(opts.format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : toCsv(rows, FREQUENCY_COLUMNS));
    });
  analyze
    .command('cooccurrence')
    .description('for each pair of codes: highlights with both, overlapping highlight pairs, shared characters')
    .addOption(format())
    .addOption(ctx.dataDirOption())
    .action(async (opts: { format: string; dataDir?: string }) => {
      const rows = await ctx.withHandlers(opts.dataDir, 'glossa analyze', async (handlers) => {
        const analysis = await call(handlers, 'getAnalysis', {});
        return pairRows(analysis, await codebookOf(handlers));
      });
      io.stdout(opts.format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : toCsv(rows, PAIR_COLUMNS));
    });
}

export function registerCodebookCommands(program: Command, ctx: CommandContext): void {
  registerTags(program, ctx);
  registerPassages(program, ctx);
  registerMemo(program, ctx);
  registerAnalyze(program, ctx);
}
