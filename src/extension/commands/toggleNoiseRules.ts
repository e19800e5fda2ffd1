/** Noise rules: hide service-linked-role sessions and/or read-only calls. Saved as settings. */
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { registerCommand } from '../runCommand';
import type { CommandContext } from './commandContext';

type RuleKey = 'noise.hideServiceLinkedRoles' | 'noise.hideReadOnly';

export function register(ctx: CommandContext): vscode.Disposable {
  return registerCommand(ctx.services, Commands.toggleNoiseRules, async () => {
    const { config } = ctx.services;
    const items: (vscode.QuickPickItem & { key: RuleKey })[] = [
      {
        key: 'noise.hideServiceLinkedRoles',
        label: 'Hide AWS service-linked roles',
        description: 'AWSServiceRoleFor* sessions, e.g. the Config recorder',
        picked: config.hideServiceLinkedRoles,
      },
      { key: 'noise.hideReadOnly', label: 'Hide read-only events', description: 'readOnly: true', picked: config.hideReadOnly },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Trail Lens: Noise Rules',
      placeHolder: 'Checked rules hide events; the view says how many are hidden',
      canPickMany: true,
    });
    if (!picked) return;
    for (const item of items) {
      const on = picked.includes(item);
      const current = item.key === 'noise.hideReadOnly' ? config.hideReadOnly : config.hideServiceLinkedRoles;
      if (on !== current) await config.update(item.key, on);
    }
  });
}
