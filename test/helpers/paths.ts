import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root (this file lives in test/helpers/). */
export const repoRoot = path.resolve(__dirname, '..', '..');

/**
 * The shared folder that sits beside the repository (`../shared`): the real corpus and the
 * training data. `SOURCELENS_SHARED` overrides it. Throws when it cannot be found, so a test
 * that needs it fails loudly instead of passing on nothing.
 */
export function sharedDir(): string {
  const candidates = [process.env.SOURCELENS_SHARED, path.resolve(repoRoot, '..', 'shared'), '/work/shared'];
  for (const c of candidates) {
    if (c && fs.existsSync(path.join(c, 'corpus'))) return c;
  }
  throw new Error(`shared/ not found (tried ${candidates.filter(Boolean).join(', ')}); set SOURCELENS_SHARED`);
}

export function sharedCorpusDir(): string {
  return path.join(sharedDir(), 'corpus');
}

/** Reads one article of the shared corpus by its numeric prefix ("000", "003", …). */
export function readSharedArticle(prefix: string): { name: string; text: string } {
  const dir = sharedCorpusDir();
  const name = fs.readdirSync(dir).find((f) => f.startsWith(prefix));
  if (!name) throw new Error(`no article ${prefix}* in ${dir}`);
  return { name, text: fs.readFileSync(path.join(dir, name), 'utf8') };
}
