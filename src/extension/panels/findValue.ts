/**
 * Value-following: from one value in a record (a KMS key ID in CreateKey's responseElements) to the
 * other events whose JSON holds it (the CreateBackupVault that passed it as encryptionKeyArn).
 * Searches what is already loaded (the tree's records and the on-disk cache) first; CloudTrail is read
 * only when the person asks, and then only ±1 h around the shown event.
 */
import * as vscode from 'vscode';
import { isAbortError } from '../../core/errors';
import type { CloudTrailRecord } from '../../core/record';
import { actorLabel } from '../../core/summary';
import type { Log } from '../log';
import type { Session } from '../session';
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

/** How far either side of the shown event "Search CloudTrail" reads. */
const AROUND_MS = 60 * 60_000;
const SEARCH_LABEL = 'Search CloudTrail ±1 h around this event';

type Sources = { records: Iterable<CloudTrailRecord>; fromCache: boolean }[];

/** Reads every event ±1 h around `center` (one window, newest first) under a cancellable progress notification. */
async function fetchAround(services: { log: Log }, session: Session, center: number): Promise<CloudTrailRecord[] | undefined> {
  const { scanEvents } = await loadEngine();
  const query = { start: new Date(center - AROUND_MS), end: new Date(Math.min(Date.now(), center + AROUND_MS)) };
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Reading CloudTrail ${formatWindow(query)}`, cancellable: true },
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

/**
 * Searches the tree and the cache for the value and lets the person pick an event; when the value is
 * not loaded (or they ask), reads CloudTrail ±1 h around the shown event and offers what that found.
 * Resolves to the chosen match, or undefined when none was found or the pick was dismissed.
 */
export async function pickEventHolding(
  services: MessageServices,
  value: string,
  exclude: CloudTrailRecord | undefined,
  region?: string,
): Promise<ValueMatch | undefined> {
  const { sources, session } = await loadedSources(services);
  const center = exclude ? Date.parse(exclude.eventTime) : NaN;
  // Only the session's Region can be read, and only around a known time.
  let canSearch = session !== undefined && !Number.isNaN(center) && (!region || region === session.region);
  const shown = oneLine(value, 60);
  for (;;) {
    const matches = findValueIn(sources, value, exclude);
    services.log.debug(`findValue: ${matches.length} other event(s) hold a value of ${value.length} characters`);
    if (matches.length === 0) {
      if (!canSearch) {
        void vscode.window.showInformationMessage(`No other loaded event holds "${shown}". Load a wider time range in the Events view, then try again.`);
        return undefined;
      }
      const choice = await vscode.window.showInformationMessage(`No other loaded event holds "${shown}".`, SEARCH_LABEL);
      if (choice !== SEARCH_LABEL) return undefined;
    } else {
      const items: (vscode.QuickPickItem & { match?: ValueMatch })[] = matches.map((m) => ({
        label: oneLine(m.record.eventName, 80),
        description: `${dateTime(m.record)} · ${relation(m)}`,
        detail: [oneLine(m.record.eventSource, 60), oneLine(actorLabel(m.record), 80), oneLine(m.record.errorCode, 60)]
          .filter(Boolean)
          .join(' · '),
        match: m,
      }));
      if (canSearch) items.push({ label: `$(cloud-download) ${SEARCH_LABEL}…`, alwaysShow: true });
      const picked = await vscode.window.showQuickPick(items, {
        title: `Events holding "${shown}"`,
        placeHolder: `${matches.length} other loaded event${matches.length === 1 ? '' : 's'} — pick one to open`,
        matchOnDescription: true,
        matchOnDetail: true,
      });
      if (!picked) return undefined;
      if (picked.match) return picked.match;
    }
    const fetched = await fetchAround(services, session!, center);
    if (!fetched) return undefined;
    sources.push({ records: fetched, fromCache: false });
    canSearch = false;
  }
}
