/**
 * Which AWS account a connection reaches. CloudTrail's limit (2 LookupEvents/s) and its event
 * history are per account and Region, not per profile: two profiles on one account must share one
 * limiter and one cache. The account is learned for free from the first page's records
 * (`recipientAccountId`, the account whose history it is) and remembered on disk next to the
 * cache, so later runs share from their first call. The file maps a hash of the connection key
 * (endpoint, profile or access-key prefix, Region — never a secret) to the account ID.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Connection } from './aws';

const FILE = 'accounts.json';
const ACCOUNT_ID = /^\d{12}$/;

/** The account whose events a LookupEvents answer holds, from its first parseable record. */
export function accountInEvents(events: readonly { CloudTrailEvent?: string }[] | undefined): string | undefined {
  for (const e of events ?? []) {
    if (!e.CloudTrailEvent) continue;
    try {
      const r = JSON.parse(e.CloudTrailEvent) as { recipientAccountId?: unknown };
      if (typeof r.recipientAccountId === 'string' && ACCOUNT_ID.test(r.recipientAccountId)) return r.recipientAccountId;
    } catch {
      // a malformed record says nothing about the account; try the next
    }
  }
  return undefined;
}

/** The key that everything reaching one account and Region through one endpoint shares. */
export function accountKey(endpoint: string | undefined, accountId: string, region: string): string {
  return [endpoint ?? 'aws', `account:${accountId}`, region].join('|');
}

const hash = (connectionKey: string): string => createHash('sha256').update(connectionKey).digest('hex').slice(0, 32);

function readDirectory(dir: string): Record<string, string> {
  try {
    const data = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as unknown;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return {};
    return Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === 'string' && ACCOUNT_ID.test(v))) as Record<
      string,
      string
    >;
  } catch {
    return {}; // missing or damaged: the account is learned again from the next page
  }
}

/** The account a connection key was last seen to reach, if remembered in `dir`. */
export function rememberedAccount(dir: string, connectionKey: string): string | undefined {
  return readDirectory(dir)[hash(connectionKey)];
}

/** Remembers the account for next time (atomic write; an unusable directory is not an error). */
export function rememberAccount(dir: string, connectionKey: string, accountId: string): void {
  if (!ACCOUNT_ID.test(accountId)) return;
  const all = readDirectory(dir);
  if (all[hash(connectionKey)] === accountId) return;
  all[hash(connectionKey)] = accountId;
  const file = join(dir, FILE);
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(all));
    renameSync(tmp, file);
  } catch {
    // the cache directory is not usable: the cache itself has said so once already
  }
}

/**
 * Paces and caches `connection` as its account from now on: at once when `dir` remembers which
 * account it reaches, else from its first answer (and then remembered). Returns the key its cache
 * should be opened under now (the account's when known, else the connection's own).
 */
export function joinAccount(connection: Pick<Connection, 'key' | 'sharedKey' | 'useAccount' | 'onAccount'>, dir: string): string {
  const known = rememberedAccount(dir, connection.key);
  if (known) connection.useAccount(known);
  else connection.onAccount((id) => rememberAccount(dir, connection.key, id));
  return connection.sharedKey;
}
