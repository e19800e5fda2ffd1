/**
 * Commands on one event: open it in the panel or as JSON, copy its request ID, event ID or JSON.
 * They take a record, a tree node holding one (`node.record`), or nothing (the event selected in the
 * Events view).
 */
import * as vscode from 'vscode';
import { TrailLensError } from '../../core/errors';
import { isRecord } from '../../core/record';
import type { CloudTrailRecord } from '../../core/record';
import { EVENT_SOURCE_KINDS, type EventContext } from '../../protocol/protocol';
import { toJson } from '../../core/json';
import { openEventJson } from '../eventDocument';
import { eventTitle } from '../eventLabels';
import type { TrailLensContext } from '../context';

const STATUS_MS = 3000;

export function recordFromArg(arg: unknown): CloudTrailRecord | undefined {
  if (isRecord(arg)) return arg;
  if (typeof arg === 'object' && arg !== null && 'record' in arg) {
    const inner = (arg as { record: unknown }).record;
    if (isRecord(inner)) return inner;
  }
  return undefined;
}

function resolveRecord(ctx: TrailLensContext, arg: unknown): CloudTrailRecord {
  const record = recordFromArg(arg) ?? ctx.events.selection()[0];
  if (!record) {
    throw new TrailLensError('InvalidInput', 'Select an event in the Trail Lens Events view first.');
  }
  return record;
}

/** The header context for a record shown from the tree: the session it was loaded with, if any. */
export function contextFor(ctx: TrailLensContext, record: CloudTrailRecord): EventContext {
  const session = ctx.connection.current();
  if (!session) return { source: 'lookup', region: record.awsRegion };
  return { profile: session.profile, region: session.region, source: session.sample ? 'sample' : 'lookup' };
}

async function copy(text: string, status: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(status, STATUS_MS);
}

/** The header context a tree node carries with its record (a trail source's row: which file it came from). */
function nodeContext(arg: unknown): EventContext | undefined {
  if (typeof arg !== 'object' || arg === null || !('context' in arg)) return undefined;
  const c = (arg as { context: unknown }).context;
  if (typeof c !== 'object' || c === null) return undefined;
  const { source, where, region } = c as Record<string, unknown>;
  if (!(EVENT_SOURCE_KINDS as readonly unknown[]).includes(source)) return undefined;
  return {
    source: source as EventContext['source'],
    ...(typeof where === 'string' ? { where } : {}),
    ...(typeof region === 'string' ? { region } : {}),
  };
}

/** Opens the record (an argument, or the tree's selection) in the event panel. */
export function openEvent(ctx: TrailLensContext, arg?: unknown): void {
  const record = resolveRecord(ctx, arg);
  ctx.panel.show(record, nodeContext(arg) ?? contextFor(ctx, record));
}

export async function openEventAsJson(ctx: TrailLensContext, arg?: unknown): Promise<void> {
  await openEventJson(resolveRecord(ctx, arg), ctx.connection.current()?.region);
}

export async function copyRequestId(ctx: TrailLensContext, arg?: unknown): Promise<void> {
  const record = resolveRecord(ctx, arg);
  if (!record.requestID) {
    void vscode.window
      .showWarningMessage(
        `${eventTitle(record)} has no request ID: CloudTrail leaves requestID out for some events (console sign-ins, AWS service events). Copy the event ID instead?`,
        'Copy Event ID',
      )
      .then((choice) => (choice ? copy(record.eventID, 'Copied event ID') : undefined));
    return;
  }
  await copy(record.requestID, 'Copied request ID');
}

export async function copyEventId(ctx: TrailLensContext, arg?: unknown): Promise<void> {
  await copy(resolveRecord(ctx, arg).eventID, 'Copied event ID');
}

export async function copyRecordJson(ctx: TrailLensContext, arg?: unknown): Promise<void> {
  await copy(toJson(resolveRecord(ctx, arg), 2) ?? '', 'Copied record JSON');
}
