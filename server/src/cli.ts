/**
 * The Sourcelens command line: the same language service as the editor, for batch use, CI and
 * benchmarks.
 *
 *   sourcelens analyze <folder> [--json] [--include GLOB]... [--exclude GLOB]... [--max-file-size BYTES]
 */
import { analyzeFolder, type Report } from './service/report';
import type { LoaderOptions } from './service/loader';

const USAGE = `Usage: sourcelens analyze <folder> [--json] [--include GLOB]... [--exclude GLOB]... [--max-file-size BYTES]

Analyses every article (.txt, .md by default) under <folder> and prints its entities and
numeric claims: a table per article, or with --json one JSON document on stdout.`;

interface Args {
  command?: string;
  folder?: string;
  json: boolean;
  loader: LoaderOptions;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { json: false, loader: {} };
  const include: string[] = [];
  const exclude: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--json') args.json = true;
    else if (a === '--include') include.push(value());
    else if (a === '--exclude') exclude.push(value());
    else if (a === '--max-file-size') {
      const n = Number(value());
      if (!Number.isFinite(n) || n <= 0) throw new UsageError('--max-file-size takes a positive number of bytes');
      args.loader.maxFileSize = n;
    } else if (a === '-h' || a === '--help') args.command = 'help';
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (!args.command) args.command = a;
    else if (!args.folder) args.folder = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  if (include.length) args.loader.include = include;
  if (exclude.length) args.loader.exclude = exclude;
  return args;
}

class UsageError extends Error {}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

function table(rows: string[][], widths: number[], indent = '  '): string {
  return rows.map((r) => indent + r.map((c, i) => pad(clip(c, widths[i]), widths[i])).join('  ').trimEnd()).join('\n');
}

function formatValue(kind: string, value: number | string): string {
  if (typeof value !== 'number') return value;
  if (kind === 'year') return String(value);
  return value.toLocaleString('en-US', { maximumFractionDigits: 4 });
}

export function formatHuman(report: Report): string {
  const out: string[] = [];
  const typeCount = new Map<string, number>();
  for (const e of report.entities) typeCount.set(e.type, (typeCount.get(e.type) ?? 0) + 1);
  for (const doc of report.documents) {
    out.push(`\n━━ ${doc.path} (${doc.length.toLocaleString('en-US')} characters)`);
    const ents = report.entities
      .map((e) => ({ e, n: e.mentions.filter((m) => m.path === doc.path).length }))
      .filter((x) => x.n > 0)
      .sort((a, b) => b.n - a.n || a.e.name.localeCompare(b.e.name));
    out.push(`\n  Entities (${ents.length})`);
    if (ents.length) {
      const rows = [['NAME', 'TYPE', 'HERE', 'ARTICLES', 'ALSO WRITTEN']];
      for (const { e, n } of ents) {
        const articles = new Set(e.mentions.map((m) => m.path)).size;
        rows.push([e.name, e.type, String(n), String(articles), e.aliases.filter((a) => a !== e.name).join(', ')]);
      }
      out.push(table(rows, [40, 12, 5, 9, 40]));
    }
    const claims = report.claims.filter((c) => c.path === doc.path);
    out.push(`\n  Claims (${claims.length}, ${claims.filter((c) => c.checkworthy).length} check-worthy)`);
    if (claims.length) {
      const rows = [['TEXT', 'KIND', 'VALUE', 'UNIT', 'QUALIFIER', 'CHECK']];
      for (const c of claims) {
        rows.push([c.text, c.kind, formatValue(c.kind, c.value), c.unit ?? '', c.qualifier, c.checkworthy ? 'yes' : '']);
      }
      out.push(table(rows, [30, 9, 18, 14, 10, 5]));
    }
  }
  const types = [...typeCount].map(([t, n]) => `${n} ${t}`).join(', ');
  out.push(
    `\n${report.documents.length} articles · ${report.entities.length} entities${types ? ` (${types})` : ''} · ${report.claims.length} claims`,
  );
  return out.join('\n') + '\n';
}

export function main(argv: string[]): number {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`sourcelens: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  if (args.command === 'help' || !args.command) {
    process.stdout.write(USAGE + '\n');
    return args.command ? 0 : 2;
  }
  if (args.command !== 'analyze' && args.command !== 'analyse') {
    process.stderr.write(`sourcelens: unknown command "${args.command}"\n\n${USAGE}\n`);
    return 2;
  }
  if (!args.folder) {
    process.stderr.write(`sourcelens: analyze needs a folder\n\n${USAGE}\n`);
    return 2;
  }
  let result;
  try {
    result = analyzeFolder(args.folder, args.loader);
  } catch (err) {
    process.stderr.write(`sourcelens: ${(err as Error).message}\n`);
    return 1;
  }
  for (const s of result.skipped) process.stderr.write(`sourcelens: skipped ${s.path}: ${s.reason}\n`);
  for (const w of result.warnings) process.stderr.write(`sourcelens: warning: ${w}\n`);
  process.stdout.write(args.json ? JSON.stringify(result.report, null, 2) + '\n' : formatHuman(result.report));
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
