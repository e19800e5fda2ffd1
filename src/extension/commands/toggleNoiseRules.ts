/**
 * Noise rules: hide service-linked-role sessions and/or read-only calls. A view toggle, so it is
 * remembered in workspace state (ViewState), with the `trailLens.noise.*` settings as defaults.
 */
import * as vscode from 'vscode';
import type { TrailLensContext } from '../context';
import type { NoiseRules } from '../../core/noise';

export async function toggleNoiseRules(ctx: TrailLensContext): Promise<void> {
  const rules = ctx.state.noiseRules;
  const items: (vscode.QuickPickItem & { key: keyof NoiseRules })[] = [
    {
      key: 'hideServiceLinkedRoles',
      label: 'Hide AWS service-linked roles',
      description: 'AWSServiceRoleFor* sessions, e.g. the Config recorder',
      picked: rules.hideServiceLinkedRoles,
    },
    { key: 'hideReadOnly', label: 'Hide read-only events', description: 'readOnly: true', picked: rules.hideReadOnly },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Trail Lens: Noise Rules',
    placeHolder: 'Checked rules hide events; the view says how many are hidden',
    canPickMany: true,
  });
  if (!picked) return;
  const next = { ...rules };
  for (const item of items) next[item.key] = picked.includes(item);
  if (next.hideReadOnly !== rules.hideReadOnly || next.hideServiceLinkedRoles !== rules.hideServiceLinkedRoles) {
    await ctx.state.setNoiseRules(next);
  }
}
