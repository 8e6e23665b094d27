/**
 * Sourcelens end to end, in a real VS Code (code-server 4.100.3) driven by headless Chromium,
 * the way a person uses it: open the shared corpus, look at the underlines, hover, find
 * references, go to definition, browse the Entities view, read the status bar.
 *
 *   bash test/e2e/setup.sh                         # once (idempotent): Chromium, ripgrep, code-server
 *   node --import tsx --test test/e2e/e2e.test.ts  # packages the extension (npm run package) and runs
 *
 * Each step saves test/e2e/screenshots/<nn>-<step>.png (…-FAILED.png when it fails). Logs of
 * the last runs (code-server, extension host, the Sourcelens output) stay in test/e2e/.work/.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { SERVER_ENV_DEFAULTS, SERVER_EXEC_ARGV } from '../../server/src/launch';
import { sharedCorpusDir } from '../helpers/paths';
import {
  activeEditor,
  activeTab,
  cursorPosition,
  ensureCodeServer,
  goToLine,
  hoverOver,
  killTree,
  launchBrowser,
  log,
  MOD,
  newRunDir,
  packageExtension,
  quickOpen,
  runCommand,
  screenshot,
  setDiagnostics,
  sourcelensErrors,
  startCodeServer,
  statusBarItem,
  step,
  textRect,
  tokenStyle,
  waitFor,
  type CodeServer,
} from './harness';

const corpus = sharedCorpusDir();
const articleFiles = fs.readdirSync(corpus).filter((f) => f.endsWith('.txt')).sort();

function article(prefix: string): { name: string; lines: string[] } {
  const name = articleFiles.find((f) => f.startsWith(prefix) || f === prefix);
  if (!name) throw new Error(`no article ${prefix}* in ${corpus}`);
  return { name, lines: fs.readFileSync(path.join(corpus, name), 'utf8').split(/\r?\n/) };
}

/** The 1-based line of the first line containing `needle` (after `afterLine`). */
function lineOf(prefix: string, needle: string, afterLine = 0): number {
  const i = article(prefix).lines.findIndex((l, n) => n >= afterLine && l.includes(needle));
  if (i < 0) throw new Error(`"${needle}" not in ${prefix}`);
  return i + 1;
}

/** The name of the file in the active editor tab. */
async function activeFile(page: Page): Promise<string> {
  return (await page.locator('.tabs-container .tab.active .label-name').first().innerText()).trim();
}

/**
 * The text selected in the active editor, read back from the file on disk with the cursor
 * position and selection length the status bar shows ("Ln 9, Col 38 (21 selected)").
 * Returns both readings (cursor at the end or at the start of the selection).
 */
async function selectedText(page: Page): Promise<{ file: string; line: number; candidates: string[] } | undefined> {
  const pos = await cursorPosition(page);
  if (!pos || pos.selected === 0) return undefined;
  const file = await activeFile(page);
  const name = articleFiles.find((f) => f === file);
  if (!name) return undefined;
  const text = article(name).lines[pos.line - 1] ?? '';
  const c = pos.column - 1;
  return { file, line: pos.line, candidates: [text.slice(c - pos.selected, c), text.slice(c, c + pos.selected)] };
}

