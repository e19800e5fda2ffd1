/**
 * Value provenance in the event panel: from one value in a record to the other events holding it
 * in any of its forms (core/investigate/valueForms.ts), split into the events that PRODUCED it
 * (returned it in responseElements) and those that CONSUMED it (passed it in requestParameters).
 *
 * - "Find events with this value" searches the loaded events (Events view and cache) and CloudTrail
 *   ±1 h around the shown event, then lists producers first; "Search wider" widens ring by ring.
 * - "Where did this value come from?" widens until a producer is found and opens it at once: from a
 *   failed call's flagged parameter to the CreateKey that returned the key ID, in one click.
 * - Shape hints: for a failed call's parameter that promises an ARN but holds a key ID, the ARN it
 *   should have been, from the loaded events only (no API call), sent to the page after the event.
 */
import * as vscode from 'vscode';
import { pathText } from '../../core/investigate/paths';
import { classify, holdersIn, shouldHaveBeen, type ValueHolder, type ValueRole } from '../../core/investigate/provenance';
import { shapeProblems } from '../../core/investigate/shape';
import { formsAmong } from '../../core/investigate/valueForms';
import type { CloudTrailRecord } from '../../core/record';
import type { TraceDeps, TraceResult } from '../../core/investigate/trace';
import { actorLabel } from '../../core/summary';
import type { ShapeHint } from '../../protocol/protocol';
import type { Session } from '../session';
import type { MessageServices } from './panelMessages';
import { dateTime, eventTitle, oneLine } from '../eventLabels';
import { loadEngine } from '../loadEngine';

export interface ValueMatch {
  record: CloudTrailRecord;
  /** JSON paths where the value (in one of its forms) occurs, e.g. "requestParameters.encryptionKeyArn". */
  paths: string[];
  /** Not among the Events view's records: read from the cache or from CloudTrail. */
  fromCache: boolean;
  /** responseElements holds it: this event produced the value; requestParameters: it consumed it. */
  role: ValueRole;
  /** The ARN the event returned beside the value (CreateKey's keyMetadata.arn). */
  arn?: string;
}

/** What the quick pick says each kind of match did with the value. */
export const ROLE_TEXT: Record<ValueRole, string> = {
  produced: 'produced this value',
  consumed: 'passed this value in',
  mentioned: 'mentions this value',
};

const ROLE_GROUP: Record<ValueRole, string> = {
  produced: 'Produced it (responseElements)',
  consumed: 'Consumed it (requestParameters)',
  mentioned: 'Other mentions',
};

/** How far before the shown event shape hints look for a producer among loaded events, and after. */
const HINT_BEFORE_MS = 3 * 24 * 3600_000;
const HINT_AFTER_MS = 3600_000;

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The session for the event's Region (value-following reads CloudTrail where the event is), if one can be made. */
async function sessionFor(services: MessageServices, region: string | undefined): Promise<Session | undefined> {
  try {
    const current = await services.connection.session();
    return region && region !== current.region ? await services.connection.sessionFor(region) : current;
  } catch (err) {
    // No connection (a record opened from a file, say): the tree's records are still worth searching.
    services.log.debug(`findValue: searching loaded events only (${errorText(err)})`);
    return undefined;
  }
}

function depsOf(session: Session | undefined, services: MessageServices): TraceDeps {
  if (!session) return { logger: services.log };
  return { lookupEvents: session.connection.lookupEvents, limiter: session.limiter, cache: session.cache, logger: services.log };
}

/** Runs traceValue under a cancellable progress notification; `until` as traceValue takes it. */
async function trace(
  services: MessageServices,
  value: string,
  event: CloudTrailRecord,
  session: Session | undefined,
  until: 'producer' | number,
  title: string,
): Promise<TraceResult> {
  const { traceValue } = await loadEngine();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        const result = await traceValue(depsOf(session, services), {
          value,
          event,
          loaded: services.events.records(),
          until,
          signal: controller.signal,
          onProgress: (p) =>
            progress.report({
              message: `${p.step}: ${p.events} events, ${p.pages} pages${p.waiting ? ' · waiting — CloudTrail is throttling' : ''}`,
            }),
        });
        services.log.info(`findValue: ${result.summary}`);
        return result;
      } finally {
        sub.dispose();
      }
    },
  );
}

function matchOf(h: ValueHolder, loaded: ReadonlySet<string>): ValueMatch {
  const m: ValueMatch = { record: h.record, paths: h.hits.map((x) => x.path), fromCache: !loaded.has(h.record.eventID), role: h.role };
  const arn = h.hits.find((x) => x.beside)?.beside?.arn;
  if (arn) m.arn = arn;
  return m;
}

function loadedIds(services: MessageServices): Set<string> {
  return new Set(services.events.records().map((r) => r.eventID));
}

/** "responseElements.keyMetadata.keyId (key ID) +1" */
function where(h: ValueHolder, value: string): string {
  const [first, ...rest] = h.hits;
  if (!first) return '';
  const form = first.form === value || first.formKind === 'value' ? '' : ` (as its ${first.formKind})`;
  return `${first.path}${form}${rest.length ? ` +${rest.length}` : ''}`;
}

type PickItem = vscode.QuickPickItem & { holder?: ValueHolder; wider?: true };

