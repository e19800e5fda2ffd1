/**
 * Time range presets (15 min … 90 days) and a custom range: an ISO start/end pair or a duration.
 * LookupEvents keeps 90 days, so nothing older is accepted.
 */
import * as vscode from 'vscode';
import { TrailLensError } from '../../core/errors';
import { parseDuration } from '../../core/time';
import { Commands } from '../commandIds';
import { registerCommand } from '../runCommand';
import type { TimeRange } from '../views/viewState';
import type { CommandContext } from './commandContext';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MAX_MS = 90 * DAY;

const PRESETS: { label: string; ms: number }[] = [
  { label: '15 minutes', ms: 15 * MINUTE },
  { label: '1 hour', ms: HOUR },
  { label: '3 hours', ms: 3 * HOUR },
  { label: '12 hours', ms: 12 * HOUR },
  { label: '24 hours', ms: DAY },
  { label: '3 days', ms: 3 * DAY },
  { label: '7 days', ms: 7 * DAY },
  { label: '30 days', ms: 30 * DAY },
  { label: '90 days', ms: MAX_MS },
];

export function register(ctx: CommandContext): vscode.Disposable {
  // An argument (a duration such as "24h", or "start/end") skips the pickers.
  return registerCommand(ctx.services, Commands.setTimeRange, async (arg?: unknown) => {
    if (typeof arg === 'string') {
      const parsed = parseRange(arg, Date.now());
      if (typeof parsed === 'string') throw invalid(parsed);
      return ctx.state.setRange(parsed);
    }
    const current = ctx.state.range;
    const items: (vscode.QuickPickItem & { ms?: number })[] = PRESETS.map((p) => ({
      label: `Last ${p.label}`,
      ms: p.ms,
      iconPath: current.kind === 'relative' && current.ms === p.ms ? new vscode.ThemeIcon('check') : undefined,
    }));
    items.push({ label: 'Custom…', description: 'ISO start and end, or a duration such as 36h', iconPath: new vscode.ThemeIcon('edit') });
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Trail Lens: Time Range',
      placeHolder: `Events from… (now: ${ctx.state.describeRange()})`,
    });
    if (!picked) return;
    if (picked.ms !== undefined) return ctx.state.setRange({ kind: 'relative', ms: picked.ms });
    const text = await vscode.window.showInputBox({
      title: 'Trail Lens: Custom Time Range',
      prompt: 'A duration back from now (45m, 36h, 10d) or an ISO start and end separated by "/" or a space (UTC unless an offset is given)',
      placeHolder: '2024-08-08T09:00Z/2024-08-08T10:30Z',
      validateInput: (value) => {
        const r = parseRange(value, Date.now());
        return typeof r === 'string' ? r : undefined;
      },
    });
    if (text === undefined) return;
    const parsed = parseRange(text, Date.now());
    if (typeof parsed !== 'string') ctx.state.setRange(parsed);
  });
}

function invalid(message: string): TrailLensError {
  return new TrailLensError('InvalidInput', `Time range: ${message}`);
}

/** A TimeRange, or a message saying what is wrong with the text. */
export function parseRange(text: string, now: number): TimeRange | string {
  const value = text.trim();
  if (!value) return 'Enter a duration such as 24h, or a start and end time';
  const parts = value.split(/\s*\/\s*|\s+(?=\d{4}-)/).filter(Boolean);
  if (parts.length === 1 && !/^\d{4}-\d{2}-\d{2}/.test(parts[0])) {
    let ms: number;
    try {
      ms = parseDuration(parts[0]);
    } catch (err) {
      return err instanceof Error ? err.message : 'Not a duration: try 15m, 6h or 7d';
    }
    if (!(ms > 0)) return 'The duration must be longer than zero';
    if (ms > MAX_MS) return 'CloudTrail Event history keeps 90 days: use 90d or less';
    return { kind: 'relative', ms };
  }
  if (parts.length !== 2) return 'Enter a start and an end time separated by "/", e.g. 2024-08-08T09:00Z/2024-08-08T10:00Z';
  const [start, end] = parts.map((p) => parseTime(p));
  if (start === undefined) return `Not a date/time: ${parts[0]}`;
  if (end === undefined) return `Not a date/time: ${parts[1]}`;
  if (start >= end) return 'The start must be before the end';
  if (start < now - MAX_MS) return 'CloudTrail Event history keeps 90 days: the start is older than that';
  if (start > now) return 'The start is in the future';
  return { kind: 'absolute', start: new Date(start), end: new Date(Math.min(end, now)) };
}

/** ISO 8601; a time without an offset is read as UTC (CloudTrail's eventTime is UTC). */
function parseTime(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(text);
  const withTime = text.length === 10 ? `${text}T00:00` : text;
  const t = Date.parse(hasZone ? withTime : `${withTime}Z`);
  return Number.isNaN(t) ? undefined : t;
}
