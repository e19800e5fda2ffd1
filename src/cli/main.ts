/**
 * `trail-lens` — the command-line front end over the core engine.
 *   find-request <TEXT>   find the CloudTrail event for a request ID in any text
 *   lookup                stream events in a window (one lookup attribute)
 *   read <file|dir>…      the same output from local trail log files
 * Exit codes: 0 found/ok, 1 not found, 2 usage or configuration error, 3 AWS error, 130 cancelled.
 */
import { parseArgs } from 'node:util';
import { TrailLensError, describeError, type ErrorCode } from '../core/errors';
import { runFindRequest, runLookup, runRead, type CommonArgs } from './commands';
import { FORMATS } from './format';

const VERSION = '0.1.0';

const COMMON_HELP = `Common options:
  --profile NAME         AWS profile (default: AWS_PROFILE, else default chain)
  --region REGION        AWS Region (default: the profile's region, AWS_REGION)
  --endpoint-url URL     CloudTrail endpoint (also AWS_ENDPOINT_URL_CLOUDTRAIL / AWS_ENDPOINT_URL)
  --around TIME          search around this time (ISO 8601, epoch seconds, 'now', '2h' ago)
  --window DURATION      with --around: how far either side (default 30m); alone: back from now
  --start TIME --end TIME  an explicit window (default: the last 90 days)
  --source EVENTSOURCE   the event source, e.g. backup.amazonaws.com (server-side filter)
  --no-cache             neither read nor write the local event cache
  --cache-dir DIR        cache location (default $XDG_CACHE_HOME/trail-lens)
  --cache-max-mb N       cache size bound per account and Region, MiB (default 100)
  --sample               use the built-in sample account (no AWS needed)
  -h, --help             this help`;

const HELP: Record<string, string> = {
  main: `trail-lens ${VERSION} — investigate AWS CloudTrail from the command line

Usage:
  trail-lens find-request <TEXT>     find the event for the request ID in TEXT (or '-' for stdin)
  trail-lens lookup [options]        stream events from LookupEvents
  trail-lens read <file|dir>...      read trail log files (.json, .json.gz, lookup-events output)

Run 'trail-lens <command> --help' for the command's options.`,
  'find-request': `Usage: trail-lens find-request [options] <TEXT>

TEXT is a bare request ID or any text holding one: a log line, a CloudFormation status reason,
an SDK error. The service, timestamps and caller named in the text narrow the search.
Prints the matching record as JSON on stdout and what was searched on stderr.
Exit: 0 found, 1 not found, 2 usage or configuration error, 3 AWS error.

  --max-days N           how far back without a time hint (1-90, default 90)

${COMMON_HELP}`,
  lookup: `Usage: trail-lens lookup [options]

  --attribute KEY=VALUE  one lookup attribute: EventId, EventName, ReadOnly, Username,
                         ResourceType, ResourceName, EventSource, AccessKeyId
  --limit N              stop after N events (default: all)
  --format FORMAT        json (default), jsonl, csv or table

${COMMON_HELP}`,
  read: `Usage: trail-lens read [options] <file|dir>...

Reads CloudTrail records from files: trail logs ({"Records":[...]}, .json or .json.gz, directories
recursively; digest files skipped), 'aws cloudtrail lookup-events' output, arrays or single records.
Prints them newest first.

  --attribute KEY=VALUE  keep events matching this lookup attribute
  --start TIME --end TIME  keep events in this window
  --format FORMAT        json (default), jsonl, csv or table`,
};

const EXIT: Partial<Record<ErrorCode, number>> = {
  InvalidInput: 2,
  Config: 2,
  ParseError: 2,
  UnknownRegion: 2,
  UnknownProfile: 2,
  NoCredentials: 2,
  SsoExpired: 2,
  Cancelled: 130,
};

export async function main(argv: string[]): Promise<number> {
  // The SDK's notice about future Node versions is for developers of the SDK's users, not for
  // people running this tool; it would otherwise interleave with our stderr.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help') {
    process.stdout.write(HELP.main + '\n');
    return command ? 0 : 2;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  if (!(command in HELP) || command === 'main') {
    process.stderr.write(`trail-lens: unknown command '${command}'\n\n${HELP.main}\n`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        profile: { type: 'string' },
        region: { type: 'string' },
        'endpoint-url': { type: 'string' },
        around: { type: 'string' },
        window: { type: 'string' },
        start: { type: 'string' },
        end: { type: 'string' },
        source: { type: 'string' },
        attribute: { type: 'string' },
        limit: { type: 'string' },
        format: { type: 'string' },
        'max-days': { type: 'string' },
        'no-cache': { type: 'boolean' },
        'cache-dir': { type: 'string' },
        'cache-max-mb': { type: 'string' },
        sample: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`trail-lens ${command}: ${(err as Error).message}\n\n${HELP[command]}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP[command] + '\n');
    return 0;
  }
  if (values.format && !(FORMATS as readonly string[]).includes(values.format)) {
    process.stderr.write(`trail-lens: --format must be one of ${FORMATS.join(', ')}\n`);
    return 2;
  }
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const args: CommonArgs = {
    profile: values.profile,
    region: values.region,
    endpointUrl: values['endpoint-url'],
    around: values.around,
    window: values.window,
    start: values.start,
    end: values.end,
    source: values.source,
    attribute: values.attribute,
    limit: values.limit,
    format: (values.format ?? 'json') as CommonArgs['format'],
    maxDays: values['max-days'],
    noCache: values['no-cache'] ?? false,
    cacheDir: values['cache-dir'],
    cacheMaxMb: values['cache-max-mb'],
    sample: values.sample ?? false,
    signal: controller.signal,
    progress: process.stderr.isTTY === true,
  };
  try {
    switch (command) {
      case 'find-request':
        return await runFindRequest(positionals, args);
      case 'lookup':
        if (positionals.length) throw new TrailLensError('InvalidInput', `lookup takes no arguments (got '${positionals[0]}')`);
        return await runLookup(args);
      default:
        return await runRead(positionals, args);
    }
  } catch (err) {
    const code = err instanceof TrailLensError ? err.code : undefined;
    process.stderr.write(`trail-lens: ${describeError(err)}\n`);
    return (code && EXIT[code]) ?? 3;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`trail-lens: ${describeError(err)}\n`);
      process.exitCode = 3;
    },
  );
}
