/**
 * AWS Regions: the commercial list (for pickers) and validation with suggestions.
 * Kept free of SDK imports so the extension can show a Region picker without loading the SDK.
 * The list mirrors the `aws` partition of the SDK's partitions.json (@aws-sdk/core util-endpoints).
 */

export const COMMERCIAL_REGIONS: readonly { id: string; name: string }[] = Object.freeze(
  [
    { id: 'us-east-1', name: 'US East (N. Virginia)' },
    { id: 'us-east-2', name: 'US East (Ohio)' },
    { id: 'us-west-1', name: 'US West (N. California)' },
    { id: 'us-west-2', name: 'US West (Oregon)' },
    { id: 'af-south-1', name: 'Africa (Cape Town)' },
    { id: 'ap-east-1', name: 'Asia Pacific (Hong Kong)' },
    { id: 'ap-east-2', name: 'Asia Pacific (Taipei)' },
    { id: 'ap-south-1', name: 'Asia Pacific (Mumbai)' },
    { id: 'ap-south-2', name: 'Asia Pacific (Hyderabad)' },
    { id: 'ap-southeast-1', name: 'Asia Pacific (Singapore)' },
    { id: 'ap-southeast-2', name: 'Asia Pacific (Sydney)' },
    { id: 'ap-southeast-3', name: 'Asia Pacific (Jakarta)' },
    { id: 'ap-southeast-4', name: 'Asia Pacific (Melbourne)' },
    { id: 'ap-southeast-5', name: 'Asia Pacific (Malaysia)' },
    { id: 'ap-southeast-6', name: 'Asia Pacific (New Zealand)' },
    { id: 'ap-southeast-7', name: 'Asia Pacific (Thailand)' },
    { id: 'ap-northeast-1', name: 'Asia Pacific (Tokyo)' },
    { id: 'ap-northeast-2', name: 'Asia Pacific (Seoul)' },
    { id: 'ap-northeast-3', name: 'Asia Pacific (Osaka)' },
    { id: 'ca-central-1', name: 'Canada (Central)' },
    { id: 'ca-west-1', name: 'Canada West (Calgary)' },
    { id: 'eu-central-1', name: 'Europe (Frankfurt)' },
    { id: 'eu-central-2', name: 'Europe (Zurich)' },
    { id: 'eu-west-1', name: 'Europe (Ireland)' },
    { id: 'eu-west-2', name: 'Europe (London)' },
    { id: 'eu-west-3', name: 'Europe (Paris)' },
    { id: 'eu-south-1', name: 'Europe (Milan)' },
    { id: 'eu-south-2', name: 'Europe (Spain)' },
    { id: 'eu-north-1', name: 'Europe (Stockholm)' },
    { id: 'il-central-1', name: 'Israel (Tel Aviv)' },
    { id: 'me-south-1', name: 'Middle East (Bahrain)' },
    { id: 'me-central-1', name: 'Middle East (UAE)' },
    { id: 'me-west-1', name: 'Middle East (Saudi Arabia)' },
    { id: 'mx-central-1', name: 'Mexico (Central)' },
    { id: 'sa-east-1', name: 'South America (São Paulo)' },
    { id: 'sa-west-1', name: 'South America (Chile)' },
  ].map((r) => Object.freeze(r)),
);

/** Regions outside the commercial partition that are still valid targets (China, GovCloud, ESC). */
const OTHER_KNOWN = ['cn-north-1', 'cn-northwest-1', 'us-gov-east-1', 'us-gov-west-1', 'eusc-de-east-1'];

const KNOWN = new Set([...COMMERCIAL_REGIONS.map((r) => r.id), ...OTHER_KNOWN]);

/**
 * The region-id shape shared by every partition (aws, aws-cn, aws-us-gov, aws-iso*, aws-eusc): a 2–4
 * letter area, an optional qualifier (gov, iso, de…), a compass word and a number. New Regions keep
 * this shape, so an unknown ID that fits it is accepted rather than blocking a Region launched after
 * this list; a typo such as `us-est-1` does not fit and gets suggestions instead. A regex source
 * without anchors or capture groups, so text scanners (hints) can embed it.
 */
export const REGION_PATTERN =
  '[a-z]{2,4}(?:-[a-z]{2,5})?-(?:east|west|north|south|central|northeast|northwest|southeast|southwest)-\\d{1,2}';
const REGION_SHAPE = new RegExp(`^${REGION_PATTERN}$`);

/** True for a Region ID: a known one, or one of the shape every partition uses (REGION_PATTERN). */
export function isValidRegion(region: string): boolean {
  if (typeof region !== 'string') return false;
  return KNOWN.has(region) || REGION_SHAPE.test(region);
}

/** Up to `max` known Region IDs closest to `input`: matches on the Region's name first ("tokyo"), then edit distance. */
export function suggestRegions(input: string, max = 3): string[] {
  const needle = input.trim().toLowerCase();
  if (!needle) return [];
  const byName = COMMERCIAL_REGIONS.filter((r) => needle.length >= 3 && r.name.toLowerCase().includes(needle)).map((r) => r.id);
  const byDistance = [...KNOWN]
    .map((id) => ({ id, d: editDistance(needle, id) }))
    .filter((x) => x.d <= Math.max(3, Math.floor(x.id.length / 3)))
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .map((x) => x.id);
  return [...new Set([...byName, ...byDistance])].slice(0, max);
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/**
 * The commercial Regions enabled in every account (launched before March 2019): a search of "all
 * Regions" covers these. The others are opt-in (docs/cloudtrail.md §13): an account reaches them only
 * once enabled, so they are searched only when named.
 */
export const STANDARD_REGIONS: readonly string[] = Object.freeze([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'sa-east-1',
]);

const STANDARD = new Set(STANDARD_REGIONS);

/** A commercial Region an account must enable before it can be used (af-south-1, ap-east-1, …). */
export function isOptInRegion(region: string): boolean {
  return COMMERCIAL_REGIONS.some((r) => r.id === region) && !STANDARD.has(region);
}

/**
 * Event sources of global services, which CloudTrail records in us-east-1 whatever Region the
 * caller named (docs/cloudtrail.md §1.2): a search for one of their calls starts there.
 */
export const GLOBAL_EVENT_SOURCES: ReadonlySet<string> = new Set([
  'iam.amazonaws.com',
  'sts.amazonaws.com',
  'cloudfront.amazonaws.com',
  'route53.amazonaws.com',
  'organizations.amazonaws.com',
]);

/** The Region a global service's events are recorded in. */
export const GLOBAL_SERVICE_REGION = 'us-east-1';
