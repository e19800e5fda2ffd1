#!/usr/bin/env node
// npm run bench [-- NAME…]: runs the benchmarks in bench/ (the AWS ones against the fake endpoint); NAME is one of `all` below.
import { spawnSync } from 'node:child_process';

const all = ['activation', 'scan', 'find', 'panel', 'filter', 'files', 'stackFailures', 'provenance', 'regions'];
const which = process.argv.slice(2).length ? process.argv.slice(2) : all;
let failed = false;
for (const name of which) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark ${name}; choose from ${all.join(', ')}`);
    process.exit(2);
  }
  console.log(`\n════ bench/${name}.ts ════`);
  const r = spawnSync('node', ['--no-warnings', '--import', 'tsx', `bench/${name}.ts`], {
    stdio: 'inherit',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env },
  });
  failed ||= r.status !== 0;
}
process.exit(failed ? 1 : 0);
