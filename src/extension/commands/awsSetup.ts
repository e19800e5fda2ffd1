/**
 * Getting connected: open the AWS config file or explore the built-in sample account (the welcome
 * view's buttons besides choosing a profile). Signing in with SSO is signIn.ts.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { EVENTS_VIEW_ID } from '../commandIds';
import type { TrailLensContext } from '../context';

const CONFIG_TEMPLATE = `# AWS shared config file. Trail Lens lists every [profile …] here and in the credentials file.
# Credentials: \`aws configure\` (access keys) or \`aws configure sso\` (IAM Identity Center).
[default]
region = us-east-1
`;

export async function exploreSample(ctx: TrailLensContext): Promise<void> {
  await ctx.connection.useSample();
  await vscode.commands.executeCommand(`${EVENTS_VIEW_ID}.focus`);
}

/** Opens the shared config file; when there is none yet, an untitled document at its real path with a template. */
export async function openAwsConfig(ctx: TrailLensContext): Promise<void> {
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
}
