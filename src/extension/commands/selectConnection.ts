/**
 * Profile and Region quick picks (the tree's first row and the status bar open them). Profiles come
 * from the shared files, re-read each time; SSO profiles are marked. Regions: the profile's own first.
 */
import * as vscode from 'vscode';
import type { ProfileInfo } from '../../core/awsProfiles';
import { COMMERCIAL_REGIONS } from '../../core/awsRegions';
import { Commands } from '../commandIds';
import { registerCommand } from '../runCommand';
import type { CommandContext } from './commandContext';

type ProfileItem = vscode.QuickPickItem & { profile?: ProfileInfo; action?: 'sample' | 'openConfig' };

const KIND_LABEL: Record<ProfileInfo['kind'], string | undefined> = {
  sso: 'SSO',
  role: 'assumes a role',
  process: 'credential_process',
  'web-identity': 'web identity',
  static: undefined,
  other: undefined,
};

export function register(ctx: CommandContext): vscode.Disposable[] {
  return [
    registerCommand(ctx.services, Commands.selectConnection, async () => {
      const profile = await pickProfile(ctx);
      if (profile === undefined) return;
      if (profile === 'sample') return;
      const region = await pickRegion(ctx, profile.region, undefined);
      if (region) await ctx.connection.selectProfile(profile.name, region);
    }),
    // An argument (a profile name) skips the picker: for the welcome view's links and other features.
    registerCommand(ctx.services, Commands.selectProfile, async (name?: unknown) => {
      if (typeof name === 'string' && name) return ctx.connection.selectProfile(name);
      const profile = await pickProfile(ctx);
      if (profile && profile !== 'sample') await ctx.connection.selectProfile(profile.name);
    }),
    registerCommand(ctx.services, Commands.selectRegion, async (id?: unknown) => {
      if (typeof id === 'string' && id) return ctx.connection.selectRegion(id);
      const d = ctx.connection.describe();
      const profiles = d.sample ? [] : await ctx.connection.listProfiles().catch(() => []);
      const profileRegion = profiles.find((p) => p.name === d.profile)?.region;
      const region = await pickRegion(ctx, profileRegion, d.region);
      if (region) await ctx.connection.selectRegion(region);
    }),
  ];
}

/** The chosen profile, 'sample' when the sample account was chosen (already applied), undefined on cancel. */
async function pickProfile(ctx: CommandContext): Promise<ProfileInfo | 'sample' | undefined> {
  const profiles = await ctx.connection.listProfiles();
  const current = ctx.connection.describe();
  const items: ProfileItem[] = profiles.map((p) => ({
    label: p.name,
    description: [KIND_LABEL[p.kind], p.region].filter(Boolean).join(' · ') || undefined,
    detail: p.kind === 'sso' && p.ssoStartUrl ? `SSO start URL ${p.ssoStartUrl}` : undefined,
    iconPath: new vscode.ThemeIcon(!current.sample && p.name === current.profile ? 'check' : p.kind === 'sso' ? 'key' : 'account'),
    profile: p,
  }));
  items.push(
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: 'Sample account', description: 'built in, no AWS needed', iconPath: new vscode.ThemeIcon(current.sample ? 'check' : 'beaker'), action: 'sample' },
    { label: 'Open AWS config file…', iconPath: new vscode.ThemeIcon('go-to-file'), action: 'openConfig' },
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Trail Lens: AWS Profile',
    placeHolder: profiles.length
      ? `Profile to read CloudTrail with (now: ${current.label})`
      : 'No profiles found in the AWS config or credentials file',
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (picked.action === 'sample') {
    await ctx.connection.useSample();
    return 'sample';
  }
  if (picked.action === 'openConfig') {
    await vscode.commands.executeCommand(Commands.openAwsConfig);
    return undefined;
  }
  return picked.profile;
}

async function pickRegion(ctx: CommandContext, profileRegion: string | undefined, current: string | undefined): Promise<string | undefined> {
  const first = COMMERCIAL_REGIONS.filter((r) => r.id === profileRegion);
  const rest = COMMERCIAL_REGIONS.filter((r) => r.id !== profileRegion);
  const items: vscode.QuickPickItem[] = [...first, ...rest].map((r) => ({
    label: r.id,
    description: [r.name, r.id === profileRegion ? "profile's default" : undefined].filter(Boolean).join(' · '),
    iconPath: r.id === current ? new vscode.ThemeIcon('check') : undefined,
  }));
  if (profileRegion && !first.length) items.unshift({ label: profileRegion, description: "profile's default" });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Trail Lens: Region',
    placeHolder: 'Region to read CloudTrail events from (LookupEvents covers one Region at a time)',
    matchOnDescription: true,
  });
  ctx.services.log.debug(`Region picked: ${picked?.label ?? '(cancelled)'}`);
  return picked?.label;
}
