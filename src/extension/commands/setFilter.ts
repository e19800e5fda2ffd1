/**
 * Filter by one LookupEvents attribute (the API allows exactly one), and clear it. EventSource and
 * EventName complete from the values seen in loaded events (and known event sources): typed text
 * completes ("backup" → backup.amazonaws.com), text that matches nothing known is offered its close
 * matches (views/valueSuggest.ts), and the text exactly as typed is always one of the choices.
 */
import * as vscode from 'vscode';
import { TrailLensError } from '../../core/errors';
import { ATTRIBUTE_KEYS, type AttributeKey, type LookupAttribute } from '../../core/record';
import { KNOWN_EVENT_SOURCES } from '../../core/services';
import type { TrailLensContext } from '../context';
import { suggestValues } from '../views/valueSuggest';

const KEY_HELP: Record<AttributeKey, string> = {
  EventSource: 'the service, e.g. backup.amazonaws.com',
  EventName: 'the API action, e.g. CreateBackupVault',
  Username: 'IAM user or role session name',
  ResourceName: 'a resource name or ARN CloudTrail recorded',
  ResourceType: 'e.g. AWS::S3::Bucket',
  ReadOnly: 'true or false',
  AccessKeyId: 'the access key the call was signed with',
  EventId: 'one event by its ID',
};

/** AttributeValue allows 2000 characters (docs/cloudtrail.md §1.1). */
const MAX_VALUE = 2000;

/** An argument {key, value} skips the pickers: for links from other features. */
export async function setFilter(ctx: TrailLensContext, arg?: unknown): Promise<void> {
  if (arg !== undefined) return ctx.state.setAttribute(validate(arg));
  const key = await pickKey(ctx);
  if (!key) return;
  const value = await pickValue(ctx, key);
  if (value === undefined) return;
  ctx.state.setAttribute({ key, value });
}

/**
 * Clears the attribute filter, the filter pattern and a custom time range, and says what it cleared
 * and what stays in effect (the noise rules, which Toggle Noise Rules changes). Nothing to clear:
 * nothing to say.
 */
export async function clearFilter(ctx: TrailLensContext): Promise<void> {
  const cleared = await ctx.state.clearFilters();
  if (!cleared.length) return;
  const still = ctx.state.noiseRules.map((r) => `"${r.label}"`);
  const stays = still.length ? ` Noise rules still on: ${still.join(', ')} (Toggle Noise Rules).` : '';
  void vscode.window.showInformationMessage(`Cleared ${cleared.join(' and ')}: showing ${ctx.state.describeRange()}.${stays}`);
}

function validate(arg: unknown): LookupAttribute {
  const a = arg as Partial<LookupAttribute> | null;
  if (!a || typeof a !== 'object' || !(ATTRIBUTE_KEYS as readonly string[]).includes(String(a.key))) {
    throw new TrailLensError('InvalidInput', `Filter: the attribute must be one of ${ATTRIBUTE_KEYS.join(', ')}`);
  }
  if (typeof a.value !== 'string' || !a.value || a.value.length > MAX_VALUE) {
    throw new TrailLensError('InvalidInput', `Filter: the value must be 1–${MAX_VALUE} characters`);
  }
  return { key: a.key as AttributeKey, value: a.value };
}

async function pickKey(ctx: TrailLensContext): Promise<AttributeKey | undefined> {
  const current = ctx.state.attribute;
  const picked = await vscode.window.showQuickPick(
    ATTRIBUTE_KEYS.map((key) => ({
      label: key,
      description: KEY_HELP[key],
      iconPath: current?.key === key ? new vscode.ThemeIcon('check') : undefined,
    })),
    { title: 'Trail Lens: Filter by Lookup Attribute (1/2)', placeHolder: 'CloudTrail filters on one attribute at a time' },
  );
  return picked?.label as AttributeKey | undefined;
}

async function pickValue(ctx: TrailLensContext, key: AttributeKey): Promise<string | undefined> {
  if (key === 'ReadOnly') {
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'false', description: 'changes (write calls) only' },
        { label: 'true', description: 'read-only calls only' },
      ],
      { title: 'Trail Lens: ReadOnly (2/2)' },
    );
    return picked?.label;
  }
  if (key === 'EventSource' || key === 'EventName') return pickWithCompletion(ctx, key);
  return vscode.window
    .showInputBox({
      title: `Trail Lens: ${key} (2/2)`,
      prompt: `Show only events whose ${key} is exactly this value (case-sensitive): ${KEY_HELP[key]}`,
      value: ctx.state.attribute?.key === key ? ctx.state.attribute.value : undefined,
      validateInput: (v) => (!v.trim() ? 'Enter a value' : v.length > MAX_VALUE ? `At most ${MAX_VALUE} characters` : undefined),
    })
    .then((v) => v?.trim());
}

/** A quick pick over known values that also accepts whatever is typed. */
function pickWithCompletion(ctx: TrailLensContext, key: 'EventSource' | 'EventName'): Promise<string | undefined> {
  const seen = new Map<string, number>();
  for (const r of ctx.events.records()) {
    const v = key === 'EventSource' ? r.eventSource : r.eventName;
    if (typeof v === 'string' && v) seen.set(v, (seen.get(v) ?? 0) + 1);
  }
  const known = key === 'EventSource' ? KNOWN_EVENT_SOURCES.filter((s) => !seen.has(s)) : [];
  const base: vscode.QuickPickItem[] = [
    ...[...seen.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([label, n]) => ({ label, description: `${n} loaded` })),
    ...known.map((label) => ({ label, description: 'known service' })),
  ];
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick();
    qp.title = `Trail Lens: ${key} (2/2)`;
    qp.placeholder = `${KEY_HELP[key]} — pick one or type a value`;
    qp.items = base;
    qp.matchOnDescription = false;
    let done = false;
    const finish = (value: string | undefined) => {
      if (done) return;
      done = true;
      resolve(value);
      qp.dispose();
    };
    qp.onDidChangeValue((typed) => {
      const t = typed.trim();
      if (!t || base.some((i) => i.label === t)) {
        qp.items = base;
        return;
      }
      // CloudTrail matches exactly: lead with what the text completes to, else its close matches.
      const { completions, close } = suggestValues(
        t,
        base.map((i) => i.label),
        key,
      );
      const lead = completions.length ? completions : close;
      const leadItems: vscode.QuickPickItem[] = lead.map((label) => ({
        label,
        description: completions.length ? base.find((i) => i.label === label)?.description : `close match for "${t}"`,
        alwaysShow: true,
      }));
      const literal: vscode.QuickPickItem = {
        label: t,
        description: lead.length ? 'use exactly as typed' : 'use this value (matches nothing known)',
        alwaysShow: true,
      };
      qp.items = [...leadItems, literal, ...base.filter((i) => !lead.includes(i.label))];
      // The picker would otherwise put the literal text first (it matches itself best).
      qp.activeItems = [leadItems[0] ?? literal];
    });
    qp.onDidAccept(() => {
      const value = (qp.selectedItems[0]?.label ?? qp.activeItems[0]?.label ?? qp.value).trim();
      if (value && value.length <= MAX_VALUE) finish(value);
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}
