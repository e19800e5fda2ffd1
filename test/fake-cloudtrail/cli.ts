/**
 * Runs the fake CloudTrail endpoint from a shell, for manual testing with the AWS CLI or the
 * extension's endpoint setting:
 *
 *   node --import tsx test/fake-cloudtrail/cli.ts [--port N] [--host H] [--records file.json[.gz]]
 *        [--sample [--seed N] [--days N]] [--rate 2] [--burst N] [--latency-ms N] [--region us-east-1]
 *
 * --sample serves the generated sample account (src/sample/account.ts), the same history the
 * extension's "Explore the sample account" shows; --records adds to it.
 *
 * Prints the endpoint URL as the first line of stdout; everything else goes to stderr.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { CloudTrailRecord } from '../../src/core/record';
import { startFakeCloudTrail } from './server';

const USAGE =
  'Usage: node --import tsx test/fake-cloudtrail/cli.ts [--port N] [--host H] [--records FILE] ' +
  '[--sample [--seed N] [--days N]] [--rate N] [--burst N] [--latency-ms N] [--region R]';

class UsageError extends Error {}

function number(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min) throw new UsageError(`${flag} needs a number >= ${min}, got "${value}"`);
  return n;
}

/** A JSON array of records, or a trail file's `{"Records":[…]}`; gzip allowed (`.gz`). */
function loadRecords(file: string): CloudTrailRecord[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new UsageError(`Cannot read ${file}: ${(err as Error).message}`);
  }
  const text = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const records = Array.isArray(value) ? value : (value as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) throw new UsageError(`${file} must hold a JSON array of records or {"Records":[…]}`);
  return records as CloudTrailRecord[];
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      records: { type: 'string' },
      rate: { type: 'string' },
      burst: { type: 'string' },
      'latency-ms': { type: 'string' },
      region: { type: 'string' },
      sample: { type: 'boolean' },
      seed: { type: 'string' },
      days: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.sample && (values.seed !== undefined || values.days !== undefined)) {
    throw new UsageError('--seed and --days only apply with --sample');
  }
  let records = values.records ? loadRecords(values.records) : [];
  let region = values.region;
  let accountId: string | undefined;
  if (values.sample) {
    // Loaded only when asked for: the generator is much larger than the server.
    const { generateSampleAccount } = await import('../../src/sample/account.js');
    const account = generateSampleAccount({
      seed: number(values.seed, '--seed', 0),
      days: number(values.days, '--days', 0.125),
      region: values.region,
    });
    records = [...account.records, ...records];
    region = account.region;
    accountId = account.accountId;
  }
  const fake = await startFakeCloudTrail({
    records,
    port: number(values.port, '--port', 0),
    host: values.host,
    rate: number(values.rate, '--rate', 0),
    burst: number(values.burst, '--burst', 1),
    latencyMs: number(values['latency-ms'], '--latency-ms', 0),
    region,
    accountId,
  });
  process.stdout.write(`${fake.url}\n`);
  process.stderr.write(`fake CloudTrail listening on ${fake.url} with ${records.length} records (Ctrl-C to stop)\n`);
  const stop = (): void => {
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`${(err as Error).message}\n${usage ? `${USAGE}\n` : ''}`);
  process.exit(2);
});
