/** Time range presets (15 min … 90 days) and a custom range: a duration, or a start (and end) in any form the CLI takes. */
import * as vscode from 'vscode';
import { TrailLensError } from '../../core/errors';
import type { TrailLensContext } from '../context';
import { MAX_RANGE_MS, parseRange } from '../views/timeRange';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const PRESETS: { label: string; ms: number }[] = [
  { label: '15 minutes', ms: 15 * MINUTE },
  { label: '1 hour', ms: HOUR },
  { label: '3 hours', ms: 3 * HOUR },
  { label: '12 hours', ms: 12 * HOUR },
  { label: '24 hours', ms: DAY },
  { label: '3 days', ms: 3 * DAY },
  { label: '7 days', ms: 7 * DAY },
  { label: '30 days', ms: 30 * DAY },
  { label: '90 days', ms: MAX_RANGE_MS },
];

/** An argument (a duration such as "24h", or "start/end") skips the pickers. */
export async function setTimeRange(ctx: TrailLensContext, arg?: unknown): Promise<void> {
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
  items.push({ label: 'Custom…', description: 'a start and end, or a duration such as 36h', iconPath: new vscode.ThemeIcon('edit') });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Trail Lens: Time Range',
    placeHolder: `Events from… (now: ${ctx.state.describeRange()})`,
  });
  if (!picked) return;
  if (picked.ms !== undefined) return ctx.state.setRange({ kind: 'relative', ms: picked.ms });
  const text = await vscode.window.showInputBox({
    title: 'Trail Lens: Custom Time Range',
    prompt:
      'A duration back from now (45m, 36h, 10d), a start time, or a start and end separated by "/" or a space: ISO times, dates, epoch seconds, ages (3d) or log and console times (UTC unless a zone is given)',
    placeHolder: '2024-08-08T09:00Z/2024-08-08T10:30Z',
    validateInput: (value) => {
      const r = parseRange(value, Date.now());
      return typeof r === 'string' ? r : undefined;
    },
  });
  if (text === undefined) return;
  const parsed = parseRange(text, Date.now());
  if (typeof parsed !== 'string') ctx.state.setRange(parsed);
}

function invalid(message: string): TrailLensError {
  return new TrailLensError('InvalidInput', `Time range: ${message}`);
}
