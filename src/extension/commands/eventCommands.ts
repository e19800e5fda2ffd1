/**
 * Commands on one event: open it in the panel or as JSON, copy its request ID, event ID or JSON.
 * They take a record, a tree node holding one (`node.record`), or nothing (the event selected in the
 * Events view).
 */
import * as vscode from 'vscode';
import { TrailLensError } from '../../core/errors';
import { isRecord } from '../../core/record';
import type { CloudTrailRecord } from '../../core/record';
import type { EventContext } from '../../shared/protocol';
import { Commands } from '../commandIds';
import { openEventJson } from '../eventDocument';
import { eventTitle } from '../eventLabels';
import { registerCommand } from '../runCommand';
import type { Services } from '../services';
import type { SessionTracker } from '../sessionTracker';

const STATUS_MS = 3000;

/** Optional: an Events view that can say what is selected (the command was run from a keybinding). */
interface SelectionAware {
  selection?(): readonly CloudTrailRecord[];
}

export function recordFromArg(arg: unknown): CloudTrailRecord | undefined {
  if (isRecord(arg)) return arg;
  if (typeof arg === 'object' && arg !== null && 'record' in arg) {
    const inner = (arg as { record: unknown }).record;
    if (isRecord(inner)) return inner;
  }
  return undefined;
}

function resolveRecord(services: Services, arg: unknown): CloudTrailRecord {
  const record = recordFromArg(arg) ?? (services.events as EventsWithSelection).selection?.()[0];
  if (!record) {
    throw new TrailLensError('InvalidInput', 'Select an event in the Trail Lens Events view first.');
  }
  return record;
}

type EventsWithSelection = Services['events'] & SelectionAware;

/** The header context for a record shown from the tree: the session it was loaded with, if any. */
export function contextFor(tracker: SessionTracker, record: CloudTrailRecord): EventContext {
  const session = tracker.current();
  if (!session) return { source: 'lookup', region: record.awsRegion };
  return { profile: session.profile, region: session.region, source: session.sample ? 'sample' : 'lookup' };
}

async function copy(text: string, status: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(status, STATUS_MS);
}

export function registerEventCommands(services: Services, tracker: SessionTracker): vscode.Disposable {
  const resolve = (arg: unknown) => resolveRecord(services, arg);
  return vscode.Disposable.from(
    registerCommand(services, Commands.openEvent, async (arg?: unknown) => {
      const record = resolve(arg);
      // The tree's session is already built, so asking for it costs nothing; it names the header's profile.
      await tracker.refresh();
      services.panel.show(record, contextFor(tracker, record));
    }),
    registerCommand(services, Commands.openEventJson, async (arg?: unknown) => {
      const record = resolve(arg);
      await openEventJson(record, tracker.current()?.region);
    }),
    registerCommand(services, Commands.copyRequestId, async (arg?: unknown) => {
      const record = resolve(arg);
      if (!record.requestID) {
        void vscode.window.showWarningMessage(
          `${eventTitle(record)} has no request ID: CloudTrail leaves requestID out for some events (console sign-ins, AWS service events). Copy the event ID instead?`,
          'Copy Event ID',
        ).then((choice) => (choice ? copy(record.eventID, 'Copied event ID') : undefined));
        return;
      }
      await copy(record.requestID, 'Copied request ID');
    }),
    registerCommand(services, Commands.copyEventId, async (arg?: unknown) => {
      await copy(resolve(arg).eventID, 'Copied event ID');
    }),
    registerCommand(services, Commands.copyRecordJson, async (arg?: unknown) => {
      await copy(JSON.stringify(resolve(arg), null, 2), 'Copied record JSON');
    }),
  );
}
