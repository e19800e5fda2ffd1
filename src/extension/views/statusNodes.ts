/**
 * Error, empty and waiting rows. Errors never empty the tree silently: each code gets its own
 * plain-words title, the core message and hint as children, and a Retry row.
 */
import type { TrailLensError } from '../../core/errors';
import { Commands } from '../commandIds';
import { describeSpans } from './eventFormat';
import { THROTTLED_TEXT, type HiddenCount } from './eventsModel';
import type { Interval } from './timeline';
import { icon, messageNode, type MessageNode } from './treeNodes';

const TITLES: Partial<Record<TrailLensError['code'], string>> = {
  Network: 'Cannot reach CloudTrail',
  AccessDenied: 'Access denied: not allowed to call cloudtrail:LookupEvents',
  ExpiredCredentials: 'The AWS credentials have expired',
  InvalidCredentials: 'The AWS credentials were rejected',
  UnknownRegion: 'Unknown AWS Region',
  UnknownProfile: 'Unknown AWS profile',
  SsoExpired: 'AWS SSO session expired: sign in again',
  Throttled: 'CloudTrail kept throttling the requests',
  ServiceError: 'CloudTrail returned a server error',
  Rejected: 'CloudTrail refused the request',
  MalformedResponse: 'The endpoint sent an answer that is not a valid LookupEvents response',
  InvalidRequest: 'CloudTrail rejected the request',
  Config: 'Trail Lens settings need attention',
};

/**
 * `scope` keeps ids unique when the same kind of row appears twice (initial load vs. load older).
 * `profile` is the connection's, for SSO errors that do not name one.
 */
export function errorNode(
  err: TrailLensError,
  scope: 'load' | 'older',
  connectionProfile: string | undefined,
  /** For `older`: the end (ms) of the gap that failed, so Retry loads that one. */
  gapEnd?: number,
): MessageNode {
  const profile = err.profile ?? connectionProfile;
  const children: MessageNode[] = [];
  const title = TITLES[err.code] ?? 'Could not load events';
  children.push(messageNode({ id: `hint:${scope}:message`, label: err.message, tooltip: err.message, icon: icon('info') }));
  // For SSO the clickable sign-in row below says the same as core's hint ("Run: aws sso login …").
  if (err.hint && err.code !== 'SsoExpired') {
    children.push(messageNode({ id: `hint:${scope}:hint`, label: err.hint, tooltip: err.hint, icon: icon('lightbulb') }));
  }
  if (err.code === 'SsoExpired') {
    children.push(
      messageNode({
        id: `action:${scope}:signIn`,
        label: profile ? `Sign in: aws sso login --profile ${profile}` : 'Sign in: aws sso login',
        icon: icon('sign-in'),
        command: { command: Commands.ssoLogin, title: 'Sign In', arguments: profile ? [profile] : [] },
      }),
    );
  }
  children.push(
    messageNode({
      id: `action:${scope}:retry`,
      label: 'Retry',
      icon: icon('refresh'),
      command:
        scope === 'older'
          ? { command: Commands.loadOlder, title: 'Retry', arguments: gapEnd === undefined ? [] : [gapEnd] }
          : { command: Commands.refresh, title: 'Retry' },
    }),
  );
  return messageNode({
    id: `error:${scope}`,
    label: scope === 'older' ? `Loading older events failed: ${title}` : title,
    tooltip: `${err.hint ? `${err.message}\n${err.hint}` : err.message}\n(click to open the log)`,
    icon: icon('error', 'errorForeground'),
    command: { command: Commands.showLog, title: 'Show Log' },
    children,
  });
}

export function loadingNode(refreshing: boolean): MessageNode {
  return messageNode({
    id: 'status:loading',
    label: refreshing ? 'Refreshing…' : 'Loading events…',
    icon: icon('loading~spin'),
  });
}

export function throttledNode(): MessageNode {
  return messageNode({
    id: 'status:throttled',
    label: THROTTLED_TEXT,
    tooltip: 'LookupEvents allows 2 requests per second per account and Region; Trail Lens slows down and retries.',
    icon: icon('watch', 'problemsWarningIcon.foreground'),
  });
}

/**
 * Loaded events that no row shows. `read`: the stretches read, when part of the range is not, so
 * the row says "nothing in what was read" rather than "nothing in the range".
 */
