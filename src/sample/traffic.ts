/**
 * Everyday traffic: callers (people, CI, workloads, a monitoring integration, AWS services) each
 * make bursts of calls with their own daily rhythm, tools, addresses and error habits. This module
 * mixes the sources (trafficPeople.ts, trafficCi.ts, trafficIntegrations.ts, trafficWorkloads.ts)
 * by their shares into one stream of records; what a source is, is trafficTypes.ts's.
 */
import type { CloudTrailRecord } from '../core/record';
import { catalogRecord } from './catalog';
import { localOffsetMs, sampleTime } from './rhythm';
import { CI } from './trafficCi';
import { AUDIT, MONITORING } from './trafficIntegrations';
import { PEOPLE } from './trafficPeople';
import type { Env } from './build';
import type { Profile } from './trafficTypes';
import { WORKLOADS } from './trafficWorkloads';

/** Every source, in the order the traffic is drawn (each draws from the same stream, so the order is part of the data). */
const SOURCES: readonly Profile[] = [...PEOPLE, ...CI, MONITORING, ...WORKLOADS, AUDIT];

/** Fills `budget` records with everyday traffic between start and end. */
export function everydayTraffic(env: Env, start: number, end: number, budget: number): CloudTrailRecord[] {
  const out: CloudTrailRecord[] = [];
  const offset = localOffsetMs(env.region);
  const total = SOURCES.reduce((s, p) => s + p.share, 0);
  for (const p of SOURCES) {
    const target = Math.round((budget * p.share) / total);
    let made = 0;
    while (made < target) {
      const { rng } = env;
      // a little after start, so a session's opening records (CI sign-in) stay inside the window
      let t = sampleTime(rng, start + 10_000, end, p.rhythm, offset);
      const caller = p.session(env, t);
      if (p.prelude) {
        const pre = p.prelude(env, caller, t);
        out.push(...pre);
        made += pre.length;
      }
      if (p.single) {
        out.push(p.single(env, caller, t));
        made++;
        continue;
      }
      const n = Math.min(rng.int(p.burst[0], p.burst[1]), target - made);
      for (let i = 0; i < n && t <= end; i++) {
        const key = rng.weighted(p.ops);
        const [source, name] = key.split(':') as [string, string];
        const record = catalogRecord(env, caller, key, t, { ...p.opts, ua: p.uaFor?.(source, name) });
        out.push(record);
        made++;
        if (p.follow) {
          const more = p.follow(env, caller, key, record, t);
          out.push(...more);
          made += more.length;
        }
        t += rng.int(p.gap[0] * 1000, p.gap[1] * 1000 + 999);
      }
    }
  }
  return out;
}
