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
import { toJson } from '../../core/json';
import { Commands } from '../commandIds';
import { openEventJson } from '../eventDocument';
import { eventTitle } from '../eventLabels';
import { registerCommand } from '../runCommand';
import type { Services } from '../services';

const STATUS_MS = 3000;

export function recordFromArg(arg: unknown): CloudTrailRecord | undefined {
  if (isRecord(arg)) return arg;
  if (typeof arg === 'object' && arg !== null && 'record' in arg) {
    const inner = (arg as { record: unknown }).record;
    if (isRecord(inner)) return inner;
  }
  return undefined;
}

function resolveRecord(services: Services, arg: unknown): CloudTrailRecord {
  const record = recordFromArg(arg) ?? services.events.selection()[0];
  if (!record) {
    throw new TrailLensError('InvalidInput', 'Select an event in the Trail Lens Events view first.');
  }
  return record;
}

/** The header context for a record shown from the tree: the session it was loaded with, if any. */
export function contextFor(services: Services, record: CloudTrailRecord): EventContext {
  const session = services.connection.current();
  if (!session) return { source: 'lookup', region: record.awsRegion };
  return { profile: session.profile, region: session.region, source: session.sample ? 'sample' : 'lookup' };
}

async function copy(text: string, status: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(status, STATUS_MS);
}

export function registerEventCommands(services: Services): vscode.Disposable {
  const resolve = (arg: unknown) => resolveRecord(services, arg);
  return vscode.Disposable.from(
    registerCommand(services, Commands.openEvent, async (arg?: unknown) => {
      const record = resolve(arg);
      services.panel.show(record, contextFor(services, record));
    }),
    registerCommand(services, Commands.openEventJson, async (arg?: unknown) => {
      const record = resolve(arg);
      await openEventJson(record, services.connection.current()?.region);
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
      await copy(toJson(resolve(arg), 2) ?? '', 'Copied record JSON');
    }),
  );
}
