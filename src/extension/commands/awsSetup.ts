/**
 * Getting connected: open the AWS config file, sign in with SSO in a terminal, or explore the
 * built-in sample account (the welcome view's three buttons, plus the SSO recovery).
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { Commands, EVENTS_VIEW_ID } from '../commandIds';
import { registerCommand } from '../runCommand';
import type { CommandContext } from './commandContext';

const CONFIG_TEMPLATE = `# AWS shared config file. Trail Lens lists every [profile …] here and in the credentials file.
# Credentials: \`aws configure\` (access keys) or \`aws configure sso\` (IAM Identity Center).
[default]
region = us-east-1
`;

export function register(ctx: CommandContext): vscode.Disposable[] {
  return [
    registerCommand(ctx.services, Commands.exploreSample, async () => {
      await ctx.connection.useSample();
      await vscode.commands.executeCommand(`${EVENTS_VIEW_ID}.focus`);
    }),
    registerCommand(ctx.services, Commands.openAwsConfig, async () => {
      const { config } = await ctx.connection.sharedFilePaths();
      const uri = vscode.Uri.file(config);
      if (fs.existsSync(config)) {
        await vscode.window.showTextDocument(uri);
        return;
      }
      // Not there yet: an untitled document at the real path, saved there on the first Save.
      const doc = await vscode.workspace.openTextDocument(uri.with({ scheme: 'untitled' }));
      const editor = await vscode.window.showTextDocument(doc);
      if (doc.getText() === '') await editor.edit((e) => e.insert(new vscode.Position(0, 0), CONFIG_TEMPLATE));
    }),
    registerCommand(ctx.services, Commands.ssoLogin, (profile?: unknown) => ssoLogin(ctx, typeof profile === 'string' ? profile : undefined)),
  ];
}

async function ssoLogin(ctx: CommandContext, profileArg: string | undefined): Promise<void> {
  const profile = profileArg || ctx.connection.profile || ctx.connection.describe().profile;
  const terminal = vscode.window.createTerminal({ name: `AWS SSO sign-in${profile ? ` (${profile})` : ''}` });
  terminal.show();
  terminal.sendText(profile ? `aws sso login --profile ${shellQuote(profile)}` : 'aws sso login');
  ctx.services.log.info(`Started "aws sso login" for profile ${profile ?? '(default)'} in a terminal`);
  // Retry when the terminal closes, or at once on "Retry".
  const closed = vscode.window.onDidCloseTerminal((t) => {
    if (t !== terminal) return;
    closed.dispose();
    ctx.connection.invalidate();
  });
  ctx.services.context.subscriptions.push(closed);
  const choice = await vscode.window.showInformationMessage(
    'Finish signing in in the browser window the terminal opens, then retry.',
    'Retry',
  );
  if (choice === 'Retry') ctx.connection.invalidate();
}

/** Profile names come from a file anyone could have edited: never let one become shell syntax. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_.@%+=:,/-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
