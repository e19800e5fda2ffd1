/**
 * `npm run sample:logs -- <dir> [--days N] [--seed N]`: writes the sample account as trail log
 * files in the S3 layout (AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz, plus
 * CloudTrail-Digest files), for `trail-lens read` and for trying jq/zcat recipes on realistic data.
 */
import { parseArgs } from 'node:util';
import { generateSampleAccount, writeTrailLogs } from '../src/sample/account';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { days: { type: 'string' }, seed: { type: 'string' } } });
  if (positionals.length !== 1) {
    process.stderr.write('Usage: npm run sample:logs -- <dir> [--days N] [--seed N]\n');
    return 2;
  }
  const account = generateSampleAccount({
    days: values.days ? Number(values.days) : undefined,
    seed: values.seed ? Number(values.seed) : undefined,
  });
  const paths = await writeTrailLogs(account, positionals[0]);
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