describe('Sourcelens in code-server', { timeout: 20 * 60_000 }, () => {
  let cs: CodeServer | undefined;
  let browser: BrowserContext | undefined;
  let page: Page;

  // Whatever happens, code-server (with its extension host and our language server) goes.
  const killOnExit = () => {
    if (cs?.proc.pid) {
      try {
        process.kill(-cs.proc.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  };

  before(async () => {
    process.once('exit', killOnExit);
    const t0 = Date.now();
    const entry = ensureCodeServer();
    const vsix = packageExtension();
    log(`setup and packaging took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const runDir = newRunDir();
    cs = await startCodeServer(entry, vsix, runDir);
    const userDataDir = cs.userDataDir;
    setDiagnostics(() => sourcelensErrors(userDataDir));
    browser = await launchBrowser(runDir);
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(15_000);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    if (cs) {
      // Keep the Sourcelens output and extension host log next to the screenshots' run.
      await killTree(cs.proc);
      log(`code-server stopped; logs in ${path.dirname(cs.logFile)}`);
    }
    process.removeListener('exit', killOnExit);
  });

  it('opens the corpus folder and trusts it', async () => {
    await step(page, 'open-folder', 90_000, async () => {
      await page.goto(`${cs!.url}/?folder=${encodeURIComponent(corpus)}`);
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
      // Workspace trust: the modal asks once per folder; answer as the person would.
      const trust = page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Yes, I trust the authors' });
      await trust.waitFor({ state: 'visible', timeout: 60_000 });
      await trust.click();
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: articleFiles[0] }).waitFor({ state: 'visible', timeout: 30_000 });
    });
  });

  it('the status bar shows "Sourcelens: 5 articles"', async () => {
    await step(page, 'status-bar', 90_000, async () => {
      const text = await statusBarItem(page, new RegExp(`^Sourcelens: ${articleFiles.length} articles\\b`), 80_000).catch(async (err) => {
        const now = await statusBarItem(page, /Sourcelens/, 1_000).catch(() => '(no Sourcelens item)');
        throw new Error(`${err.message}; the Sourcelens item reads "${now}"`);
      });
      assert.match(text, new RegExp(`^Sourcelens: ${articleFiles.length} articles · \\d+ entit(y|ies) · \\d+ claims?$`), text);
    });
  });

  it('the index is saved in the workspace storage for the next start', async () => {
    await step(page, 'index-saved', 60_000, async () => {
      // <user-data>/User/workspaceStorage/<workspace>/<extension>/index/{analyses.bin,index.bin}
      const storage = path.join(cs!.userDataDir, 'User', 'workspaceStorage');
      const find = (name: string): string | undefined => {
        const walk = (dir: string, depth: number): string | undefined => {
          let entries: fs.Dirent[];
          try {
            entries = fs.readdirSync(dir, { withFileTypes: true });
          } catch {
            return undefined;
          }
          for (const e of entries) {
            const p = path.join(dir, e.name);
            if (e.isFile() && e.name === name && path.basename(dir) === 'index') return p;
            if (e.isDirectory() && depth < 4) {
              const hit = walk(p, depth + 1);
              if (hit) return hit;
            }
          }
          return undefined;
        };
        return walk(storage, 0);
      };
      const files = await waitFor('the analysis cache and the index snapshot in the workspace storage', async () => {
        const a = find('analyses.bin');
        const b = find('index.bin');
        return a && b ? { a, b } : undefined;
      }, 50_000);
      assert.ok(fs.statSync(files.a).size > 0 && fs.statSync(files.b).size > 0);
    });
  });

  it('the language server runs with the node flags and environment the extension gives it (launch.ts)', async () => {
    await step(page, 'server-flags', 30_000, async () => {
      // The server: a process whose command line runs the installed extension's dist/server.js.
      const server = await waitFor('the Sourcelens language server process', async () => {
        for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
          try {
            const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
            if (cmd.some((a) => a.startsWith(cs!.extensionsDir) && a.endsWith(path.join('dist', 'server.js')))) return { pid, cmd };
          } catch {
            // gone, or not ours to read
          }
        }
        return undefined;
      }, 20_000);
      for (const flag of SERVER_EXEC_ARGV) assert.ok(server.cmd.includes(flag), `${flag} not on the server's command line: ${server.cmd.join(' ')}`);
      const env = fs.readFileSync(`/proc/${server.pid}/environ`, 'utf8').split('\0');
      for (const [k, v] of Object.entries(SERVER_ENV_DEFAULTS)) assert.ok(env.includes(`${k}=${v}`), `${k}=${v} not in the server's environment`);
    });
  });

  it('000: "Azamat Beispekov" is an Article and is underlined', async () => {
    await step(page, 'underline-person', 60_000, async () => {
      const a = article('000');
      await quickOpen(page, a.name);
      // The client gives corpus .txt files the Article language.
      await statusBarItem(page, /^Article$/, 15_000);
      await goToLine(page, lineOf('000', 'Azamat Beispekov'));
      let seen: unknown;
      const style = await waitFor(
        '"Azamat Beispekov" rendered with an underline (a semantic token)',
        async () => {
          const s = await tokenStyle(page, 'Azamat Beispekov');
          seen = s?.spans;
          return s && s.spans.length > 0 && s.spans.every((sp) => sp.decoration.includes('underline')) ? s : undefined;
        },
        40_000,
        500,
      ).catch((err) => {
        throw new Error(`${err.message}; rendered as ${JSON.stringify(seen)}`);
      });
      // The rest of the line is not underlined: the underline is the entity's, not the line's.
      const plain = await tokenStyle(page, 'proposes enhanced cooperation');
      assert.ok(plain && plain.spans.every((sp) => !sp.decoration.includes('underline')), `plain text not underlined: ${JSON.stringify(plain)}`);
      log(`"Azamat Beispekov": ${JSON.stringify(style.spans)}`);
    });
  });

  it('000: the hover card on "Azamat Beispekov" says person', async () => {
    await step(page, 'hover-person', 45_000, async () => {
      await activeTab(page, '000_');
      const text = await hoverOver(page, 'Azamat Beispekov', /person/i, 40_000);
      log(`hover: ${text.replace(/\s+/g, ' ').slice(0, 300)}`);
      assert.match(text, /Beispekov/);
    });
    await page.keyboard.press('Escape');
    await page.mouse.move(5, 5);
  });

  it('003: Find All References on "Yerkin Tukumov" lists 002, which writes "Erkin Tukumov"', async () => {
    await step(page, 'references', 60_000, async () => {
      const a = article('003');
      await quickOpen(page, a.name);
      const line = lineOf('003', 'Yerkin Tukumov');
      await goToLine(page, line);
      const r = await waitFor('"Yerkin Tukumov" on screen', () => textRect(page, 'Yerkin Tukumov'), 10_000);
      await page.mouse.click(r.x + 10, r.y + r.height / 2);
      await waitFor(`the cursor in "Yerkin Tukumov" (line ${line})`, async () => (await cursorPosition(page))?.line === line, 5_000);
      await runCommand(page, 'References: Find All References');
      const b = article('002');
      // Only what is on screen: the Explorer's hidden rows stay in the DOM.
      const sidebar = page.locator('#workbench\\.parts\\.sidebar');
      const visibleRows = () => sidebar.locator('.monaco-list-row:visible');
      await waitFor(
        `${b.name} among the references in the References view`,
        async () => {
          const rows = await visibleRows().allInnerTexts();
          return rows.some((t) => t.includes(b.name)) ? rows : undefined;
        },
        40_000,
      );
      // The row for 002 expands to the mention as it is written there: "Erkin", not "Yerkin".
      const fileRow = visibleRows().filter({ hasText: b.name }).first();
      const erkinRow = async () => (await visibleRows().allInnerTexts()).find((t) => /(^|[^Y])Erkin Tukumov/.test(t));
      if (!(await erkinRow())) await fileRow.locator('.monaco-tl-twistie').click();
      const written = await waitFor('a reference in 002 that reads "Erkin Tukumov"', erkinRow, 15_000).catch(async (err) => {
        throw new Error(`${err.message}; 002's row: aria-expanded=${await fileRow.getAttribute('aria-expanded')}`);
      });
      const rows = await visibleRows().allInnerTexts();
      log(`references: ${rows.map((t) => t.replace(/\s+/g, ' ')).join(' | ').slice(0, 400)}`);
      assert.match(written, /Erkin Tukumov/);
    });
  });

  it('004: Go to Definition (F12) on "Tokayev" goes to a mention of Tokayev', async () => {
    await step(page, 'definition', 45_000, async () => {
      const a = article('004');
      await quickOpen(page, a.name);
      const line = lineOf('004', 'Tokayev hailed');
      await goToLine(page, line);
      const r = await waitFor('"Tokayev hailed" on screen', () => textRect(page, 'Tokayev hailed'), 10_000);
      await page.mouse.click(r.x + 15, r.y + r.height / 2);
      await waitFor(`the cursor in "Tokayev" (line ${line})`, async () => (await cursorPosition(page))?.line === line, 5_000);
      const start = { file: await activeFile(page), line };
      await page.keyboard.press('F12');
      // VS Code puts the cursor at the start of the definition's range; read the text there.
      const target = await waitFor(
        'the cursor at a mention of Tokayev elsewhere after F12',
        async () => {
          const pos = await cursorPosition(page);
          const file = await activeFile(page);
          if (!pos || (file === start.file && pos.line === start.line)) return undefined;
          const text = article(file).lines[pos.line - 1] ?? '';
          const from = text.slice(pos.column - 1 - pos.selected, pos.column - 1 + 40);
          return /^[\p{L}\p{M}'’. -]{0,30}Tokayev/u.test(from) ? { file, line: pos.line, text: from } : undefined;
        },
        30_000,
      );
      log(`definition: ${target.file}:${target.line} "${target.text}" (from ${start.file}:${start.line})`);
    });
  });

  it('the Entities view expands down to a mention that opens the article with it selected', async () => {
    await step(page, 'entities-view', 60_000, async () => {
      await page.locator('.activitybar .action-item a[aria-label^="Sourcelens"], .activitybar .action-item .action-label[aria-label^="Sourcelens"]').first().click();
      const view = page.locator('#workbench\\.parts\\.sidebar .pane', { has: page.locator('.pane-header', { hasText: 'Entities' }) });
      await view.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: 20_000 });
      // Narrow the list with the view's filter, as a person looking for one name would.
      await runCommand(page, 'Sourcelens: Filter Entities…');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
      await input.fill('Beispekov');
      await page.keyboard.press('Enter');
      const entity = view.locator('.monaco-list-row[aria-level="2"]', { hasText: 'Azamat Beispekov' });
      await entity.waitFor({ state: 'visible', timeout: 20_000 });
      await entity.click();
      const articleRow = view.locator('.monaco-list-row[aria-level="3"]').first();
      await articleRow.waitFor({ state: 'visible', timeout: 15_000 });
      await articleRow.click();
      const mention = view.locator('.monaco-list-row[aria-level="4"]').first();
      await mention.waitFor({ state: 'visible', timeout: 15_000 });
      const mentionLabel = (await mention.innerText()).replace(/\s+/g, ' ');
      await screenshot(page, 'entities-expanded');
      await mention.click();
      const sel = await waitFor(
        'the article open with "Azamat Beispekov" selected',
        async () => {
          const s = await selectedText(page);
          return s && s.candidates.includes('Azamat Beispekov') ? s : undefined;
        },
        20_000,
      );
      log(`entity view: clicked "${mentionLabel.slice(0, 80)}" → ${sel.file}:${sel.line}`);
      await activeEditor(page).waitFor({ state: 'visible' });
    });
  });

  it('003: "Reveal in Entities" from the editor context menu selects the mention in the view', async () => {
    await step(page, 'reveal-in-entities', 45_000, async () => {
      await quickOpen(page, article('003').name);
      const line = lineOf('003', 'Yerkin Tukumov');
      await goToLine(page, line);
      const r = await waitFor('"Yerkin Tukumov" on screen', () => textRect(page, 'Yerkin Tukumov'), 10_000);
      await page.mouse.click(r.x + 10, r.y + r.height / 2);
      await page.mouse.click(r.x + 10, r.y + r.height / 2, { button: 'right' });
      const item = page.locator('.monaco-menu .action-item', { hasText: 'Reveal in Entities' }).first();
      await item.waitFor({ state: 'visible', timeout: 10_000 });
      // The menu ignores a click that comes right after it opened: point at the item until
      // it is focused, then choose it with Enter.
      await waitFor(
        '"Reveal in Entities" focused in the context menu',
        async () => {
          await item.hover();
          return /\bfocused\b/.test((await item.getAttribute('class')) ?? '');
        },
        5_000,
      );
      await page.keyboard.press('Enter');
      await item.waitFor({ state: 'hidden', timeout: 5_000 });
      // The view drops the "Beispekov" filter of the previous step, which would hide the entity.
      const view = page.locator('#workbench\\.parts\\.sidebar .pane', { has: page.locator('.pane-header', { hasText: 'Entities' }) });
      const selected = await waitFor(
        'the mention selected in the Entities view',
        async () => {
          const rows = view.locator('.monaco-list-row[aria-selected="true"]:visible');
          const texts = await rows.allInnerTexts();
          return texts.find((t) => /Tukumov/.test(t)) ? { texts, level: await rows.first().getAttribute('aria-level') } : undefined;
        },
        20_000,
      );
      assert.equal(selected.level, '4', `a mention row is selected (${JSON.stringify(selected)})`);
      await view.locator('.monaco-list-row[aria-level="2"]:visible', { hasText: 'Tukumov' }).first().waitFor({ state: 'visible', timeout: 5_000 });
      log(`revealed: ${selected.texts.join(' | ').replace(/\s+/g, ' ').slice(0, 200)}`);
    });
  });

  it('004: the hover card on "$854.4 million" describes the claim', async () => {
    await step(page, 'hover-claim', 60_000, async () => {
      const a = article('004');
      await quickOpen(page, a.name);
      await goToLine(page, lineOf('004', '$854.4 million'));
      const text = await hoverOver(page, '$854.4 million', /854[.,]4|854,400,000/, 40_000);
      log(`hover: ${text.replace(/\s+/g, ' ').slice(0, 300)}`);
      assert.match(text, /money|USD|\$|dollar/i);
    });
    await page.keyboard.press('Escape');
  });

  it('switching "person" off in the Settings editor removes the underline without a reload', async () => {
    const underlined = async (text: string) => {
      const st = await tokenStyle(page, text);
      return st && st.spans.length > 0 ? st.spans.every((sp) => sp.decoration.includes('underline')) : undefined;
    };
    /** Opens the Settings editor on sourcelens.entityTypes and clicks the "person" checkbox. */
    const togglePerson = async (expectChecked: boolean) => {
      await page.keyboard.press('Escape');
      await page.keyboard.press(`${MOD}+,`);
      const item = page.locator('.settings-editor .setting-item-contents', { hasText: 'Entity Types' }).first();
      if (!(await item.isVisible().catch(() => false))) {
        await page.locator('.settings-editor .suggest-input-container').first().waitFor({ state: 'visible', timeout: 20_000 });
        await page.keyboard.press(`${MOD}+A`);
        await page.keyboard.type('sourcelens.entityTypes');
      }
      const box = item.locator('[role="checkbox"][aria-label*="`person`"]');
      await box.waitFor({ state: 'visible', timeout: 20_000 });
      await box.click();
      await waitFor(`the "person" checkbox ${expectChecked ? 'checked' : 'cleared'}`, async () => (await box.getAttribute('aria-checked')) === String(expectChecked), 5_000);
    };
    await step(page, 'setting-entity-types', 90_000, async () => {
      await quickOpen(page, article('000').name);
      await goToLine(page, lineOf('000', 'Azamat Beispekov'));
      await waitFor('"Azamat Beispekov" underlined before the change', async () => (await underlined('Azamat Beispekov')) === true, 20_000);
      await togglePerson(false);
      await quickOpen(page, article('000').name);
      await goToLine(page, lineOf('000', 'Azamat Beispekov'));
      await waitFor('"Azamat Beispekov" (a person) no longer underlined', async () => (await underlined('Azamat Beispekov')) === false, 30_000, 500);
      // Other types keep theirs.
      await goToLine(page, lineOf('000', 'S. Korea'));
      assert.equal(await underlined('S. Korea'), true, '"S. Korea" (a place) is still underlined');
    });
    await step(page, 'setting-restored', 60_000, async () => {
      await togglePerson(true);
      await quickOpen(page, article('000').name);
      await goToLine(page, lineOf('000', 'Azamat Beispekov'));
      await waitFor('"Azamat Beispekov" underlined again after switching "person" back on', async () => (await underlined('Azamat Beispekov')) === true, 30_000, 500);
    });
  });

  it('in Restricted Mode (folder not trusted) the articles are still read and underlined', async () => {
    // Trust is per folder: a copy of the corpus outside the repository is a folder not yet trusted.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'sourcelens-untrusted-'));
    for (const f of articleFiles) fs.copyFileSync(path.join(corpus, f), path.join(copy, f));
    const restricted = await browser!.newPage();
    try {
      await step(restricted, 'restricted-mode', 90_000, async () => {
        await restricted.goto(`${cs!.url}/?folder=${encodeURIComponent(copy)}`);
        await restricted.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
        const dontTrust = restricted.locator('.monaco-dialog-box .monaco-button', { hasText: "No, I don't trust the authors" });
        await dontTrust.waitFor({ state: 'visible', timeout: 60_000 });
        await dontTrust.click();
        await statusBarItem(restricted, /Restricted Mode/, 20_000);
        await statusBarItem(restricted, new RegExp(`^Sourcelens: ${articleFiles.length} articles\\b`), 60_000);
        await quickOpen(restricted, article('000').name);
        await goToLine(restricted, lineOf('000', 'Azamat Beispekov'));
        await waitFor(
          '"Azamat Beispekov" underlined in Restricted Mode',
          async () => {
            const st = await tokenStyle(restricted, 'Azamat Beispekov');
            return st && st.spans.length > 0 && st.spans.every((sp) => sp.decoration.includes('underline'));
          },
          40_000,
          500,
        );
      });
    } finally {
      await restricted.close().catch(() => undefined);
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('the status bar still shows the index after browsing', async () => {
    await step(page, 'status-bar-final', 20_000, async () => {
      await page.keyboard.press(`${MOD}+Shift+E`);
      const text = await statusBarItem(page, /^Sourcelens: \d+ articles?/, 15_000);
      assert.ok(text.startsWith(`Sourcelens: ${articleFiles.length} articles`), text);
    });
  });
});
