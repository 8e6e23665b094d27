/**
 * The end-to-end harness: packages the extension, installs it into a fresh extensions folder
 * of code-server (set up by test/e2e/setup.sh), starts code-server on a free loopback port,
 * drives it with headless Chromium (playwright-core) and cleans everything up.
 *
 * Environment:
 *   SOURCELENS_E2E_HOME    where setup.sh put code-server (default ~/.cache/sourcelens-e2e)
 *   SOURCELENS_E2E_VSIX    use this .vsix instead of running `npm run package`
 *   SOURCELENS_E2E_HEADED  set to 1 to watch the browser (needs a display)
 *   CHROMIUM               the Chromium binary (default: chromium on the PATH)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { repoRoot } from '../helpers/paths';

export const e2eDir = path.join(repoRoot, 'test', 'e2e');
export const screenshotsDir = path.join(e2eDir, 'screenshots');
const workRoot = path.join(e2eDir, '.work');

export const IS_MAC = process.platform === 'darwin';
export const MOD = IS_MAC ? 'Meta' : 'Control';

function log(msg: string): void {
  process.stderr.write(`[e2e ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

/** Runs setup.sh (a no-op once everything is installed) and returns code-server's entry script. */
export function ensureCodeServer(): string {
  const out = execFileSync('bash', [path.join(e2eDir, 'setup.sh')], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const entry = out.trim().split('\n').pop()!;
  if (!fs.existsSync(entry)) throw new Error(`setup.sh did not produce code-server (expected ${entry})`);
  return entry;
}

export function chromiumPath(): string {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const c of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) if (fs.existsSync(c)) return c;
  throw new Error('Chromium not found; run bash test/e2e/setup.sh or set CHROMIUM');
}

