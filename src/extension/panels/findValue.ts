/**
 * Value-following: from one value in a record (a KMS key ID in CreateKey's responseElements) to the
 * other events whose JSON holds it (the CreateBackupVault that passed it as encryptionKeyArn).
 * Searches what is already loaded (the tree's records and the on-disk cache) and, at once, CloudTrail
 * ±1 h around the shown event where the cache does not cover that hour. The event that produced the
 * value (it is in its responseElements) is listed first and says so.
 */
import * as vscode from 'vscode';
import { isAbortError } from '../../core/errors';
import type { CloudTrailRecord } from '../../core/record';
import { actorLabel } from '../../core/summary';
import type { Log } from '../log';
import type { Session } from '../session';
import type { ValueRole } from '../../shared/protocol';
import type { MessageServices } from './panelMessages';
import { dateTime, oneLine } from '../eventLabels';
import { loadEngine } from '../loadEngine';
import { formatWindow } from '../../core/time';
import { EVENT_HISTORY_MS } from '../../core/limits';

export interface ValueMatch {
  record: CloudTrailRecord;
  /** JSON paths where the value occurs, e.g. "requestParameters.encryptionKeyArn". */
  paths: string[];
  fromCache: boolean;
  /** responseElements holds it: this event produced the value; requestParameters: it consumed it. */
  role: ValueRole;
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

const ROLE_ORDER: Record<ValueRole, number> = { produced: 0, consumed: 1, mentioned: 2 };

/**
 * What the paths holding a value say the event did with it: returned without being passed in is
 * produced (CreateKey's keyId); passed in is consumed, even when the response echoes it back
 * (ScheduleKeyDeletion returns the keyId it was given).
 */
export function roleOf(paths: readonly string[]): ValueRole {
  const under = (top: string) => paths.some((p) => p === top || p.startsWith(`${top}.`) || p.startsWith(`${top}[`));
  if (under('requestParameters')) return 'consumed';
  if (under('responseElements')) return 'produced';
  return 'mentioned';
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
      found.push({ record, paths, fromCache: source.fromCache, role: roleOf(paths) });
    }
  }
  // Producers first, then consumers, then other mentions; newest first within each.
  return found.sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || Date.parse(b.record.eventTime) - Date.parse(a.record.eventTime));
}

function relation(match: ValueMatch): string {
  const [first, ...rest] = match.paths;
  return rest.length ? `${first} +${rest.length}` : (first ?? '');
}

/** What the quick pick says each kind of match did with the value. */
export const ROLE_TEXT: Record<ValueRole, string> = {
  produced: 'produced this value',
  consumed: 'passed this value in',
  mentioned: 'mentions this value',
};

const ROLE_GROUP: Record<ValueRole, string> = { produced: 'Produced it', consumed: 'Passed it in', mentioned: 'Other mentions' };

/** How far either side of the shown event the search reads CloudTrail. */
const AROUND_MS = 60 * 60_000;

type Sources = { records: Iterable<CloudTrailRecord>; fromCache: boolean }[];

interface Window {
  start: Date;
  end: Date;
}