function pickItems(result: TraceResult, value: string): PickItem[] {
  const items: PickItem[] = [];
  for (const role of ['produced', 'consumed', 'mentioned'] as const) {
    const holders = result.provenance[role];
    if (!holders.length) continue;
    items.push({ label: ROLE_GROUP[role], kind: vscode.QuickPickItemKind.Separator });
    for (const h of holders) {
      const arn = h.hits.find((x) => x.beside)?.beside;
      items.push({
        label: `${role === 'produced' ? '$(star-full) ' : ''}${oneLine(h.record.eventName, 80)}`,
        description: `${ROLE_TEXT[role]} · ${oneLine(where(h, value), 200)}`,
        detail: [
          dateTime(h.record),
          oneLine(h.record.eventSource, 60),
          oneLine(actorLabel(h.record), 80),
          oneLine(h.record.errorCode, 60),
          arn && `ARN beside it: ${oneLine(arn.arn, 200)}`,
        ]
          .filter(Boolean)
          .join(' · '),
        holder: h,
      });
    }
  }
  return items;
}

/**
 * Finds the other events holding the value — loaded ones, then CloudTrail ±1 h around the shown event
 * — and lets the person pick one, producers first; "Search wider" reads the next ring. Resolves to
 * the chosen match, or undefined when the pick was dismissed or nothing was found (and said so).
 */
export async function pickEventHolding(
  services: MessageServices,
  value: string,
  exclude: CloudTrailRecord | undefined,
  region?: string,
): Promise<ValueMatch | undefined> {
  const shown = oneLine(value, 60);
  if (!exclude) {
    void vscode.window.showInformationMessage(`No event to search around for "${shown}".`);
    return undefined;
  }
  const session = await sessionFor(services, region ?? exclude.awsRegion);
  for (let rings = 1; ; rings++) {
    const result = await trace(services, value, exclude, session, rings, `Finding events with "${shown}"`);
    const { produced, consumed, mentioned } = result.provenance;
    const total = produced.length + consumed.length + mentioned.length;
    const more = !result.cancelled && result.ringsRead < result.rings;
    if (total === 0 && !more) {
      void vscode.window.showInformationMessage(`No other event holds "${shown}" (in any of its forms). Searched ${result.summary}.`);
      return undefined;
    }
    const items = pickItems(result, value);
    if (more)
      items.push({ label: '$(search) Search wider', description: 'read the next ring of CloudTrail around this event', wider: true });
    const forms = [...result.forms.forms.keys()].filter((f) => f !== value).length;
    const picked = await vscode.window.showQuickPick(items, {
      title: `Events holding "${shown}"${forms ? ` or its ${forms} other form${forms === 1 ? '' : 's'}` : ''}`,
      placeHolder: `${total} event${total === 1 ? '' : 's'}: ${produced.length} produced it, ${consumed.length} consumed it · searched ${result.summary}`,
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!picked?.wider) return picked?.holder ? matchOf(picked.holder, loadedIds(services)) : undefined;
  }
}

/**
 * "Where did this value come from?": widens outward until an event that produced the value is found
 * and returns it (the one nearest before the shown event). When none is found it says what was
 * searched and offers the full list of events holding the value; what is picked there goes to
 * `onPicked` (the notification does not hold the caller up).
 */
export async function traceOrigin(
  services: MessageServices,
  value: string,
  event: CloudTrailRecord,
  region: string | undefined,
  onPicked: (match: ValueMatch) => void,
): Promise<ValueMatch | undefined> {
  const shown = oneLine(value, 60);
  const session = await sessionFor(services, region ?? event.awsRegion);
  const result = await trace(services, value, event, session, 'producer', `Where did "${shown}" come from?`);
  const [producer] = result.provenance.produced;
  if (producer) return matchOf(producer, loadedIds(services));
  const verb = result.cancelled ? 'Cancelled: no' : 'No';
  const find = 'Find Events with This Value';
  void Promise.resolve(
    vscode.window.showInformationMessage(`${verb} event that returned "${shown}" was found. Searched ${result.summary}.`, find),
  )
    .then(async (answer) => {
      if (answer !== find) return;
      const picked = await pickEventHolding(services, value, event, region);
      if (picked) onPicked(picked);
    })
    .catch((err: unknown) => services.log.warn(`findValue: ${errorText(err)}`));
  return undefined;
}

/** The records shape hints may use without any API call: the Events view's, and the cache around the event. */
function nearbyRecords(services: MessageServices, record: CloudTrailRecord, region: string | undefined): CloudTrailRecord[] {
  const out = [...services.events.records()];
  const session = services.connection.current();
  const t = Date.parse(record.eventTime);
  if (session?.cache && !Number.isNaN(t) && (!region || region === session.region)) {
    out.push(...session.cache.query({ start: new Date(t - HINT_BEFORE_MS), end: new Date(t + HINT_AFTER_MS) }));
  }
  return out;
}

/**
 * For each flagged parameter of a failed call, the ARN it should have been when the loaded events
 * know it: the ARN its producer returned beside it, or an ARN of the same key seen elsewhere.
 */
export function shapeHintsFor(services: MessageServices, record: CloudTrailRecord, region: string | undefined): ShapeHint[] {
  const problems = shapeProblems(record);
  if (problems.length === 0) return [];
  const records = nearbyRecords(services, record, region);
  const at = Date.parse(record.eventTime);
  const hints: ShapeHint[] = [];
  for (const problem of problems) {
    const forms = formsAmong([...records, record], problem.value);
    const [producer] = classify(holdersIn(records, forms, record.eventID), Number.isNaN(at) ? undefined : at).produced;
    const arn = shouldHaveBeen(problem, producer, forms);
    if (!arn) continue;
    const beside = producer?.hits.find((h) => h.beside?.arn === arn)?.beside?.path;
    const source = producer
      ? `${producer.role === 'produced' ? 'returned by ' : ''}${eventTitle(producer.record)}${beside ? ` as ${beside.replace(/^responseElements\./, '')}` : ''}`
      : 'an ARN of the same resource in the loaded events';
    hints.push({ path: pathText(problem.path), arn, source });
  }
  return hints;
}
