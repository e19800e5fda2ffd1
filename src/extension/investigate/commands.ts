/**
 * The investigation commands: related events, resource history, compare two events, export what
 * the Events view shows, and Markdown evidence for a ticket. Searches run in the engine bundle
 * (loadEngine) under a cancellable progress notification and end in the Investigation view.
 */
import * as vscode from 'vscode';
import { differingFields } from '../../core/investigate/compare';
import { EXPORT_FORMATS, exportRecords, formatForPath, type ExportFormat } from '../../core/investigate/export';
import { resourceCandidates, resourceForms } from '../../core/investigate/resources';
import { comparisonMarkdown, eventMarkdown } from '../../core/investigate/markdown';
import { TrailLensError, isAbortError } from '../../core/errors';
import { EVENT_HISTORY_MS } from '../../core/limits';
import type { CloudTrailRecord } from '../../core/record';
import { oneLine } from '../../core/text';
import { formatUtc } from '../../core/time';
import { recordFromArg } from '../commands/eventCommands';
import type { TrailLensContext } from '../context';
import { eventTitle } from '../eventLabels';
import { loadEngine } from '../loadEngine';
import type { Session } from '../session';
import { openComparison } from './compareDocuments';

const STATUS_MS = 3000;

function oneRecord(ctx: TrailLensContext, arg: unknown): CloudTrailRecord {
  const record = recordFromArg(arg) ?? ctx.events.selection()[0] ?? ctx.investigation.selection()[0];
  if (!record) throw new TrailLensError('InvalidInput', 'Select an event in the Trail Lens Events view first.');
  return record;
}

/** The two events to compare: the multi-selection VS Code passes, else the selection of either view. */
export function twoRecords(ctx: TrailLensContext, arg: unknown, more: unknown): [CloudTrailRecord, CloudTrailRecord] {
  const picked = (Array.isArray(more) ? more : []).map(recordFromArg).filter((r): r is CloudTrailRecord => !!r);
  const candidates = [picked, [...ctx.events.selection()], ctx.investigation.selection()];
  const pair = candidates.find((list) => list.length === 2);
  if (pair) return [pair[0], pair[1]];
  const many = candidates.find((list) => list.length > 2);
  throw new TrailLensError(
    'InvalidInput',
    many
      ? `${many.length} events are selected; Compare works on two. Select exactly two (Ctrl/Cmd-click), then Compare.`
      : recordFromArg(arg)
        ? 'Only one event is selected. Ctrl/Cmd-click a second event in the same view, then Compare.'
        : 'Select two events (Ctrl/Cmd-click) in the Events view, then Compare.',
  );
}

async function copy(text: string, status: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(status, STATUS_MS);
}

/** The session for the event's Region (the current one when it matches or is unknown). */
async function sessionFor(ctx: TrailLensContext, record: CloudTrailRecord): Promise<Session> {
  const session = await ctx.connection.session();
  const region = typeof record.awsRegion === 'string' ? record.awsRegion : undefined;
  return region && region !== session.region ? ctx.connection.sessionFor(region) : session;
}

/** Runs `task` under a cancellable notification; resolves to undefined when cancelled. */
async function withSearch<T>(
  title: string,
  task: (signal: AbortSignal, report: (m: string) => void) => Promise<T>,
): Promise<T | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        return await task(controller.signal, (message) => progress.report({ message: oneLine(message, 200) }));
      } catch (err) {
        if (isAbortError(err) || controller.signal.aborted) return undefined;
        throw err;
      } finally {
        sub.dispose();
      }
    },
  );
}

export async function showRelatedEvents(ctx: TrailLensContext, arg?: unknown): Promise<void> {
  const record = oneRecord(ctx, arg);
  const session = await sessionFor(ctx, record);
  const minutes = ctx.config.relatedAroundMinutes;
  const engine = await loadEngine();
  const result = await withSearch(`Events by the same caller ±${minutes} min around ${eventTitle(record)}`, (signal, report) =>
    engine.findRelated(
      { lookup: session.connection.lookupEvents, limiter: session.limiter, logger: ctx.log, signal, onProgress: report },
      record,
      { aroundMinutes: minutes },
    ),
  );
  if (!result) return;
  ctx.log.info(`related: ${result.events.length - 1} events around ${record.eventID}; ${result.searched.length} queries`);
  await ctx.investigation.showRelated(result);
}

const TYPE_ONE = '$(edit) Type a name or ARN…';

/** The resource to look up: a name or ARN passed as the argument, else one the person picks from the event or types. */
async function pickResource(ctx: TrailLensContext, arg: unknown): Promise<string | undefined> {
  if (typeof arg === 'string' && arg.trim()) return arg.trim();
  const record = recordFromArg(arg) ?? (arg === undefined ? undefined : ctx.events.selection()[0]);
  const candidates = record ? resourceCandidates(record) : [];
  if (candidates.length) {
    const items: (vscode.QuickPickItem & { value?: string })[] = [
      ...candidates.map((c) => ({ label: oneLine(c.value, 200), description: oneLine(c.where, 120), value: c.value })),
      { label: TYPE_ONE },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: `Resource history: a resource in ${record ? eventTitle(record) : 'the event'}`,
      placeHolder: 'Pick the resource whose events to look up (ResourceName)',
      matchOnDescription: true,
    });
    if (!picked) return undefined;
    if (picked.value !== undefined) return picked.value;
  }
  const typed = await vscode.window.showInputBox({
    title: 'Resource history',
    prompt: 'A resource name or ARN, as LookupEvents ResourceName matches it (exactly, case-sensitively)',
    placeHolder: 'arn:aws:kms:ap-northeast-1:123456789012:key/… or my-bucket',
    validateInput: (v) => (v.trim() === '' ? 'Enter a name or an ARN' : v.trim().length > 2000 ? 'At most 2000 characters' : undefined),
  });
  return typed?.trim() || undefined;
}

