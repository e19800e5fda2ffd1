/**
 * How a search across many Regions and profiles reports itself, for both faces (no SDK, so the
 * extension's own bundle can use it): the targets planned, one line per target as it runs, and the
 * summary of what was searched everywhere when nothing is found.
 */
import { GLOBAL_EVENT_SOURCES, GLOBAL_SERVICE_REGION, STANDARD_REGIONS, isOptInRegion, isValidRegion, suggestRegions } from './awsRegions';
import { TrailLensError } from './errors';
import { describeProgress, type FindProgress } from './findReport';

/** One account (profile) in one Region. profile undefined: the default credentials. */
export interface SearchTarget {
  profile: string | undefined;
  region: string;
}

export type TargetStatus = 'waiting' | 'searching' | 'found' | 'not-found' | 'failed' | 'not-enabled' | 'cancelled' | 'same-account';

export interface TargetState {
  target: SearchTarget;
  status: TargetStatus;
  progress?: FindProgress;
  /** not-found: the one-Region summary (what was searched there). */
  summary?: string;
  /** failed / not-enabled: why, for a person. */
  reason?: string;
  /** same-account: the target already searching this account and Region. */
  sameAs?: SearchTarget;
  calls: number;
  pages: number;
}

/** "us-west-2" or "us-west-2 (prod)" when the profile is named. */
export function targetLabel(t: SearchTarget): string {
  return t.profile ? `${t.region} (${t.profile})` : t.region;
}

/**
 * The Regions `spec` names: "all" is the standard Regions every account has (opt-in Regions only
 * when named); else a comma-separated list, each checked (a typo gets suggestions).
 */
export function parseRegionList(spec: string): string[] {
  const parts = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new TrailLensError('InvalidInput', `No Region in '${spec}': name Regions (us-east-1,eu-west-1) or 'all'.`);
  const out: string[] = [];
  for (const p of parts) {
    const names = p.toLowerCase() === 'all' ? STANDARD_REGIONS : [p];
    for (const r of names) {
      if (!isValidRegion(r)) {
        const s = suggestRegions(r);
        throw new TrailLensError('InvalidInput', `'${r}' is not an AWS Region.${s.length ? ` Did you mean ${s.join(', ')}?` : ''}`);
      }
      if (!out.includes(r)) out.push(r);
    }
  }
  return out;
}

/**
 * Every profile × Region pair, in the order they are searched. A global service's calls are
 * recorded in us-east-1 only, so with its event source us-east-1 is added when missing and put first.
 */
export function planTargets(profiles: readonly (string | undefined)[], regions: readonly string[], eventSource?: string): SearchTarget[] {
  const global = eventSource !== undefined && GLOBAL_EVENT_SOURCES.has(eventSource);
  const ordered = global ? [GLOBAL_SERVICE_REGION, ...regions.filter((r) => r !== GLOBAL_SERVICE_REGION)] : [...new Set(regions)];
  const people = profiles.length ? [...new Set(profiles)] : [undefined];
  const out: SearchTarget[] = [];
  for (const region of ordered) for (const profile of people) out.push({ profile, region });
  return out;
}

/** True when the event source's calls are recorded in us-east-1 only (then that Region goes first). */
export function searchesGlobalFirst(eventSource: string | undefined): boolean {
  return eventSource !== undefined && GLOBAL_EVENT_SOURCES.has(eventSource);
}

/** One line for a target: "eu-west-1: 12 pages · back to … · 37%", "us-west-2: found". */
export function describeTarget(s: TargetState): string {
  const label = targetLabel(s.target);
  const pages = `${s.pages} page${s.pages === 1 ? '' : 's'}`;
  switch (s.status) {
    case 'waiting':
      return `${label}: waiting`;
    case 'searching':
      return `${label}: ${pages}${s.progress ? ` · ${describeProgress(s.progress)}` : ''}`;
    case 'found':
      return `${label}: found (${pages})`;
    case 'not-found':
      return `${label}: not found (${pages})`;
    case 'failed':
      return `${label}: failed — ${s.reason ?? 'error'}`;
    case 'not-enabled':
      return `${label}: not enabled for this account — skipped`;
    case 'cancelled':
      return `${label}: stopped${s.pages ? ` after ${pages}` : ''} (found elsewhere)`;
    case 'same-account':
      return `${label}: same account as ${s.sameAs ? targetLabel(s.sameAs) : 'another profile'} — searched once`;
  }
}

/** Whether an error means the Region is not enabled for the account rather than a real failure. */
export function isNotEnabledError(err: unknown, region: string): boolean {
  const cause = err instanceof Error ? (err.cause as { name?: unknown; Code?: unknown } | undefined) : undefined;
  const code = typeof cause?.name === 'string' ? cause.name : typeof cause?.Code === 'string' ? cause.Code : undefined;
  const text = err instanceof Error ? err.message : '';
  if (code === 'OptInRequired' || /\bOptInRequired\b/.test(text)) return true;
  // An opt-in Region the account has not enabled rejects every token as unknown.
  const unrecognised = code === 'UnrecognizedClientException' || /\bUnrecognizedClientException\b/.test(text);
  return unrecognised && isOptInRegion(region);
}

/** The verdict when nothing was found: where it looked, where it could not, and why. */
export function describeNowhere(requestId: string, states: readonly TargetState[]): string {
  const of = (status: TargetStatus) => states.filter((s) => s.status === status);
  const searched = of('not-found');
  const lines = [
    `No event with request ID ${requestId}: searched ${searched.length} of ${states.length} target${states.length === 1 ? '' : 's'}.`,
  ];
  for (const s of searched) lines.push(`  ${s.summary ?? targetLabel(s.target)}`);
  for (const s of of('failed')) lines.push(`  could not search ${targetLabel(s.target)}: ${s.reason ?? 'error'}`);
  const off = of('not-enabled');
  if (off.length) lines.push(`  not enabled for the account (skipped): ${off.map((s) => targetLabel(s.target)).join(', ')}`);
  for (const s of of('same-account')) lines.push(`  ${describeTarget(s)}`);
  const standard = new Set(states.map((s) => s.target.region));
  if (STANDARD_REGIONS.every((r) => standard.has(r)))
    lines.push('  Opt-in Regions (af-south-1, ap-east-1, me-south-1, …) are searched only when named in the Region list.');
  return lines.join('\n');
}
