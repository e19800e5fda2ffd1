/**
 * Profile and Region quick picks (the tree's first row and the status bar open them). Profiles come
 * from the shared files, re-read each time; SSO profiles are marked. Regions: the profile's own first.
 */
import * as vscode from 'vscode';
import type { ProfileInfo } from '../../core/awsProfiles';
import { Commands } from '../commandIds';
import type { TrailLensContext } from '../context';
import { pickRegion } from '../regionPicker';

type ProfileItem = vscode.QuickPickItem & { profile?: ProfileInfo; action?: 'sample' | 'openConfig' };

const KIND_LABEL: Record<ProfileInfo['kind'], string | undefined> = {
  sso: 'SSO',
  role: 'assumes a role',
  process: 'credential_process',
  'web-identity': 'web identity',
  static: undefined,
  other: undefined,
};

/** Profile, then Region (the profile's own first). */
export async function selectConnection(ctx: TrailLensContext): Promise<void> {
  const profile = await pickProfile(ctx);
  if (profile === undefined || profile === 'sample') return;
  const current = ctx.connection.describe();
  const region = await pickConnectionRegion(
    profile.region,
    !current.sample && current.profile === profile.name ? current.region : undefined,
  );
  if (region) await ctx.connection.selectProfile(profile.name, region);
}

/** An argument (a profile name) skips the picker: for the welcome view's links and other features. */
export async function selectProfile(ctx: TrailLensContext, name?: unknown): Promise<void> {
  if (typeof name === 'string' && name) return ctx.connection.selectProfile(name);
  const profile = await pickProfile(ctx);
  if (profile && profile !== 'sample') await ctx.connection.selectProfile(profile.name);
}

/** The sample account's second Region: its IAM and sign-in events are recorded there, as in a real account. */
const SAMPLE_GLOBAL_REGION = 'us-east-1';

/** An argument (a Region ID) skips the picker. On the sample account the Region is the sample's. */
export async function selectRegion(ctx: TrailLensContext, id?: unknown): Promise<void> {
  if (typeof id === 'string' && id) return ctx.connection.selectRegion(id);
  const d = ctx.connection.describe();
  if (d.sample) {
    const region = await pickRegion({
      title: 'Trail Lens: Sample Account Region',
      placeHolder: 'Region of the sample account to read (each Region has its own event history)',
      suggested: d.region === SAMPLE_GLOBAL_REGION ? undefined : { id: SAMPLE_GLOBAL_REGION, note: 'sample: IAM and sign-in events' },
      current: d.region,
    });
    if (region) await ctx.connection.selectRegion(region);
    return;
  }
  const profiles = await ctx.connection.listProfiles().catch(() => []);
  const profileRegion = profiles.find((p) => p.name === d.profile)?.region;
  const region = await pickConnectionRegion(profileRegion, d.region);
  if (region) await ctx.connection.selectRegion(region);
}

/** The chosen profile, 'sample' when the sample account was chosen (already applied), undefined on cancel. */
async function pickProfile(ctx: TrailLensContext): Promise<ProfileInfo | 'sample' | undefined> {
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
    {
      label: 'Sample account',
      description: 'built in, no AWS needed',
      iconPath: new vscode.ThemeIcon(current.sample ? 'check' : 'beaker'),
      action: 'sample',
    },
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

function pickConnectionRegion(profileRegion: string | undefined, current: string | undefined): Promise<string | undefined> {
  return pickRegion({
    title: 'Trail Lens: Region',
    placeHolder: 'Region to read CloudTrail events from (LookupEvents covers one Region at a time)',
    suggested: profileRegion ? { id: profileRegion, note: "profile's default" } : undefined,
    current,
  });
}