export async function showResourceHistory(ctx: TrailLensContext, arg?: unknown): Promise<void> {
  const resource = await pickResource(ctx, arg);
  if (!resource) return;
  const record = recordFromArg(arg);
  const session = record ? await sessionFor(ctx, record) : await ctx.connection.session();
  const knownArns = ctx.events.records().flatMap((r) => (Array.isArray(r.resources) ? r.resources.map((x) => String(x?.ARN ?? '')) : []));
  const now = Date.now();
  const window = { start: new Date(now - EVENT_HISTORY_MS), end: new Date(now) };
  const engine = await loadEngine();
  const forms = resourceForms(resource, knownArns);
  const result = await withSearch(
    `Events of ${oneLine(resource, 80)} (${forms.length} form${forms.length === 1 ? '' : 's'})`,
    (signal, report) =>
      engine.findResourceHistory(
        { lookup: session.connection.lookupEvents, limiter: session.limiter, logger: ctx.log, signal, onProgress: report },
        resource,
        { window, knownArns },
      ),
  );
  if (!result) return;
  ctx.log.info(`history: ${result.events.length} events under ${result.forms.length} forms`);
  await ctx.investigation.showHistory(result);
}

export async function compareEvents(ctx: TrailLensContext, arg?: unknown, more?: unknown): Promise<void> {
  const [a, b] = twoRecords(ctx, arg, more);
  await openComparison(a, b);
}

export async function copyComparisonMarkdown(ctx: TrailLensContext, arg?: unknown, more?: unknown): Promise<void> {
  const [a, b] = twoRecords(ctx, arg, more);
  const [older, newer] = Date.parse(a.eventTime) <= Date.parse(b.eventTime) ? [a, b] : [b, a];
  await copy(
    comparisonMarkdown(older, newer, differingFields(older, newer), { region: ctx.connection.current()?.region }),
    'Copied comparison as Markdown',
  );
}

export async function copyEventMarkdown(ctx: TrailLensContext, arg?: unknown): Promise<void> {
  const record = oneRecord(ctx, arg);
  await copy(eventMarkdown(record, { region: ctx.connection.current()?.region }), 'Copied event as Markdown');
}

export async function copyInvestigationMarkdown(ctx: TrailLensContext): Promise<void> {
  const md = ctx.investigation.markdown();
  if (!md) throw new TrailLensError('InvalidInput', 'The Investigation view is empty: show related events or a resource history first.');
  await copy(md, 'Copied investigation as Markdown');
}

const FILTERS: Record<ExportFormat, Record<string, string[]>> = {
  csv: { CSV: ['csv'] },
  jsonl: { 'JSON Lines': ['jsonl', 'ndjson'] },
  json: { JSON: ['json'] },
};

/** The file and format: a file URI passed as the argument (format from its extension), else a format pick and a save dialog. */
async function exportTarget(count: number, arg: unknown): Promise<{ target: vscode.Uri; format: ExportFormat } | undefined> {
  if (arg instanceof vscode.Uri) return { target: arg, format: formatForPath(arg.path) };
  const format = await vscode.window.showQuickPick(
    EXPORT_FORMATS.map((f) => ({
      label: f.toUpperCase(),
      description: f === 'csv' ? 'key columns, for a spreadsheet' : 'the whole records',
      format: f,
    })),
    { title: `Export ${count} shown event${count === 1 ? '' : 's'}`, placeHolder: 'File format' },
  );
  if (!format) return undefined;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `trail-lens-events-${formatUtc(new Date(), 'iso')
    .replace(/[:]/g, '')
    .replace(/\.\d+Z$|Z$/, 'Z')}.${format.format}`;
  const target = await vscode.window.showSaveDialog({
    title: `Export ${count} events as ${format.label}`,
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: FILTERS[format.format],
    saveLabel: 'Export',
  });
  return target && { target, format: format.format };
}

export async function exportShownEvents(ctx: TrailLensContext, arg?: unknown): Promise<void> {
  const { shown } = ctx.events.model.shown();
  const filters = ctx.state.describeFilters();
  if (shown.length === 0) {
    void vscode.window.showInformationMessage(
      `The Events view shows no events to export (${[ctx.state.describeRange(), ...filters].join(' · ')}). Load events or loosen the filters first.`,
    );
    return;
  }
  const chosen = await exportTarget(shown.length, arg);
  if (!chosen) return;
  const { target, format } = chosen;
  if (target.scheme !== 'file')
    throw new TrailLensError('InvalidInput', `Trail Lens exports to files on this machine; ${target.scheme}: is not one.`);
  const records = [...shown];
  const written = await withSearch(`Exporting ${records.length} events to ${target.fsPath}`, (signal, report) =>
    exportRecords(target.fsPath, format, records, {
      signal,
      onProgress: (n) => report(`${n} of ${records.length} (${Math.round((100 * n) / records.length)}%)`),
    }),
  );
  if (written === undefined) {
    void vscode.window.showInformationMessage('Export cancelled; no file was left behind.');
    return;
  }
  const scope = filters.length ? ` (${filters.join(' · ')})` : '';
  // Not awaited: the command is done once the file is written, whether or not the offer is taken.
  void vscode.window.showInformationMessage(`Exported ${written} events${scope} to ${target.fsPath}.`, 'Open File').then((open) => {
    if (open) void vscode.window.showTextDocument(target);
  });
}
