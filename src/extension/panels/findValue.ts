/**
 * Value-following: from one value in a record (a KMS key ID in CreateKey's responseElements) to the
 * other events whose JSON holds it (the CreateBackupVault that passed it as encryptionKeyArn).
 * Searches only what is already loaded — the tree's records and the on-disk cache — never the network.
 */
import * as vscode from 'vscode';
import type { CloudTrailRecord } from '../../core/record';
import type { Services } from '../services';
import { actorLabel } from '../../core/summary';
import { dateTime, oneLine } from '../eventLabels';

export interface ValueMatch {
  record: CloudTrailRecord;
  /** JSON paths where the value occurs, e.g. "requestParameters.encryptionKeyArn". */
  paths: string[];
  fromCache: boolean;
}

/** Below this length a substring match is noise ("true", "us", "1"); only whole values count. */
const MIN_SUBSTRING = 8;
const MAX_PATHS = 5;
const MAX_DEPTH = 32;
/** Bounds the work on a large cache; newest records come first. */
export const MAX_CACHE_SCAN = 100_000;

function matches(candidate: string, value: string): boolean {
  return candidate === value || (value.length >= MIN_SUBSTRING && candidate.includes(value));
}

/** JSON paths in `root` whose primitive value equals the value, or contains it (an ARN holding a key ID). */
export function pathsHolding(root: unknown, value: string): string[] {
  const out: string[] = [];
  const walk = (node: unknown, path: string, depth: number): void => {
    if (out.length >= MAX_PATHS || depth > MAX_DEPTH) return;
    if (node === null || node === undefined) return;
    if (typeof node === 'object') {
      if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${path}[${i}]`, depth + 1));
      else for (const [k, v] of Object.entries(node)) walk(v, path ? `${path}.${k}` : k, depth + 1);
      return;
    }
    if (matches(String(node), value)) out.push(path);
  };
  walk(root, '', 0);
  return out;
}

/** Other records (not `exclude`) holding the value, newest first, each once. */
export function findValueIn(
  sources: { records: Iterable<CloudTrailRecord>; fromCache: boolean }[],
  value: string,
  exclude?: CloudTrailRecord,
): ValueMatch[] {
  const seen = new Set<string>(exclude ? [exclude.eventID] : []);
  const found: ValueMatch[] = [];
  for (const source of sources) {
    for (const record of source.records) {
      if (seen.has(record.eventID)) continue;
      const paths = pathsHolding(record, value);
      if (paths.length === 0) continue;
      seen.add(record.eventID);
      found.push({ record, paths, fromCache: source.fromCache });
    }
  }
  return found.sort((a, b) => Date.parse(b.record.eventTime) - Date.parse(a.record.eventTime));
}

function relation(match: ValueMatch): string {
  const [first, ...rest] = match.paths;
  return rest.length ? `${first} +${rest.length}` : (first ?? '');
}

/**
 * Searches the tree and the cache for the value and lets the person pick an event.
 * Resolves to the chosen match, or undefined when none was found or the pick was dismissed.
 */
export async function pickEventHolding(
  services: Pick<Services, 'events' | 'connection' | 'log'>,
  value: string,
  exclude: CloudTrailRecord | undefined,
): Promise<ValueMatch | undefined> {
  const sources: { records: Iterable<CloudTrailRecord>; fromCache: boolean }[] = [
    { records: services.events.records(), fromCache: false },
  ];
  try {
    const session = await services.connection.session();
    if (session.cache) {
      const now = new Date();
      const cached = session.cache.query({ start: new Date(now.getTime() - 90 * 86_400_000), end: now });
      sources.push({ records: cached.slice(0, MAX_CACHE_SCAN), fromCache: true });
    }
  } catch (err) {
    // No connection (a record opened from a file, say): the tree's records are still worth searching.
    services.log.debug(`findValue: no cache to search (${err instanceof Error ? err.message : String(err)})`);
  }
  const matches = findValueIn(sources, value, exclude);
  const shown = oneLine(value, 60);
  services.log.debug(`findValue: ${matches.length} other event(s) hold a value of ${value.length} characters`);
  if (matches.length === 0) {
    void vscode.window.showInformationMessage(
      `No other loaded event holds "${shown}". Load a wider time range in the Events view, then try again.`,
    );
    return undefined;
  }
  const items = matches.map((m) => ({
    label: oneLine(m.record.eventName, 80),
    description: `${dateTime(m.record)} · ${relation(m)}`,
    detail: [oneLine(m.record.eventSource, 60), oneLine(actorLabel(m.record), 80), oneLine(m.record.errorCode, 60)]
      .filter(Boolean)
      .join(' · '),
    match: m,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Events holding "${shown}"`,
    placeHolder: `${matches.length} other event${matches.length === 1 ? '' : 's'} — pick one to open`,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.match;
}
