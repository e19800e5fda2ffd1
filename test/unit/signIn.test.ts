/**
 * SSO recovery's plain parts: core puts the profile on the SsoExpired error (no parsing it back out
 * of the hint), the sign-in terminal runs `aws` with its arguments as they are (no shell quoting),
 * and the connection's health says which errors need the person's attention.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAwsError } from '../../src/core/awsErrors';
import { TrailLensError } from '../../src/core/errors';
import type * as Connection from '../../src/extension/connection';
import type * as SignIn from '../../src/extension/signIn';
import { installVscodeStub } from './support/vscodeStub';

installVscodeStub();
/* eslint-disable @typescript-eslint/no-require-imports */
const { ssoLoginTerminal } = require('../../src/extension/signIn') as typeof SignIn;
const { healthAfter } = require('../../src/extension/connection') as typeof Connection;
/* eslint-enable @typescript-eslint/no-require-imports */

const SSO_EXPIRED = Object.assign(
  new Error('Token is expired. To refresh this SSO session run aws sso login with the corresponding profile.'),
  {
    name: 'TokenProviderError',
  },
);

describe('the SSO error names its profile', () => {
  test('classifyAwsError sets profile on SsoExpired, and chain keeps it', () => {
    const e = classifyAwsError(SSO_EXPIRED, { profile: "team's dev" });
    assert.equal(e.code, 'SsoExpired');
    assert.equal(e.profile, "team's dev");
    assert.equal(TrailLensError.chain(e, 'Loading events').profile, "team's dev");
  });

  test("without a named profile the error has none (the sign-in uses the connection's)", () => {
    assert.equal(classifyAwsError(SSO_EXPIRED).profile, undefined);
  });
});

describe('the sign-in terminal', () => {
  test('runs aws with each argument passed as is, whatever the shell would make of it', () => {
    const options = ssoLoginTerminal("dev's; rm -rf ~ & $(whoami)");
    assert.equal(options.shellPath, 'aws');
    assert.deepEqual(options.shellArgs, ['sso', 'login', '--profile', "dev's; rm -rf ~ & $(whoami)"]);
    assert.match(options.name ?? '', /AWS SSO sign-in/);
  });

  test('without a profile it is plain `aws sso login`', () => {
    assert.deepEqual(ssoLoginTerminal(undefined).shellArgs, ['sso', 'login']);
  });
});

describe('connection health', () => {
  test('credential, SSO, permission, profile and Region errors need attention; the network and CloudTrail do not', () => {
    for (const code of [
      'SsoExpired',
      'ExpiredCredentials',
      'InvalidCredentials',
      'AccessDenied',
      'UnknownProfile',
      'UnknownRegion',
    ] as const) {
      assert.equal(healthAfter(new TrailLensError(code, 'x')).state, 'problem', code);
    }
    for (const code of ['Network', 'Throttled', 'ServiceError', 'InvalidRequest'] as const) {
      assert.equal(healthAfter(new TrailLensError(code, 'x')).state, 'ok', code);
    }
    assert.equal(healthAfter(new TrailLensError('NoCredentials', 'x')).state, 'noCredentials');
    assert.equal(healthAfter(undefined).state, 'ok');
  });
});
