/**
 * When callers call: the local time of the account's Region, and the daily and weekly rhythms
 * (office hours, a workload's steady load, flat, a nightly job) that event times are drawn from.
 */
import type { Rng } from './random';

/** UTC offsets in hours for the regions a sample account is likely to use; people work in local time. */
const REGION_UTC_OFFSET: Record<string, number> = {
  'ap-northeast-1': 9,
  'ap-northeast-2': 9,
  'ap-northeast-3': 9,
  'ap-southeast-1': 8,
  'ap-southeast-2': 10,
  'ap-south-1': 5.5,
  'eu-west-1': 0,
  'eu-west-2': 0,
  'eu-central-1': 1,
  'eu-north-1': 1,
  'us-east-1': -5,
  'us-east-2': -5,
  'us-west-1': -8,
  'us-west-2': -8,
  'ca-central-1': -5,
  'sa-east-1': -3,
};

export function localOffsetMs(region: string): number {
  return (REGION_UTC_OFFSET[region] ?? 0) * 3600_000;
}

export type Rhythm = 'office' | 'workload' | 'flat' | 'night';

const OFFICE_HOURS = [0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.04, 0.15, 0.5, 1, 1, 1, 0.6, 1, 1, 1, 1, 0.9, 0.5, 0.3, 0.2, 0.1, 0.06, 0.03];

function weight(rhythm: Rhythm, localMs: number): number {
  if (rhythm === 'flat') return 1;
  const d = new Date(localMs);
  const hour = d.getUTCHours();
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
  if (rhythm === 'night') return hour >= 1 && hour <= 3 ? 1 : 0.01;
  if (rhythm === 'office') return OFFICE_HOURS[hour] * (weekend ? 0.08 : 1);
  return (0.35 + 0.65 * OFFICE_HOURS[hour]) * (weekend ? 0.6 : 1);
}

export function sampleTime(rng: Rng, start: number, end: number, rhythm: Rhythm, offsetMs: number): number {
  for (let i = 0; i < 200; i++) {
    const t = start + rng.next() * (end - start);
    if (rng.next() < weight(rhythm, t + offsetMs)) return t;
  }
  return start + rng.next() * (end - start);
}