export function emptyNode(rangeText: string, filterText: string | undefined, read?: readonly Interval[]): MessageNode {
  const children = [
    messageNode({
      id: 'action:empty:widen',
      label: 'Widen time range…',
      icon: icon('calendar'),
      command: { command: Commands.setTimeRange, title: 'Widen Time Range' },
    }),
  ];
  if (filterText) {
    children.push(
      messageNode({
        id: 'action:empty:clearFilter',
        label: 'Clear filter',
        icon: icon('clear-all'),
        command: { command: Commands.clearFilter, title: 'Clear Filter' },
      }),
    );
  }
  const where = read?.length ? `what is loaded (${describeSpans(read)})` : rangeText;
  return messageNode({
    id: 'status:empty',
    label: `No events in ${where}${filterText ? ` · ${filterText}` : ''}`,
    icon: icon('info'),
    children,
  });
}

/**
 * A stretch of time not loaded: the oldest one is "Load older events…", any other (between loaded
 * stretches, after a jump or a long refresh) names its times. Clicking loads its next page.
 */
export function gapNode(gap: { start: number; end: number }, oldest: boolean, loading: boolean): MessageNode {
  const id = oldest ? 'loadOlder' : `gap:${new Date(gap.end).toISOString()}`;
  const span = describeSpans([gap]);
  if (loading) return messageNode({ id, label: 'Loading…', description: span, icon: icon('loading~spin') });
  return messageNode({
    id,
    label: oldest ? 'Load older events…' : `Not loaded: ${span}`,
    description: oldest ? `not loaded: ${span}` : 'click to load',
    tooltip: `No events from ${span} are loaded yet: the rows above and below are not all there is. Click to load the next page of this stretch.`,
    icon: icon(oldest ? 'fold-down' : 'ellipsis'),
    command: { command: Commands.loadOlder, title: 'Load Events', arguments: [gap.end] },
  });
}

/** While older pages are read for pattern matches: how far it got, and click to stop. */
export function scanningNode(shown: number, scanned: number, loaded: readonly Interval[]): MessageNode {
  const oldest = loaded.length ? Math.min(...loaded.map((l) => l.start)) : undefined;
  const back = oldest === undefined ? '' : ` · back to ${new Date(oldest).toISOString().slice(5, 16).replace('T', ' ')} UTC`;
  return messageNode({
    id: 'status:scanning',
    label: 'Scanning older events for matches… (click to stop)',
    description: `${shown.toLocaleString('en-US')} shown of ${scanned.toLocaleString('en-US')} scanned${back}`,
    tooltip:
      'Older pages are read until a page of events matches the pattern or the time range is read. Click to stop: the time not read stays marked as not loaded.',
    icon: icon('loading~spin'),
    command: { command: Commands.stopScan, title: 'Stop Scanning' },
  });
}

/** "12 hidden by noise rules", with one row per rule that hid something; each click shows them again. */
export function hiddenNode(hiddenBy: readonly HiddenCount[]): MessageNode {
  const total = hiddenBy.reduce((n, h) => n + h.count, 0);
  const children = hiddenBy.map((h) =>
    messageNode({
      id: `noise:${h.id}`,
      label: `${h.label.charAt(0).toUpperCase()}${h.label.slice(1)}: ${h.count.toLocaleString('en-US')} hidden`,
      description: 'click to show them',
      tooltip: `Turns the noise rule "${h.label}" off for this workspace (Toggle Noise Rules turns it on again).`,
      icon: icon('eye'),
      command: { command: Commands.showHidden, title: 'Show Hidden Events', arguments: [h.id] },
    }),
  );
  if (hiddenBy.length > 1) {
    children.push(
      messageNode({
        id: 'noise:all',
        label: `Show all ${total.toLocaleString('en-US')}`,
        tooltip: 'Turns these noise rules off for this workspace (Toggle Noise Rules turns them on again).',
        icon: icon('eye'),
        command: { command: Commands.showHidden, title: 'Show Hidden Events' },
      }),
    );
  }
  return messageNode({
    id: 'status:hidden',
    label: `${total.toLocaleString('en-US')} hidden by noise rules`,
    icon: icon('eye-closed'),
    children,
  });
}