/** Reads every event in `query` (one window, newest first) under a cancellable progress notification. */
async function fetchWindow(services: { log: Log }, session: Session, query: Window): Promise<CloudTrailRecord[] | undefined> {
  const { scanEvents } = await loadEngine();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Searching CloudTrail ${formatWindow(query)}`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      const out: CloudTrailRecord[] = [];
      try {
        for await (const batch of scanEvents(session.connection.lookupEvents, query, {
          limiter: session.limiter,
          signal: controller.signal,
          logger: services.log,
          onProgress: (p) =>
            progress.report({ message: `${p.events} events, ${p.pages} pages${p.waiting ? ' · waiting — CloudTrail is throttling' : ''}` }),
        })) {
          out.push(...batch);
        }
      } catch (err) {
        if (isAbortError(err)) return undefined;
        throw err;
      } finally {
        sub.dispose();
      }
      await session.cache?.put(out, { query, complete: true });
      services.log.info(`findValue: read ${out.length} events ${formatWindow(query)} from CloudTrail`);
      return out;
    },
  );
}

async function loadedSources(services: MessageServices): Promise<{ sources: Sources; session?: Session }> {
  const sources: Sources = [{ records: services.events.records(), fromCache: false }];
  try {
    const session = await services.connection.session();
    if (session.cache) {
      const now = new Date();
      const cached = session.cache.query({ start: new Date(now.getTime() - EVENT_HISTORY_MS), end: now });
      sources.push({ records: cached.slice(0, MAX_CACHE_SCAN), fromCache: true });
    }
    return { sources, session };
  } catch (err) {
    // No connection (a record opened from a file, say): the tree's records are still worth searching.
    services.log.debug(`findValue: no cache to search (${err instanceof Error ? err.message : String(err)})`);
    return { sources };
  }
}

/** The hour either side of the shown event, when CloudTrail can be read for it (its Region, a known time). */
function searchWindow(session: Session | undefined, exclude: CloudTrailRecord | undefined, region: string | undefined): Window | undefined {
  const center = exclude ? Date.parse(exclude.eventTime) : NaN;
  if (!session || Number.isNaN(center) || (region && region !== session.region)) return undefined;
  return { start: new Date(center - AROUND_MS), end: new Date(Math.min(Date.now(), center + AROUND_MS)) };
}

/**
 * Finds the other events holding the value — loaded ones, and CloudTrail ±1 h around the shown event
 * read at once where the cache does not cover it — and lets the person pick one, the producer first.
 * Resolves to the chosen match, or undefined when none was found or the pick was dismissed.
 */
export async function pickEventHolding(
  services: MessageServices,
  value: string,
  exclude: CloudTrailRecord | undefined,
  region?: string,
): Promise<ValueMatch | undefined> {
  const { sources, session } = await loadedSources(services);
  const window = searchWindow(session, exclude, region);
  let searched = '';
  if (session && window) {
    searched = ` or in CloudTrail ${formatWindow(window)}`;
    if (!session.cache || session.cache.uncovered(window).length > 0) {
      const fetched = await fetchWindow(services, session, window);
      if (!fetched) return undefined;
      sources.push({ records: fetched, fromCache: false });
    }
  }
  const shown = oneLine(value, 60);
  const matches = findValueIn(sources, value, exclude);
  services.log.debug(`findValue: ${matches.length} other event(s) hold a value of ${value.length} characters`);
  if (matches.length === 0) {
    const wider = window ? '' : ' Load a wider time range in the Events view, then try again.';
    void vscode.window.showInformationMessage(`No other event holds "${shown}" among the loaded events${searched}.${wider}`);
    return undefined;
  }
  const items: (vscode.QuickPickItem & { match?: ValueMatch })[] = [];
  let group: ValueRole | undefined;
  for (const m of matches) {
    if (m.role !== group) {
      group = m.role;
      items.push({ label: ROLE_GROUP[m.role], kind: vscode.QuickPickItemKind.Separator });
    }
    items.push({
      label: `${m.role === 'produced' ? '$(star-full) ' : ''}${oneLine(m.record.eventName, 80)}`,
      description: `${ROLE_TEXT[m.role]} · ${relation(m)}`,
      detail: [dateTime(m.record), oneLine(m.record.eventSource, 60), oneLine(actorLabel(m.record), 80), oneLine(m.record.errorCode, 60)]
        .filter(Boolean)
        .join(' · '),
      match: m,
    });
  }
  const producers = matches.filter((m) => m.role === 'produced').length;
  const picked = await vscode.window.showQuickPick(items, {
    title: `Events holding "${shown}"`,
    placeHolder: `${matches.length} other event${matches.length === 1 ? '' : 's'}${producers ? `, ${producers} that produced it` : ''} — pick one to open`,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.match;
}
