/**
 * Typed access to the `sourcelens.*` settings, and what a change to each of them needs:
 * corpus settings (include, exclude, maxFileSize) change which files are indexed, so the server
 * is restarted with fresh initialization options; `entityTypes` only changes what is highlighted,
 * so the semantic tokens are refreshed in place; `trace.server` is handled by the language client.
 */
import * as vscode from 'vscode';

export const SECTION = 'sourcelens';

export const HIGHLIGHT_TYPES = ['person', 'organization', 'place', 'event', 'claim'] as const;
export type HighlightType = (typeof HIGHLIGHT_TYPES)[number];

export const DEFAULT_INCLUDE = ['**/*.txt', '**/*.md'];
export const DEFAULT_EXCLUDE = ['**/node_modules/**', '**/.git/**', '**/.sourcelens/**'];
export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

export interface SourcelensSettings {
  include: string[];
  exclude: string[];
  maxFileSize: number;
  /** Which kinds of span are highlighted. */
  entityTypes: Record<HighlightType, boolean>;
  trace: { server: 'off' | 'messages' | 'verbose' };
}

function stringArray(value: unknown, fallback: string[]): string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? [...value] : [...fallback];
}

/** Reads the settings (for a resource's folder, if given), with defaults for anything malformed. */
export function readSettings(scope?: vscode.ConfigurationScope): SourcelensSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const maxFileSize = c.get<number>('maxFileSize');
  const types = c.get<Partial<Record<HighlightType, boolean>>>('entityTypes') ?? {};
  const entityTypes = {} as Record<HighlightType, boolean>;
  for (const t of HIGHLIGHT_TYPES) entityTypes[t] = types[t] !== false;
  const trace = c.get<string>('trace.server');
  return {
    include: stringArray(c.get('include'), DEFAULT_INCLUDE),
    exclude: stringArray(c.get('exclude'), DEFAULT_EXCLUDE),
    maxFileSize: typeof maxFileSize === 'number' && maxFileSize > 0 ? maxFileSize : DEFAULT_MAX_FILE_SIZE,
    entityTypes,
    trace: { server: trace === 'messages' || trace === 'verbose' ? trace : 'off' },
  };
}

/** What a configuration change requires of the client. */
export interface SettingsChange {
  /** Which files are articles changed: restart the server and re-check open documents' language. */
  corpus: boolean;
  /** Which types are highlighted changed: refresh the semantic tokens. */
  highlight: boolean;
}

export function classifyChange(e: vscode.ConfigurationChangeEvent): SettingsChange {
  return {
    corpus: ['include', 'exclude', 'maxFileSize'].some((k) => e.affectsConfiguration(`${SECTION}.${k}`)),
    highlight: e.affectsConfiguration(`${SECTION}.entityTypes`),
  };
}