/** Builds the production bundles and the .vsix (`npm run package`), unless SOURCELENS_E2E_VSIX names one. */
export function packageExtension(): string {
  if (process.env.SOURCELENS_E2E_VSIX) return path.resolve(process.env.SOURCELENS_E2E_VSIX);
  const vsix = path.join(repoRoot, 'sourcelens.vsix');
  log('npm run package');
  try {
    execFileSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`npm run package failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
  if (!fs.existsSync(vsix)) throw new Error(`npm run package did not write ${vsix}`);
  return vsix;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 400);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

export interface CodeServer {
  url: string;
  port: number;
  proc: ChildProcess;
  logFile: string;
  userDataDir: string;
  extensionsDir: string;
  stop(): Promise<void>;
}

/** User settings for a quiet, deterministic workbench. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.editor.enablePreview': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'editor.hover.delay': 300,
  'editor.minimap.enabled': false,
  'files.simpleDialog.enable': true,
  'security.workspace.trust.startupPrompt': 'always',
};

export async function startCodeServer(entry: string, vsix: string, runDir: string): Promise<CodeServer> {
  const extensionsDir = path.join(runDir, 'extensions');
  const userDataDir = path.join(runDir, 'user-data');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k.startsWith('ELECTRON_')) delete env[k];
  env.PASSWORD = '';
  const common = ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir];

  log(`installing ${path.basename(vsix)}`);
  const out = execFileSync(process.execPath, [entry, ...common, '--install-extension', vsix], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (!/successfully installed/i.test(out)) throw new Error(`code-server --install-extension did not report success:\n${out}`);

  const port = await freePort();
  const logFile = path.join(runDir, 'code-server.log');
  const logFd = fs.openSync(logFile, 'a');
  const proc = spawn(
    process.execPath,
    [
      entry,
      ...common,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
    ],
    { env, stdio: ['ignore', logFd, logFd], detached: true },
  );
  fs.closeSync(logFd);
  let exited: string | undefined;
  proc.on('exit', (code, signal) => (exited = `code-server exited (code ${code}, signal ${signal})`));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await httpOk(`${url}/healthz`))) {
    if (exited) throw new Error(`${exited} before it answered; see ${logFile}:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`code-server did not answer on ${url} within 60 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`code-server on ${url} (pid ${proc.pid})`);
  return {
    url,
    port,
    proc,
    logFile,
    userDataDir,
    extensionsDir,
    stop: () => killTree(proc),
  };
}

/** Stops a process started with `detached: true`, with its process group (extension host, language server). */
export async function killTree(proc: ChildProcess): Promise<void> {
  if (proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
  const gone = new Promise<void>((r) => proc.once('exit', () => r()));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-proc.pid!, s);
    } catch {
      try {
        proc.kill(s);
      } catch {
        // already gone
      }
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5000);
  await Promise.race([gone, new Promise((r) => setTimeout(r, 8000))]);
  clearTimeout(timer);
}

export async function launchBrowser(runDir: string): Promise<BrowserContext> {
  const profile = path.join(runDir, 'chromium-profile');
  fs.rmSync(profile, { recursive: true, force: true });
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: process.env.SOURCELENS_E2E_HEADED !== '1',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
    viewport: { width: 1400, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
}

/** A fresh folder for this run's code-server state, browser profile and logs. */
export function newRunDir(): string {
  fs.mkdirSync(workRoot, { recursive: true });
  // Keep only the last few runs' state (logs are useful after a failure).
  const old = fs.readdirSync(workRoot).filter((d) => d.startsWith('run-')).sort();
  for (const d of old.slice(0, Math.max(0, old.length - 2))) fs.rmSync(path.join(workRoot, d), { recursive: true, force: true });
  const dir = path.join(workRoot, `run-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

// ---- waiting and steps ------------------------------------------------------------------------

export class StepTimeout extends Error {}

/**
 * Polls `fn` until it returns a truthy value (returned) or the time is up; the error names
 * `what` and the last value or error seen, so a failure says what was not there.
 */
export async function waitFor<T>(what: string, fn: () => Promise<T> | T, timeoutMs = 20_000, intervalMs = 250): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (err) {
      last = err instanceof Error ? err.message.split('\n')[0] : err;
    }
    if (Date.now() > deadline) throw new StepTimeout(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(last)?.slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

let shotCounter = 0;
let diagnostics: (() => string | undefined) | undefined;

/** Adds context to every failed step's message (e.g. the server's last errors). */
export function setDiagnostics(fn: () => string | undefined): void {
  diagnostics = fn;
}

/** The first line of the last `max` errors the language client logged in the Sourcelens output. */
export function sourcelensErrors(userDataDir: string, max = 3): string | undefined {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/Sourcelens\.log$/.test(e.name)) found.push(p);
    }
  };
  try {
    walk(path.join(userDataDir, 'logs'));
  } catch {
    return undefined;
  }
  const errors = found
    .flatMap((f) => fs.readFileSync(f, 'utf8').split('\n'))
    .filter((l) => /^\[Error/.test(l));
  if (!errors.length) return undefined;
  const unique = [...new Set(errors.map((l) => l.replace(/^\[Error - [^\]]*\] /, '')))];
  return `the Sourcelens output has ${errors.length} error(s), e.g.: ${unique.slice(-max).join(' | ')}`;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file, timeout: 15_000 }).catch((err) => log(`screenshot ${name} failed: ${String(err)}`));
  return file;
}

/**
 * Runs one user-visible step with its own time limit; on failure saves
 * screenshots/<nn>-<name>-FAILED.png and rethrows with the step's name.
 */
