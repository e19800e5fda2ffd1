/**
 * Profiles in the shared config and credentials files, read with the SDK's own loader
 * (@smithy/core/config, where @smithy/shared-ini-file-loader now lives) so that parsing matches
 * what the credential providers will see. Every path comes from the `env` passed in, never from
 * process.env behind the caller's back.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/core/config';
import type { ParsedIniData } from '@smithy/types';

export interface ProfileInfo {
  name: string;
  region?: string;
  kind: 'static' | 'sso' | 'role' | 'process' | 'web-identity' | 'other';
  ssoSession?: string;
  ssoStartUrl?: string;
  sourceProfile?: string;
  files: ('config' | 'credentials')[];
}

export type ProfileData = Record<string, string | undefined>;

/** Both files parsed, keyed the SDK's way: profiles by name, plus `sso-session.X` and `services.X` sections. */
export interface SharedFiles {
  paths: { config: string; credentials: string };
  config: ParsedIniData;
  credentials: ParsedIniData;
  /** Profile name → merged settings (credentials file wins, as in the SDK's parseKnownFiles). */
  profiles: Map<string, ProfileData>;
}

/** The home directory the AWS tools would use for this env (same order as the SDK's getHomeDir). */
export function homeDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HOME) return env.HOME;
  if (env.USERPROFILE) return env.USERPROFILE;
  if (env.HOMEPATH) return `${env.HOMEDRIVE ?? 'C:\\'}${env.HOMEPATH}`;
  return homedir();
}

export function sharedFilePaths(env: NodeJS.ProcessEnv = process.env): { config: string; credentials: string } {
  const home = homeDir(env);
  // Expand "~/" here with env's home: the SDK would expand it with process.env.HOME instead.
  const expand = (p: string) => (p.startsWith('~/') ? join(home, p.slice(2)) : p);
  return {
    config: expand(env.AWS_CONFIG_FILE || join(home, '.aws', 'config')),
    credentials: expand(env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials')),
  };
}

const NON_PROFILE_SECTION = /^(sso-session|services)\./;

/** Reads both files from disk now (ignoreCache: the SDK otherwise keeps the first read forever). */
export async function readSharedFiles(env: NodeJS.ProcessEnv = process.env): Promise<SharedFiles> {
  const paths = sharedFilePaths(env);
  const { configFile, credentialsFile } = await loadSharedConfigFiles({
    filepath: paths.credentials,
    configFilepath: paths.config,
    ignoreCache: true,
  });
  const profiles = new Map<string, ProfileData>();
  for (const [name, data] of Object.entries(configFile)) {
    if (!NON_PROFILE_SECTION.test(name)) profiles.set(name, { ...data });
  }
  for (const [name, data] of Object.entries(credentialsFile)) {
    profiles.set(name, { ...profiles.get(name), ...data });
  }
  return { paths, config: configFile, credentials: credentialsFile, profiles };
}

/** Which provider the SDK's fromIni would pick for this profile (same order as resolveProfileData). */
export function profileKind(data: ProfileData): ProfileInfo['kind'] {
  if (data.role_arn && data.web_identity_token_file) return 'web-identity';
  if (data.role_arn && (data.source_profile || data.credential_source)) return 'role';
  if (data.aws_access_key_id && data.aws_secret_access_key) return 'static';
  if (data.credential_process) return 'process';
  if (data.sso_start_url || data.sso_session || data.sso_account_id || data.sso_role_name || data.sso_region) return 'sso';
  return 'other';
}

export function describeProfile(name: string, files: SharedFiles): ProfileInfo {
  const data = files.profiles.get(name) ?? {};
  const info: ProfileInfo = { name, kind: profileKind(data), files: [] };
  if (name in files.config && !NON_PROFILE_SECTION.test(name)) info.files.push('config');
  if (name in files.credentials) info.files.push('credentials');
  if (data.region) info.region = data.region;
  if (data.source_profile) info.sourceProfile = data.source_profile;
  if (data.sso_session) {
    info.ssoSession = data.sso_session;
    const session = files.config[`sso-session.${data.sso_session}`];
    if (session?.sso_start_url) info.ssoStartUrl = session.sso_start_url;
  }
  if (data.sso_start_url) info.ssoStartUrl = data.sso_start_url;
  return info;
}

/** Every profile in both files, 'default' first then by name. Re-reads the files on each call. */
export async function listProfiles(env: NodeJS.ProcessEnv = process.env): Promise<ProfileInfo[]> {
  const files = await readSharedFiles(env);
  return sortProfileNames([...files.profiles.keys()]).map((name) => describeProfile(name, files));
}

export function sortProfileNames(names: string[]): string[] {
  return [...names].sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
}

/**
 * The endpoint the SDK's configured-endpoints feature would pick for a service, computed from `env`
 * and the profile (the SDK itself reads process.env and the default files, so we resolve it here
 * and hand the client an explicit endpoint). Order: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL,
 * the profile's `services` section, the profile's `endpoint_url`; none when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / ignore_configured_endpoint_urls is true.
 */
export function configuredEndpoint(
  serviceId: string,
  env: NodeJS.ProcessEnv,
  profile: ProfileData | undefined,
  config: ParsedIniData,
): string | undefined {
  const isTrue = (v: string | undefined) => v?.trim().toLowerCase() === 'true';
  if (isTrue(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)) return undefined;
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === undefined && isTrue(profile?.ignore_configured_endpoint_urls)) return undefined;
  const words = serviceId.split(' ');
  const fromEnv = env[['AWS_ENDPOINT_URL', ...words.map((w) => w.toUpperCase())].join('_')] || env.AWS_ENDPOINT_URL;
  if (fromEnv) return fromEnv;
  if (profile?.services) {
    const section = config[`services.${profile.services}`];
    const url = section?.[`${words.map((w) => w.toLowerCase()).join('_')}.endpoint_url`];
    if (url) return url;
  }
  return profile?.endpoint_url || undefined;
}
