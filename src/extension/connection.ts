/**
 * ConnectionService: which profile and Region (or the sample account) the extension reads, the
 * Session built for it on demand, and its health (what the last load said about the credentials).
 * The sample account's server is sample.ts; the watch on the shared AWS files (new or edited
 * profiles reload the view) is awsFilesWatcher.ts. The SDK is imported lazily, on the first
 * session() call.
 */
import * as vscode from 'vscode';
import { TrailLensError } from '../core/errors';
import type { ProfileInfo } from '../core/awsProfiles';
import type { EventCache } from '../core/cache';
import { AwsFilesWatcher } from './awsFilesWatcher';
import type { Config } from './config';
import type { Log } from './log';
import type { ConnectionService } from './context';
import { SampleAccount, sampleLabel } from './sample';
import type { Session } from './session';
import { loadEngine } from './loadEngine';

const SELECTION_KEY = 'trailLens.connection';

/** What the user chose, remembered per workspace. Empty fields fall back to settings, then core's defaults. */
export interface Selection {
  profile?: string;
  region?: string;
  sample?: boolean;
  /** The sample account's Region (it has several, each with its own history); kept apart from the profile's. */
  sampleRegion?: string;
}

export interface ConnectionDescription {
  label: string;
  /** Which account view this is (profile/Region/sample), not how it is reached (endpoint): stable across reloads. */
  identity: string;
  sample: boolean;
  profile?: string;
  region?: string;
}

/** Errors that say the connection itself needs attention (not the network, not CloudTrail). */
const CONNECTION_PROBLEMS = new Set<TrailLensError['code']>([
  'SsoExpired',
  'ExpiredCredentials',
  'InvalidCredentials',
  'AccessDenied',
  'UnknownProfile',
  'UnknownRegion',
]);

/**
 * What the last load with this connection said about it: `ok` (no known problem), `noCredentials`
 * (nothing configured anywhere), or a `problem` the person must fix (sign in, permissions, profile).
 */
export type ConnectionHealth = { state: 'ok' } | { state: 'noCredentials' } | { state: 'problem'; error: TrailLensError };

export function healthAfter(error: TrailLensError | undefined): ConnectionHealth {
  if (error?.code === 'NoCredentials') return { state: 'noCredentials' };
  if (error && CONNECTION_PROBLEMS.has(error.code)) return { state: 'problem', error };
  return { state: 'ok' };
}

