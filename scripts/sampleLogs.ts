/**
 * `npm run sample:logs -- <dir> [--days N] [--seed N]`: writes the sample account as trail log
 * files in the S3 layout (AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz, plus
 * CloudTrail-Digest files) as one of the sample's trails delivers them (org-trail: until its delivery
 * failed), for `trail-lens read` and for trying jq/zcat recipes on realistic data.
 */
import { parseArgs } from 'node:util';
import { generateSampleAccount, writeTrailLogs } from '../src/sample/account';
import { SAMPLE_FAILING_TRAIL, SAMPLE_HEALTHY_TRAIL, sampleTrailLayout } from '../src/sample/trails';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { days: { type: 'string' }, seed: { type: 'string' }, trail: { type: 'string' } },
  });
  if (positionals.length !== 1) {
    process.stderr.write('Usage: npm run sample:logs -- <dir> [--days N] [--seed N] [--trail management-events|org-trail]\n');
    return 2;
  }
  const account = generateSampleAccount({
    days: values.days ? Number(values.days) : undefined,
    seed: values.seed ? Number(values.seed) : undefined,
  });
  const trail = values.trail ?? SAMPLE_HEALTHY_TRAIL;
  if (trail !== SAMPLE_HEALTHY_TRAIL && trail !== SAMPLE_FAILING_TRAIL) {
    process.stderr.write(`--trail must be ${SAMPLE_HEALTHY_TRAIL} or ${SAMPLE_FAILING_TRAIL} (got '${trail}')\n`);
    return 2;
  }
  const paths = await writeTrailLogs(account, positionals[0], { trail: sampleTrailLayout(account, trail) });
  const logs = paths.filter((p) => !p.includes('CloudTrail-Digest')).length;
  process.stdout.write(
    `${account.records.length} events in ${logs} log files and ${paths.length - logs} digest files under ${positionals[0]}\n`,
  );
  process.stdout.write(`Try: node dist/cli.js read ${positionals[0]} --source backup.amazonaws.com --format table\n`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