export async function step(page: Page, name: string, timeoutMs: number, fn: () => Promise<void>): Promise<void> {
  const label = `${String(++shotCounter).padStart(2, '0')}-${name}`;
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StepTimeout(`step "${name}" did not finish within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    await screenshot(page, label);
    log(`step ${label} passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (err) {
    const file = await screenshot(page, `${label}-FAILED`);
    let msg = err instanceof Error ? err.message : String(err);
    const extra = diagnostics?.();
    if (extra) msg += `\n  ${extra}`;
    log(`step ${label} FAILED after ${((Date.now() - started) / 1000).toFixed(1)} s: ${msg}`);
    throw new Error(`step "${name}" failed: ${msg}\n  screenshot: ${path.relative(repoRoot, file)}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

// ---- the workbench ----------------------------------------------------------------------------

/** The text of every status bar item. */
export async function statusBarTexts(page: Page): Promise<string[]> {
  return page.locator('#workbench\\.parts\\.statusbar .statusbar-item').evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()));
}

export async function statusBarItem(page: Page, re: RegExp, timeoutMs = 20_000): Promise<string> {
  return waitFor(`a status bar item matching ${re}`, async () => (await statusBarTexts(page)).find((t) => re.test(t)), timeoutMs);
}

/** Runs a command from the command palette by its label (as a person types it). */
export async function runCommand(page: Page, label: string): Promise<void> {
  const input = await openQuickInput(page, 'F1');
  await input.fill(`>${label}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await waitFor(`"${label}" to be the first palette entry`, async () => {
    const first = await page.locator('.quick-input-widget .monaco-list-row').first().getAttribute('aria-label');
    return first?.toLowerCase().includes(label.toLowerCase());
  }, 10_000);
  await page.keyboard.press('Enter');
  // The palette closes, or the same widget turns into the command's own input box.
  await waitFor(
    `the command palette to close after "${label}"`,
    async () => !(await input.isVisible()) || !(await input.inputValue()).startsWith('>'),
    10_000,
  );
}

/** Opens Quick Open (Ctrl+P, or a click on the command center) and returns its input. */
async function openQuickInput(page: Page, key: string): Promise<Locator> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press(key);
    if (await input.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false)) return input;
  }
  throw new Error(`${key} did not open the quick input`);
}

/** Opens a workspace file with Quick Open (Ctrl+P) by (part of) its name, waiting for its tab. */
export async function quickOpen(page: Page, fileName: string): Promise<void> {
  const input = await openQuickInput(page, `${MOD}+P`);
  await input.fill(fileName);
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  let seen: string[] = [];
  // Wait until the list is filtered (the first entry is the file), then pick it.
  await waitFor(
    `"${fileName}" first in the Quick Open list`,
    async () => {
      seen = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
      return seen[0]?.includes(fileName);
    },
    15_000,
  ).catch(async (err) => {
    throw new Error(`${err.message} (input "${await input.inputValue().catch(() => '?')}", rows ${JSON.stringify(seen)})`);
  });
  await rows.filter({ hasText: fileName }).first().click();
  await activeTab(page, fileName);
}

export async function activeTab(page: Page, nameStart: string, timeoutMs = 15_000): Promise<void> {
  await waitFor(
    `the active editor tab to be ${nameStart}…`,
    async () => {
      const label = await page.locator('.tabs-container .tab.active').first().getAttribute('aria-label').catch(() => null);
      return label?.includes(nameStart) ? label : undefined;
    },
    timeoutMs,
  );
}

/** The active editor (the one with the active tab's group). */
export function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .monaco-editor').first();
}

/** Moves the cursor to a line with Go to Line (Ctrl+G), so the line is on screen. */
export async function goToLine(page: Page, line: number, column = 1): Promise<void> {
  const input = await openQuickInput(page, 'Control+G');
  await input.fill(`:${line}:${column}`);
  // An Enter pressed before the widget has taken the typed position does nothing (seen once: the
  // box then stayed open, labelled "Go to line 5 and character 1."). So wait for that label (its
  // wording is code-server 4.100's: not fatal if it never shows), and press again if the first
  // Enter did not close the box.
  const taken = new RegExp(`\\bline ${line}\\b`);
  await waitFor(`Go to Line to take line ${line}`, async () => taken.test((await input.getAttribute('aria-label')) ?? ''), 3_000).catch(() => undefined);
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press('Enter');
    if (await input.waitFor({ state: 'hidden', timeout: 5_000 }).then(() => true, () => false)) break;
    if (attempt === 1) throw new Error(`Go to Line stayed open after Enter (label "${await input.getAttribute('aria-label')}")`);
  }
  await waitFor(`the cursor on line ${line}`, async () => (await cursorPosition(page))?.line === line, 10_000);
}

export interface CursorPosition {
  line: number;
  column: number;
  selected: number;
}

/** Reads "Ln 9, Col 38 (21 selected)" from the status bar. */
export async function cursorPosition(page: Page): Promise<CursorPosition | undefined> {
  const t = (await statusBarTexts(page)).find((s) => /^Ln \d+, Col \d+/.test(s));
  const m = t && /^Ln (\d+), Col (\d+)(?: \((\d+) selected\))?/.exec(t);
  return m ? { line: Number(m[1]), column: Number(m[2]), selected: m[3] ? Number(m[3]) : 0 } : undefined;
}

