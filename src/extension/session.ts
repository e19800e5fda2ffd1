/**
 * What a feature needs to talk to CloudTrail for the chosen profile and Region. No `vscode` here:
 * the Events model (views/eventsModel.ts) uses it in plain Node.
 */
import type { Connection } from '../core/aws';
import type { EventCache } from '../core/cache';
import type { RateLimiter } from '../core/limiter';

export interface Session {
  connection: Connection;
  limiter: RateLimiter;
  cache: EventCache | undefined;
  profile: string | undefined;
  region: string;
  /** True for the built-in sample account (a local fake CloudTrail endpoint). */
  sample: boolean;
  /** "dev @ eu-west-1" or "Sample account @ ap-northeast-1". */
  label: string;
}
