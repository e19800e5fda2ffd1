/**
 * `trail-lens athena-table`: the CloudTrail table for a trail, as AWS documents it (partition
 * projection), for exactly the accounts and Regions its bucket holds. Prints the DDL on stdout for
 * review; with --run it runs it on Athena and says how to search the new table.
 */
import { describeCost, runAthenaQuery } from '../core/engines/athena';
import { planTrailTable, trailLocation } from '../core/engines/trailTable';
import { TrailLensError } from '../core/errors';
import { parseS3Url, type S3Location } from '../core/s3Trail';
import { formatDuration } from '../core/time';
import type { Connection } from '../core/aws';
import { openSession, progressLine, type CommonArgs } from './commands';
import { say } from './format';

export interface AthenaTableArgs extends CommonArgs {
  trail?: string;
  table?: string;
  database?: string;
  workgroup?: string;
  output?: string;
  run: boolean;
}

/** The bucket and prefix: an s3:// argument, else the trail named with --trail, else the only trail with a bucket. */
async function location(connection: Connection, positionals: string[], args: AthenaTableArgs): Promise<S3Location> {
  if (positionals.length > 1) throw new TrailLensError('InvalidInput', `athena-table takes one s3:// location (got ${positionals.length})`);
  if (positionals.length) {
    const loc = parseS3Url(positionals[0]);
    if (!loc) throw new TrailLensError('InvalidInput', `'${positionals[0]}' is not an s3://bucket/prefix location`);
    return loc;
  }
  const trails = (await connection.describeTrails(args.signal)).filter((t) => t.S3BucketName);
  const named = args.trail ? trails.filter((t) => t.Name === args.trail || t.TrailARN === args.trail) : trails;
  if (named.length === 1) {
    say(`Trail ${named[0].Name}: s3://${named[0].S3BucketName}/${named[0].S3KeyPrefix ?? ''}`);
    return trailLocation(named[0]);
  }
  const names = trails.map((t) => t.Name).join(', ') || 'none';
  throw new TrailLensError(
    'Config',
    args.trail
      ? `No trail named ${args.trail} in ${connection.region} (trails with a bucket: ${names})`
      : `${trails.length ? `${trails.length} trails deliver to S3 in ${connection.region} (${names})` : `No trail in ${connection.region} delivers to S3`}`,
    { hint: 'Name one with --trail NAME, or give its location as s3://bucket/prefix.' },
  );
}

export async function runAthenaTable(positionals: string[], args: AthenaTableArgs): Promise<number> {
  const { connection } = await openSession({ ...args, noCache: true });
  try {
    const loc = await location(connection, positionals, args);
    const plan = await planTrailTable(connection.s3, loc, { table: args.table, database: args.database }, args.signal);
    say(`Listed ${plan.listed}: ${plan.found}`);
    process.stdout.write(`${plan.ddl};\n`);
    const name = `${plan.spec.database ? `${plan.spec.database}.` : ''}${plan.spec.table}`;
    if (!args.run) {
      say(`Review the statement, then run it with --run (or in the Athena console) to create ${name}.`);
      return 0;
    }
    const line = progressLine(args.progress);
    const out = await runAthenaQuery(
      connection.athena,
      plan.ddl,
      { database: args.database, workgroup: args.workgroup, outputLocation: args.output },
      { signal: args.signal, onProgress: (p) => line.update(`Athena ${p.state} · ${formatDuration(p.runMs)}`) },
    ).finally(() => line.done());
    say(`Athena query ${out.queryExecutionId} ${out.state} in ${formatDuration(out.runMs)}: ${describeCost(out.dataScannedBytes)}`);
    say(
      `Created ${name}. Search it: trail-lens find-request --engine athena${args.database ? ` --athena-database ${args.database}` : ''} --athena-table ${plan.spec.table} TEXT`,
    );
    return 0;
  } finally {
    connection.dispose();
  }
}
