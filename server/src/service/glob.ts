/**
 * A small glob matcher for corpus settings (`**` `*` `?` `{a,b}` `[abc]`), compiled to a linear
 * regular expression. Paths are matched with forward slashes, relative to the workspace folder.
 */

const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  const cached = cache.get(glob);
  if (cached) return cached;
  let re = '';
  let inBraces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more directories; a trailing `**` matches everything below.
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:[^/]*/)*';
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '{') {
      inBraces++;
      re += '(?:';
    } else if (c === '}' && inBraces > 0) {
      inBraces--;
      re += ')';
    } else if (c === ',' && inBraces > 0) {
      re += '|';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) {
        re += '\\[';
      } else {
        const body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
        re += '[' + (body.startsWith('!') ? '^' + body.slice(1) : body) + ']';
        i = close;
      }
    } else {
      re += c.replace(/[.+^$()|\\\]]/g, '\\$&');
    }
  }
  const compiled = new RegExp('^' + re + '$');
  cache.set(glob, compiled);
  return compiled;
}

export function matchesAny(relPath: string, globs: readonly string[]): boolean {
  const p = relPath.replace(/\\/g, '/');
  for (const g of globs) if (globToRegExp(g).test(p)) return true;
  return false;
}

export interface CorpusFilter {
  include: readonly string[];
  exclude: readonly string[];
}

export const DEFAULT_INCLUDE: readonly string[] = ['**/*.txt', '**/*.md'];
export const DEFAULT_EXCLUDE: readonly string[] = ['**/node_modules/**', '**/.git/**', '**/.sourcelens/**'];

/** Whether a path (relative to its workspace folder) belongs to the corpus. */
export function inCorpus(relPath: string, filter: CorpusFilter): boolean {
  return matchesAny(relPath, filter.include) && !matchesAny(relPath, filter.exclude);
}
