/**
 * A few calls the sample account made outside its home Region: someone tries a Lambda function in
 * us-west-2 and CreateFunction fails. LookupEvents in the home Region never sees them (each Region
 * keeps its own event history), so their request ID is what a multi-Region search is for.
 */
import type { CloudTrailRecord } from '../core/record';
import { buildRecord, roleCaller, UA } from './build';
import type { Call, Env } from './build';

/** The Region the calls were made in: not the sample's home Region, and not us-east-1. */
export const OTHER_REGION = 'us-west-2';
/** The failed CreateFunction's request ID (valid hex, so request-ID finders accept it). */
export const OTHER_REGION_REQUEST_ID = 'fe2d1c3b-4a5f-4e6d-8c7b-9a0f1e2d3c4b';

/** The calls, `hoursBefore` hours before `failAt` (the story's failure), by the SSO administrator. */
export function otherRegionEvents(env: Env, failAt: number, hoursBefore = 5): CloudTrailRecord[] {
  const { inv, accountId } = env;
  const t0 = failAt - hoursBefore * 3600_000;
  const user = roleCaller(env, inv.roles.ssoAdmin, 'yuki.tanaka@example.com', {
    ip: '203.0.113.24',
    ua: '',
    creationMs: t0 - 10 * 60_000,
  });
  const fn = 'orders-export-trial';
  const call = (sec: number, c: Omit<Call, 'ua' | 'region' | 'source'>): CloudTrailRecord =>
    buildRecord(env, user, t0 + sec * 1000, { ...c, source: 'lambda', region: OTHER_REGION, ua: UA.cli('lambda', c.name) });
  return [
    call(0, { name: 'ListFunctions20150331', readOnly: true, req: null }),
    call(41, {
      name: 'CreateFunction20150331',
      readOnly: false,
      req: {
        functionName: fn,
        runtime: 'nodejs20.x',
        role: `arn:aws:iam::${accountId}:role/orders-export-trial-role`,
        handler: 'index.handler',
        code: {},
      },
      errorCode: 'InvalidParameterValueException',
      errorMessage: 'The role defined for the function cannot be assumed by Lambda.',
      requestID: OTHER_REGION_REQUEST_ID,
    }),
    call(44, {
      name: 'GetFunction20150331v2',
      readOnly: true,
      req: { functionName: fn },
      errorCode: 'ResourceNotFoundException',
      errorMessage: `Function not found: arn:aws:lambda:${OTHER_REGION}:${accountId}:function:${fn}`,
    }),
  ];
}
