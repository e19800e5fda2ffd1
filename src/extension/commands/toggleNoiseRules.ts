/**
 * Noise rules: core's built-in rules (service-linked roles, read-only calls, calls AWS services
 * made) and the custom patterns of `trailLens.noise.customRules`. Switching them is a view toggle,
 * remembered in workspace state (ViewState) with the settings as defaults; "show them again" from
 * the tree's hidden-events row turns one rule, or all, off.
 */
import * as vscode from 'vscode';
import { oneLine } from '../../core/text';
import type { TrailLensContext } from '../context';

export async function toggleNoiseRules(ctx: TrailLensContext): Promise<void> {
  const choices = ctx.state.noiseChoices;
  const items = choices.map((c) => ({
    id: c.rule.id,
    label: c.rule.label,
    description: c.pattern ? `custom: ${oneLine(c.pattern, 80)}` : undefined,
    picked: c.on,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Trail Lens: Noise Rules',
    placeHolder: 'Checked rules hide events; the view says how many each hid (custom rules: trailLens.noise.customRules)',
    canPickMany: true,
  });
  if (!picked) return;
  const on = new Map(items.map((i) => [i.id, picked.includes(i)]));
  if (choices.some((c) => on.get(c.rule.id) !== c.on)) await ctx.state.setNoiseRules(on);
}

/** Shows again what one rule hid (its id as the argument), or with no argument what every rule hid, by turning them off. */
export async function showHiddenEvents(ctx: TrailLensContext, ruleId?: unknown): Promise<void> {
  const on = ctx.state.noiseChoices.filter((c) => c.on && (typeof ruleId !== 'string' || c.rule.id === ruleId));
  if (!on.length) return;
  await ctx.state.setNoiseRules(new Map(on.map((c) => [c.rule.id, false])));
}