/**
 * The screen rectangle of the `nth` rendered occurrence of `text` in the active editor (a range
 * over the text nodes of the rendered lines), or undefined when it is not on screen.
 */
export async function textRect(page: Page, text: string, nth = 0): Promise<{ x: number; y: number; width: number; height: number } | undefined> {
  return activeEditor(page)
    .locator('.view-lines')
    .evaluate(
      (root, { text, nth }) => {
        const lines = Array.from(root.querySelectorAll<HTMLElement>('.view-line'));
        lines.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
        let seen = 0;
        for (const line of lines) {
          // VS Code renders spaces as no-break spaces; same length, so offsets still hold.
          const content = (line.textContent ?? '').replace(/\u00a0/g, ' ');
          let from = 0;
          for (;;) {
            const at = content.indexOf(text, from);
            if (at < 0) break;
            from = at + 1;
            if (seen++ < nth) continue;
            // Map the line offset to text nodes.
            const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
            let offset = 0;
            const range = document.createRange();
            let started = false;
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              const len = n.textContent!.length;
              if (!started && at < offset + len) {
                range.setStart(n, at - offset);
                started = true;
              }
              if (started && at + text.length <= offset + len) {
                range.setEnd(n, at + text.length - offset);
                const r = range.getClientRects()[0] ?? range.getBoundingClientRect();
                return { x: r.x, y: r.y, width: r.width, height: r.height };
              }
              offset += len;
            }
          }
        }
        return undefined;
      },
      { text, nth },
    );
}

/**
 * How `text` is rendered: the token spans covering it, their classes and computed
 * text-decoration-line (VS Code renders semantic and TextMate tokens as `mtk*` spans).
 */
export async function tokenStyle(
  page: Page,
  text: string,
): Promise<{ spans: Array<{ text: string; className: string; decoration: string; color: string }> } | undefined> {
  return activeEditor(page)
    .locator('.view-lines')
    .evaluate((root, text) => {
      for (const line of Array.from(root.querySelectorAll<HTMLElement>('.view-line'))) {
        const content = (line.textContent ?? '').replace(/\u00a0/g, ' ');
        const at = content.indexOf(text);
        if (at < 0) continue;
        const spans: Array<{ text: string; className: string; decoration: string; color: string }> = [];
        let offset = 0;
        for (const span of Array.from(line.querySelectorAll<HTMLElement>('span[class*="mtk"]'))) {
          const t = span.textContent ?? '';
          const start = offset;
          offset += t.length;
          if (offset <= at || start >= at + text.length) continue;
          const cs = getComputedStyle(span);
          spans.push({ text: t, className: span.className, decoration: cs.textDecorationLine, color: cs.color });
        }
        return { spans };
      }
      return undefined;
    }, text);
}

/** The visible hover card's text, if any. */
export async function hoverText(page: Page): Promise<string | undefined> {
  const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content, .monaco-hover:not(.hidden) .hover-contents').first();
  if (!(await hover.isVisible().catch(() => false))) return undefined;
  return (await hover.innerText().catch(() => '')) || undefined;
}

/** Moves the mouse onto `text` in the active editor and waits for a hover card whose text matches. */
export async function hoverOver(page: Page, text: string, expect: RegExp, timeoutMs = 20_000): Promise<string> {
  let attempt = 0;
  return waitFor(
    `a hover card matching ${expect} over "${text}"`,
    async () => {
      const r = await textRect(page, text);
      if (!r) return undefined;
      // Re-enter the word now and then: a hover that came before the server answered is not
      // asked again while the mouse rests.
      if (attempt++ % 8 === 0) await page.mouse.move(r.x + r.width / 2, r.y - 40);
      await page.mouse.move(r.x + Math.min(r.width / 2, 20), r.y + r.height / 2, { steps: 3 });
      const t = await waitFor('a hover card', () => hoverText(page), 2_000, 150).catch(() => undefined);
      if (!t || !expect.test(t)) return undefined;
      // Let the fade-in finish, so a screenshot shows the card as a person sees it.
      await page
        .locator('.monaco-hover:not(.hidden)')
        .first()
        .evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)).then(() => undefined))
        .catch(() => undefined);
      return t;
    },
    timeoutMs,
    300,
  );
}

export { log };