export class ConnectionManager implements ConnectionService, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the selection or settings change, or credentials may have (the view reloads). */
  readonly onDidChange = this.changed.event;
  private readonly healthChanged = new vscode.EventEmitter<ConnectionHealth>();
  /** Fires on every load outcome reported, and when a new connection starts with no known problem. */
  readonly onDidChangeHealth = this.healthChanged.event;
  private healthValue: ConnectionHealth = { state: 'ok' };
  private selection: Selection;
  private currentSession: { key: string; promise: Promise<Session> } | undefined;
  private lastSession: Session | undefined;
  private readonly sample: SampleAccount;
  private readonly files: AwsFilesWatcher;
  private readonly caches = new Map<string, Promise<EventCache | undefined>>();
  /** Sessions on other Regions (sessionFor), forgotten with the main one. */
  private readonly others = new Map<string, Promise<Session>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly config: Config,
    private readonly log: Log,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.sample = new SampleAccount(log, () =>
      config.cacheEnabled ? { dir: context.globalStorageUri.fsPath, maxBytes: config.cacheMaxBytes } : undefined,
    );
    this.files = new AwsFilesWatcher(log, () => {
      if (!this.isSample) this.invalidate();
    });
    this.selection = context.workspaceState.get<Selection>(SELECTION_KEY) ?? {};
    // `npm start` on machines without AWS: open straight into the sample account (not persisted).
    if (env.TRAIL_LENS_SAMPLE === '1') this.selection = { ...this.selection, sample: true };
    this.disposables.push(
      config.onDidChange((c) => {
        const keys = ['profile', 'region', 'endpointUrl', 'cache.enabled', 'cache.directory', 'cache.maxSizeMB'];
        if (keys.some((k) => c.affects(k))) this.invalidate();
      }),
    );
  }

  get isSample(): boolean {
    return this.selection.sample === true;
  }

  /** The label without touching the network or the SDK (status bar, first tree node). */
  describe(): ConnectionDescription {
    if (this.isSample) {
      const region = this.selection.sampleRegion ?? (this.lastSession?.sample ? this.lastSession.region : undefined);
      return {
        label: region ? sampleLabel(region) : 'Sample account',
        identity: JSON.stringify(['sample', this.selection.sampleRegion ?? '']),
        sample: true,
        region,
      };
    }
    const profile = this.selection.profile ?? this.config.profile ?? process.env.AWS_PROFILE ?? 'default';
    const fromSession = this.lastSession && !this.lastSession.sample ? this.lastSession : undefined;
    const region = this.selection.region ?? this.config.region ?? fromSession?.region;
    const identity = JSON.stringify([profile, this.selection.region ?? this.config.region ?? '']);
    return { label: region ? `${profile} @ ${region}` : profile, identity, sample: false, profile, region };
  }

  current(): Session | undefined {
    return this.lastSession;
  }

  /** Same profile (or the sample endpoint), another Region; the limiter and cache are shared by key as usual. */
  async sessionFor(region: string, profile?: string): Promise<Session> {
    const base = await this.session();
    const otherProfile = profile !== undefined && !this.isSample && profile !== this.profile ? profile : undefined;
    if (region === base.region && otherProfile === undefined) return base;
    const key = JSON.stringify([this.selection, this.config.profile, this.config.endpointUrl, region, otherProfile]);
    let other = this.others.get(key);
    if (!other) {
      other = this.create(region, otherProfile);
      this.others.set(key, other);
      other.catch(() => this.others.delete(key));
    }
    return other;
  }

  session(): Promise<Session> {
    const key = JSON.stringify([
      this.selection,
      this.config.profile,
      this.config.region,
      this.config.endpointUrl,
      this.config.cacheEnabled,
      this.config.cacheDir,
      this.config.cacheMaxBytes,
    ]);
    if (this.currentSession?.key === key) return this.currentSession.promise;
    const promise = this.create();
    this.currentSession = { key, promise };
    promise.then(
      (s) => {
        if (this.currentSession?.promise === promise) this.lastSession = s;
      },
      // A failed session is not kept: the next call (Retry, a new profile) tries again.
      () => {
        if (this.currentSession?.promise === promise) this.currentSession = undefined;
      },
    );
    return promise;
  }

  /** Every profile in the shared files, re-read on each call (they may have changed). */
  async listProfiles(): Promise<ProfileInfo[]> {
    const { listProfiles, sharedFilePaths } = await loadEngine();
    this.files.watch(Object.values(sharedFilePaths()));
    try {
      return await listProfiles();
    } catch (err) {
      throw TrailLensError.chain(err, 'Could not read the AWS config files');
    }
  }

  async sharedFilePaths(): Promise<{ config: string; credentials: string }> {
    const { sharedFilePaths } = await loadEngine();
    return sharedFilePaths();
  }

  /** The profile sessions use now (undefined: core's default chain). */
  get profile(): string | undefined {
    return this.isSample ? undefined : (this.selection.profile ?? this.config.profile);
  }

  async selectProfile(profile: string, region?: string): Promise<void> {
    await this.setSelection({ profile, region, sampleRegion: this.selection.sampleRegion });
  }

  /** Another Region of the current account: the profile's, or the sample account's (it stays the sample). */
  async selectRegion(region: string): Promise<void> {
    await this.setSelection(this.isSample ? { ...this.selection, sampleRegion: region } : { ...this.selection, region });
  }

  async useSample(): Promise<void> {
    if (this.isSample) return;
    await this.setSelection({ ...this.selection, sample: true });
  }

  get health(): ConnectionHealth {
    return this.healthValue;
  }

  /** What loading events with the current session ended in (undefined: it worked). */
  reportOutcome(error: TrailLensError | undefined): void {
    this.healthValue = healthAfter(error);
    this.healthChanged.fire(this.healthValue);
  }

  /** Forgets the session (credentials may have changed) and tells listeners to reload. */
  invalidate(): void {
    this.forgetSession();
    if (this.healthValue.state !== 'ok') this.reportOutcome(undefined);
    this.changed.fire();
  }

  /** Forgets the session without notifying: the caller reloads itself. */
  forgetSession(): void {
    this.currentSession = undefined;
    this.others.clear();
  }

  dispose(): Promise<void> {
    this.files.dispose();
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
    this.healthChanged.dispose();
    return this.sample.stop();
  }

  private async setSelection(next: Selection): Promise<void> {
    const leavingSample = this.isSample && !next.sample;
    this.selection = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) as Selection;
    await this.context.workspaceState.update(SELECTION_KEY, this.selection);
    this.lastSession = undefined;
    if (leavingSample) await this.sample.stop();
    this.invalidate();
  }

  private async create(regionOverride?: string, profileOverride?: string): Promise<Session> {
    if (this.isSample) return this.sample.session(regionOverride ?? this.selection.sampleRegion);
    const engine = await loadEngine();
    const { sharedLimiter } = engine;
    this.files.watch(Object.values(engine.sharedFilePaths()));
    const profile = profileOverride ?? this.profile;
    const connection = await engine
      .connect({
        profile,
        region: regionOverride ?? this.selection.region ?? this.config.region,
        endpointUrl: this.config.endpointUrl,
        logger: this.log,
      })
      .catch(async (err: unknown) => {
        // With nothing configured at all, core first misses a Region (or a remembered profile is gone):
        // what the person lacks is credentials, and the welcome view says how to get some.
        const code = err instanceof TrailLensError ? err.code : undefined;
        if ((code === 'UnknownRegion' || code === 'UnknownProfile') && (await this.nothingConfigured())) {
          throw new TrailLensError('NoCredentials', 'No AWS credentials were found', { cause: err });
        }
        throw err;
      });
    // The limit and the history are per account and Region: pace and cache as the account.
    const cacheKey = engine.joinAccount(connection, this.config.cacheDir || engine.defaultCacheDir());
    const cache = this.config.cacheEnabled ? await this.openCache(cacheKey, connection.key) : undefined;
    const profileName = connection.profile ?? profile ?? 'default';
    this.log.info(`Connected: ${profileName} @ ${connection.region}${this.config.endpointUrl ? ` via ${this.config.endpointUrl}` : ''}`);
    return {
      connection,
      limiter: sharedLimiter(connection.key),
      cache,
      profile: profileName,
      region: connection.region,
      sample: false,
      label: `${profileName} @ ${connection.region}`,
    };
  }

  private async nothingConfigured(): Promise<boolean> {
    const env = process.env;
    if (
      env.AWS_ACCESS_KEY_ID ||
      env.AWS_PROFILE ||
      env.AWS_WEB_IDENTITY_TOKEN_FILE ||
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
      env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
    ) {
      return false;
    }
    const profiles = await this.listProfiles().catch(() => []);
    return profiles.length === 0;
  }

  /** One open cache per account+Region and folder: reconnecting (Refresh) must not re-read it from disk. */
  private openCache(key: string, connectionKey: string): Promise<EventCache | undefined> {
    const id = JSON.stringify([key, this.config.cacheDir ?? '', this.config.cacheMaxBytes]);
    let cache = this.caches.get(id);
    if (!cache) {
      cache = this.loadCache(key, connectionKey);
      this.caches.set(id, cache);
    }
    return cache;
  }

  /** `connectionKey`: what was cached under the connection's own key before its account was known joins the account's cache. */
  private async loadCache(key: string, connectionKey: string): Promise<EventCache | undefined> {
    try {
      const { openEventCache } = await loadEngine();
      // An unusable directory is said once in the log; the view carries on without a cache.
      return await openEventCache(key, {
        dir: this.config.cacheDir,
        maxBytes: this.config.cacheMaxBytes,
        logger: this.log,
        adoptFrom: connectionKey,
      });
    } catch (err) {
      // The cache only saves API calls; a read-only or broken cache directory must not block the view.
      this.log.warn(`Event cache unavailable (${err instanceof Error ? err.message : String(err)}); continuing without it`);
      return undefined;
    }
  }
}
