/**
 * Choosing what the Events view reads: Trail Lens: Open Trail Log Files… (a dialog, or the Explorer
 * context menu on a folder or a .json.gz/.json file), Open Trail Bucket… (a trail of the Trails
 * view, or s3://bucket/prefix typed) and Choose Event Source… (event history or a configured trail
 * source). Opening a source adds it to trailLens.trailFiles.sources and sets trailLens.events.source.
 */
import * as vscode from 'vscode';
import { TrailLensError } from '../../core/errors';
import type { TrailHealth } from '../../core/trails/health';
import type { TrailLensContext } from '../context';
import { isS3Source } from './sourceIo';

const S3_URL = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:\/.*)?$/;

async function show(ctx: TrailLensContext, source: string | undefined): Promise<void> {
  await ctx.config.setEventsSource(source);
  await vscode.commands.executeCommand('trailLens.events.focus');
}

/** The path of an Explorer or dialog pick: a Uri, or the first of several selected. */
function pathOf(arg: unknown, more: unknown): string | undefined {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (Array.isArray(more) && more[0] instanceof vscode.Uri) return more[0].fsPath;
  if (typeof arg === 'string' && arg.trim()) return arg.trim();
  return undefined;
}

export async function openTrailFiles(ctx: TrailLensContext, arg?: unknown, more?: unknown): Promise<void> {
  let path = pathOf(arg, more);
  if (!path) {
    const picked = await vscode.window.showOpenDialog({
      title: 'Open Trail Log Files: a synced AWSLogs folder, or .json.gz / .json log files',
      openLabel: 'Open as Event Source',
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: false,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    path = picked?.[0]?.fsPath;
  }
  if (path) await show(ctx, path);
}

/** s3://bucket/prefix/ of a trail (DescribeTrails: S3BucketName, S3KeyPrefix). */
export function trailUrl(h: Pick<TrailHealth, 'target'>): string | undefined {
  const { bucket, prefix } = h.target;
  return bucket ? `s3://${bucket}/${prefix ? `${prefix.replace(/^\/+|\/+$/g, '')}/` : ''}` : undefined;
}

function healthOf(arg: unknown): TrailHealth | undefined {
  if (typeof arg === 'object' && arg !== null && 'health' in arg) return (arg as { health: TrailHealth }).health;
  return undefined;
}

export async function openTrailBucket(ctx: TrailLensContext, arg?: unknown): Promise<void> {
  const fromNode = healthOf(arg);
  if (fromNode) {
    const url = trailUrl(fromNode);
    if (!url)
      throw new TrailLensError('InvalidInput', `Trail ${fromNode.name} delivers to no S3 bucket (DescribeTrails has no S3BucketName).`);
    return show(ctx, url);
  }
  if (typeof arg === 'string' && S3_URL.test(arg.trim())) return show(ctx, arg.trim());
  let trails = ctx.trails.loadedTrails;
  if (!trails.length) {
    await ctx.trails.refresh();
    trails = ctx.trails.loadedTrails;
  }
  type Item = vscode.QuickPickItem & { url?: string };
  const items: Item[] = trails.flatMap((t) => {
    const url = trailUrl(t);
    return url ? [{ label: t.name, description: url, detail: t.organization ? 'organization trail' : undefined, url }] : [];
  });
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = 'Open Trail Bucket';
  pick.placeholder = items.length
    ? 'Pick a trail, or type s3://bucket/prefix'
    : 'Type s3://bucket/prefix (DescribeTrails found no trail with a bucket)';
  pick.items = items;
  const chosen = await new Promise<string | undefined>((resolve) => {
    pick.onDidChangeValue((v) => {
      const typed = v.trim();
      pick.items = S3_URL.test(typed) ? [{ label: typed, description: 'open this bucket and prefix', url: typed }, ...items] : items;
    });
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0];
      const typed = pick.value.trim();
      if (item?.url) resolve(item.url);
      else if (S3_URL.test(typed)) resolve(typed);
      else {
        pick.placeholder = `'${typed}' is not s3://bucket/prefix: pick a trail, or type s3://bucket/prefix`;
        return;
      }
      pick.hide();
    });
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  });
  pick.dispose();
  if (chosen) await show(ctx, chosen);
}

/** A quick pick of the configured trail sources; undefined when dismissed or none are configured. */
export async function pickTrailSource(ctx: TrailLensContext, title: string): Promise<string | undefined> {
  const sources = ctx.config.trailFileSources;
  if (!sources.length) {
    throw new TrailLensError('Config', 'No trail sources are configured (trailLens.trailFiles.sources is empty).', {
      hint: 'Run Trail Lens: Open Trail Log Files… or Trail Lens: Open Trail Bucket… first.',
    });
  }
  if (sources.length === 1) return sources[0];
  const pick = await vscode.window.showQuickPick(
    sources.map((s) => ({ label: s, description: isS3Source(s) ? 'S3' : 'local' })),
    { title },
  );
  return pick?.label;
}

export async function chooseEventSource(ctx: TrailLensContext): Promise<void> {
  const d = ctx.connection.describe();
  const current = ctx.config.eventsSource;
  type Item = vscode.QuickPickItem & { run: () => Promise<void> };
  const items: Item[] = [
    {
      label: `Event history (LookupEvents) — ${d.profile ?? (d.sample ? 'sample account' : 'default')} · ${d.region ?? 'default Region'}`,
      description: current ? undefined : 'shown now',
      detail: 'The last 90 days of management events of the connection',
      run: () => show(ctx, undefined),
    },
    ...ctx.config.trailFileSources.map((s) => ({
      label: s,
      description: s === current ? 'shown now' : isS3Source(s) ? 'S3 trail bucket' : 'trail log files',
      run: () => show(ctx, s),
    })),
    { label: '$(folder-opened) Open Trail Log Files…', run: () => openTrailFiles(ctx) },
    { label: '$(cloud) Open Trail Bucket…', run: () => openTrailBucket(ctx) },
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Choose Event Source',
    placeHolder: 'Where the Events view reads events from',
  });
  await pick?.run();
}
