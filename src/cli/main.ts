/**
 * `trail-lens` — the command-line front end over the core engine.
 *   find-request <TEXT>   find the CloudTrail event for a request ID in any text
 *   lookup                stream events in a window (one lookup attribute)
 *   read <file|dir|->…    the same output from local trail log files
 *   stack-failures <STACK> a stack's failed resources, each with its CloudTrail event
 *   summary [PATH]…       the error summary of trail log files, or of a LookupEvents window
 *   trails                each trail of the connection with its delivery health
 * Exit codes: 0 found/ok, 1 not found, 2 usage or configuration error, 3 AWS error,
 * 4 (read) some input could not be read, 5 (find-request) not found but too recent to be sure
 * (CloudTrail may not have delivered it yet: retry), 130 cancelled.
 */
import { parseArgs } from 'node:util';
import { version as VERSION } from '../../package.json';
import { TrailLensError, describeError, type ErrorCode } from '../core/errors';
import { FilterPatternError, describePatternError, parseFilterPattern, type FilterPattern } from '../core/filter/pattern';
import { ATTRIBUTE_KEYS } from '../core/record';
import { runFindRequest, runLookup, runRead, type CommonArgs } from './commands';
import { runStackFailures } from './stackFailures';
import { DEFAULT_SUMMARY_WINDOW_MS, runSummary, SUMMARY_BY, SUMMARY_FORMATS } from './summary';
import { parseEngine } from './engines';
import { runAthenaTable } from './athenaTable';
import { FORMATS, say } from './format';
import { runTrails, warnBeforeRead } from './trails';

interface OptionSpec {
  type: 'string' | 'boolean';
  /** The value's name in the help, for string options. */
  arg?: string;
  /** May be given more than once (a list). */
  multiple?: boolean;
  help: string;
}

/** Every option of every command; each command takes the ones its table names. */
const OPTIONS = {
  attribute: {
    type: 'string',
    arg: 'KEY=VALUE',
    help: `only events with this lookup attribute; KEY is one of\n${ATTRIBUTE_KEYS.slice(0, 4).join(', ')},\n${ATTRIBUTE_KEYS.slice(4).join(', ')}`,
  },
  source: { type: 'string', arg: 'EVENTSOURCE', help: 'only events from this event source, e.g. backup.amazonaws.com' },
  around: { type: 'string', arg: 'TIME', help: "around this time (ISO 8601, epoch seconds, 'now', '2h' ago)" },
  window: { type: 'string', arg: 'DURATION', help: 'with --around: how far either side (default 30m); alone: back from now' },
  start: { type: 'string', arg: 'TIME', help: 'the start of an explicit window (default: 90 days ago)' },
  end: { type: 'string', arg: 'TIME', help: 'the end of an explicit window (default: now)' },
  filter: {
    type: 'string',
    arg: 'PATTERN',
    help: `only events matching this CloudWatch Logs filter pattern, e.g.\n'{ $.errorCode = "AccessDenied" }' (applied here, to every event read)`,
  },
  limit: { type: 'string', arg: 'N', help: 'stop after N events (default: all); with --filter, N matching events' },
  format: { type: 'string', arg: 'FORMAT', help: `${FORMATS.join(', ')} (default json: one JSON array)` },
  'max-days': { type: 'string', arg: 'N', help: 'how far back without a time hint (1-90, default 90)' },
  'newest-first': {
    type: 'boolean',
    help: 'print newest first across all files; holds the matching events (or,\nwith --limit, the newest N) in memory until every file is read',
  },
  'max-file-mb': { type: 'string', arg: 'N', help: 'the most one file may hold once decompressed, in MB (1-500, default 500)' },
  'allow-special-files': { type: 'boolean', help: 'read devices and FIFOs named on the command line (refused by default)' },
  profile: { type: 'string', arg: 'NAME', help: 'AWS profile (default: AWS_PROFILE, else the default chain)' },
  region: { type: 'string', arg: 'REGION', help: "AWS Region (default: the profile's region, AWS_REGION)" },
  regions: {
    type: 'string',
    arg: 'LIST',
    help: "search these Regions at once: 'all' (the 17 Regions every account has;\nopt-in Regions only when named) or us-east-1,eu-west-1,…",
  },
  profiles: { type: 'string', arg: 'NAMES', help: 'search these profiles (accounts) at once: dev,prod,…' },
  'endpoint-url': { type: 'string', arg: 'URL', help: 'CloudTrail endpoint (also AWS_ENDPOINT_URL_CLOUDTRAIL / AWS_ENDPOINT_URL)' },
  'no-cache': { type: 'boolean', help: 'neither read nor write the local event cache' },
  'cache-dir': { type: 'string', arg: 'DIR', help: 'cache location (default $XDG_CACHE_HOME/trail-lens)' },
  'cache-max-mb': { type: 'string', arg: 'N', help: 'cache size bound per account and Region, in MiB (default 100)' },
  sample: { type: 'boolean', help: 'use the built-in sample account (no AWS needed)' },
  engine: {
    type: 'string',
    arg: 'ENGINE',
    help: "lookup (LookupEvents, default), athena (the trail bucket\nthrough Athena), logs (the trail's CloudWatch Logs group)\nor lake (a CloudTrail Lake event data store)",
  },
  'athena-database': { type: 'string', arg: 'NAME', help: 'with --engine athena: the database of the CloudTrail table' },
  'athena-table': { type: 'string', arg: 'NAME', help: 'with --engine athena: the CloudTrail table (default cloudtrail_logs)' },
  'athena-workgroup': { type: 'string', arg: 'NAME', help: 'with --engine athena: the workgroup (default: primary)' },
  'athena-output': { type: 'string', arg: 'S3URL', help: "with --engine athena: the results location (default: the workgroup's)" },
  'log-group': { type: 'string', arg: 'NAME|ARN', help: "with --engine logs: the log group (default: the trail's)" },
  'event-data-store': {
    type: 'string',
    arg: 'ID|ARN|NAME',
    help: 'with --engine lake: the event data store (default: the first\nENABLED one ListEventDataStores returns)',
  },
  operation: { type: 'string', arg: 'ID', help: "the stack operation to read (default: the stack's last)" },
  trail: { type: 'string', arg: 'NAME|ARN', help: 'the trail whose bucket to read (default: the only trail that delivers to S3)' },
  run: { type: 'boolean', help: 'run the statement on Athena (default: print it for review)' },
  files: {
    type: 'string',
    arg: 'PATH|s3://…',
    multiple: true,
    help: 'search these files, folders or s3://bucket/prefix trail logs instead of\nLookupEvents (repeatable); S3 needs a window (--window, --start/--end or a\ntimestamp in TEXT)',
  },
  by: {
    type: 'string',
    arg: 'KEY',
    help: `what to count failed calls by: ${SUMMARY_BY.slice(0, 4).join(', ')},\n${SUMMARY_BY.slice(4).join(', ')} (default errorCode)`,
  },
  noise: {
    type: 'string',
    arg: 'on|off',
    help: 'on (default): leave out what the noise rules hide (AWS service-linked\nroles such as the Config recorder); off: count everything',
  },
  'include-services': { type: 'boolean', help: 'list AWS services and service-linked roles among the callers' },
  'check-trail': {
    type: 'boolean',
    help: 'before the records, check the trail that delivers these files\n(DescribeTrails + GetTrailStatus with the AWS options) and warn when\nit is failing delivery',
  },
  help: { type: 'boolean', help: 'this help' },
} satisfies Record<string, OptionSpec>;
type OptionName = keyof typeof OPTIONS;

const WINDOW: OptionName[] = ['around', 'window', 'start', 'end'];
const AWS: OptionName[] = ['profile', 'region', 'endpoint-url', 'no-cache', 'cache-dir', 'cache-max-mb', 'sample'];
/** The connection alone (no event cache): trails, read --check-trail. */
const CONNECTION: OptionName[] = ['profile', 'region', 'endpoint-url', 'sample'];

interface CommandSpec {
  usage: string;
  about: string;
  options: OptionName[];
  /** --format's choices and default, when not the record formats'. */
  formats?: readonly string[];
  defaultFormat?: string;
}

const COMMANDS: Record<string, CommandSpec> = {
  'find-request': {
    usage: 'trail-lens find-request [options] <TEXT | ->',
    about: `TEXT is a bare request ID or any text holding one: a log line, a CloudFormation status reason,
an SDK error ('-' or no TEXT: read it from stdin). The service, timestamps and caller named in the
text narrow the search. Prints the matching record as JSON on stdout, what was searched on stderr.
--window alone, when TEXT holds a timestamp, starts the search that long before it (default 30m,
like trailLens.requestIdSearch.aroundMinutes; the first window reaches 5m past it), then widens.
A labelled event ID ("eventID": "…", EventId: …) is looked up by EventId instead.
--regions and --profiles search every profile × Region in parallel, each account and Region at its
own 2 requests/s; the first hit stops the rest and stderr names its Region and profile. A global
service's calls (IAM, STS, CloudFront, Route 53, Organizations) are searched in us-east-1 first.
A Region the account has not enabled is skipped and named; a target that fails does not stop the
others. Exit 3 then only when every target failed.
Exit: 0 found, 1 not found, 2 usage or configuration error, 3 AWS error, 5 not found but the
request (the text's timestamp, or --around) was under 15 minutes ago: CloudTrail may not have
delivered it yet, so run it again, 130 cancelled.
--engine athena runs the search as SQL on Athena over the trail bucket (the query, its state, data
scanned and estimated cost on stderr; endpoint AWS_ENDPOINT_URL_ATHENA); --engine logs runs
FilterLogEvents on the trail's CloudWatch Logs group (AWS_ENDPOINT_URL_CLOUDWATCH_LOGS); --engine
lake runs the search as SQL on a CloudTrail Lake event data store (the query, its state, run time
and bytes scanned on stderr; the CloudTrail endpoint).`,
    options: [
      'source',
      ...WINDOW,
      'max-days',
      'files',
      ...AWS,
      'regions',
      'profiles',
      'engine',
      'athena-database',
      'athena-table',
      'athena-workgroup',
      'athena-output',
      'log-group',
      'event-data-store',
      'help',
    ],
  },
  lookup: {
    usage: 'trail-lens lookup [options]',
    about: `Streams events from LookupEvents, newest first, printing each page as it arrives. --attribute or
--source is applied by LookupEvents (one attribute); --filter is applied here to every event
fetched, and stderr ends with "N shown of M scanned". On an AWS error or Ctrl+C the output is still
a complete document (json: the array is closed).
Exit: 0 ok, 2 usage or configuration error, 3 AWS error, 130 cancelled.`,
    options: ['attribute', 'source', 'filter', ...WINDOW, 'limit', 'format', ...AWS, 'help'],
  },
  read: {
    usage: 'trail-lens read [options] <file | dir | - | s3://bucket/prefix>...',
    about: `Reads CloudTrail records from files: trail logs ({"Records":[...]}, .json or .json.gz, directories
recursively; digest files skipped), 'aws cloudtrail lookup-events' output, arrays or single records;
'-' reads stdin. Prints each file's records as the file is read, in the order the file holds them:
files in the order given, folders in name order (the S3 layout: oldest delivery first). With
--newest-first: newest first across all files, once every file is read.
s3://bucket/prefix reads a trail's bucket: only the days and objects whose delivery time can hold
the window (--window 1h, or --start/--end; required unless the prefix is one day), 8 at a time,
with the profile's credentials and Region (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL honoured).
An event delivered twice (same eventID) is printed once. Digest and Insights files are skipped.
Every readable record is printed (with --filter: every matching one, and stderr says "N shown of M
scanned"); each file that cannot be read is named on stderr.
Before the records, digest files (CloudTrail-Digest/) among the inputs are checked against the
log files present: log files they list that are missing, and hours with no digest, are warned
about on stderr (no AWS call). --check-trail also asks CloudTrail whether the trail that delivers
these files (matched by bucket, prefix, organisation, account and Region) is failing delivery.
Exit: 0 ok, 2 usage error, 4 some input could not be read (the rest was printed), 130 cancelled.`,
    options: [
      'attribute',
      'source',
      'filter',
      ...WINDOW,
      'limit',
      'format',
      'newest-first',
      'max-file-mb',
      'allow-special-files',
      'check-trail',
      ...CONNECTION,
      'help',
    ],
  },
  'stack-failures': {
    usage: 'trail-lens stack-failures [options] <stack-name-or-id>',
    about: `Lists the failed resources of a CloudFormation stack operation (--operation, default the stack's
last) with the CloudTrail event of the call that failed: by the request ID in the status reason
(LookupEvents around the stack event's time), else by correlation (every page of write calls from
5 minutes before to 2 minutes after that CloudFormation or the stack's service role made and that
failed, ranked by the resource's identity and by time). --format json prints one array of
{logicalResourceId, resourceType, status, statusReason, timestamp, requestId, matchedBy, event,
searched}; table prints a block per failure. CloudFormation is reached in the same Region with the
same credentials; its endpoint honours AWS_ENDPOINT_URL_CLOUDFORMATION / AWS_ENDPOINT_URL.
Exit: 0 every failure has its event, 1 some have none, 2 usage or configuration error,
3 AWS error, 130 cancelled.`,
    options: ['operation', 'format', ...AWS, 'help'],
    formats: ['json', 'table'],
    defaultFormat: 'json',
  },
  summary: {
    usage: 'trail-lens summary [options] [file | dir | -]...',
    about: `The error summary: failed calls counted by error code (or --by another key), with each key's
share of them and its first and last time, most frequent first (hour and day: in time order).
With files (as for read) it summarises their records; without, a LookupEvents window (default:
the last ${DEFAULT_SUMMARY_WINDOW_MS / 86_400_000} days; --start/--end or --window to change it). Noise rules are on unless
--noise off: what they hide is counted on stderr, not in the rows. Callers exclude AWS services
and service-linked roles unless --include-services. s3:// paths are read as by read (with a window).
--format table (default), json ({ "by", "total", "hidden", "rows": [{ "key", "count", "share",
"first", "last" }] }) or csv. stderr says what was read and what was summarised.
Exit: 0 ok, 2 usage or configuration error, 3 AWS error, 4 some input could not be read (the
rest was summarised), 130 cancelled.`,
    options: [
      'by',
      'noise',
      'include-services',
      'attribute',
      'source',
      'filter',
      ...WINDOW,
      'format',
      'max-file-mb',
      'allow-special-files',
      ...AWS,
      'help',
    ],
    formats: SUMMARY_FORMATS,
    defaultFormat: 'table',
  },
  'athena-table': {
    usage: 'trail-lens athena-table [options] [s3://bucket/prefix]',
    about: `Writes the Athena table for a trail's log files: AWS's documented CREATE EXTERNAL TABLE with
partition projection on the delivery day, for exactly the accounts, Regions and organization found
under the bucket's AWSLogs/ folder (listed with the connection's credentials). The location is the
s3:// argument, else the bucket and prefix of the trail named with --trail (DescribeTrails), else of
the only trail that delivers to S3. The statement goes to stdout for review; --run runs it on Athena
(--athena-database, --athena-workgroup, --athena-output) and says how to search the new table with
find-request --engine athena. --athena-table names the table (default cloudtrail_logs).
Exit: 0 ok, 2 usage or configuration error, 3 AWS error (the query's reason when Athena refused it),
130 cancelled.`,
    options: ['trail', 'athena-table', 'athena-database', 'run', 'athena-workgroup', 'athena-output', ...CONNECTION, 'help'],
  },
  trails: {
    usage: 'trail-lens trails [options]',
    about: `Lists each trail of the connection (DescribeTrails, shadow trails included: multi-Region trails
whose home Region is another) with its logging state and delivery health (GetTrailStatus): the
latest delivery, and S3, digest, SNS and CloudWatch Logs delivery errors, each explained with
what to check and the AWS CLI commands that show the cause. Event history (LookupEvents) does
not depend on trails. --format table (default) or json.
Exit: 0 ok, 2 usage or configuration error, 3 AWS error, 130 cancelled.`,
    options: ['format', ...CONNECTION, 'help'],
    formats: ['table', 'json'],
    defaultFormat: 'table',
  },
};

function optionHelp(names: OptionName[]): string {
  return names
    .map((name) => {
      const spec: OptionSpec = OPTIONS[name];
      const flag = `${name === 'help' ? '-h, ' : ''}--${name}${spec.arg ? ` ${spec.arg}` : ''}`;
      const [first, ...more] = spec.help.split('\n');
      return [`  ${flag.padEnd(27)}${first}`, ...more.map((l) => `${' '.repeat(29)}${l}`)].join('\n');
    })
    .join('\n');
}

function commandHelp(command: string): string {
  const spec = COMMANDS[command];
  return `Usage: ${spec.usage}\n\n${spec.about}\n\nOptions:\n${optionHelp(spec.options)}`;
}

const MAIN_HELP = `trail-lens ${VERSION} — investigate AWS CloudTrail from the command line

Usage:
  trail-lens find-request <TEXT>     find the event for the request ID in TEXT (or '-' for stdin)
  trail-lens lookup [options]        stream events from LookupEvents, newest first
  trail-lens read <file|dir|->...    read trail log files (.json, .json.gz, lookup-events output)
  trail-lens stack-failures <STACK>  a CloudFormation stack's failures, each with its CloudTrail event
  trail-lens summary [file|dir]...   which errors, how many, since when, from whom (files or LookupEvents)
  trail-lens trails [options]        each trail with its delivery health (GetTrailStatus)
  trail-lens athena-table [s3://…]   the Athena table for a trail's log files (DDL to review, --run)
  trail-lens --version               the version

Run 'trail-lens <command> --help' for the command's options.`;

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

function usageError(command: string, message: string): number {
  say(`trail-lens ${command}: ${message}\nRun 'trail-lens ${command} --help' for its options.`);
  return 2;
}

/**
 * Parses argv against every option, then refuses any option the command does not take, naming
 * it and the command. Returns the exit code of a usage error instead of the parse.
 */
function parseCommandArgs(command: string, args: string[]) {
  const parsed = parseArgs({
    args,
    options: { ...OPTIONS, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const allowed = new Set<string>(COMMANDS[command].options);
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    const spec: OptionSpec | undefined = (OPTIONS as Record<string, OptionSpec>)[token.name];
    if (!spec) return usageError(command, `unknown option '${token.rawName}'`);
    if (!allowed.has(token.name)) return usageError(command, `'${token.rawName}' is not an option of ${command}`);
    if (spec.type === 'string' && token.value === undefined)
      return usageError(command, `'${token.rawName}' needs a value (${token.rawName} ${spec.arg})`);
    if (spec.type === 'boolean' && token.inlineValue) return usageError(command, `'${token.rawName}' takes no value`);
  }
  return { values: parsed.values as Partial<Record<OptionName, string | boolean>>, positionals: parsed.positionals };
}

export async function main(argv: string[]): Promise<number> {
  // The SDK's notice about future Node versions is for developers of the SDK's users, not for
  // people running this tool; it would otherwise interleave with our stderr.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help') {
    process.stdout.write(MAIN_HELP + '\n');
    return command ? 0 : 2;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  if (!Object.hasOwn(COMMANDS, command)) {
    say(`trail-lens: unknown command '${command}'\n\n${MAIN_HELP}`);
    return 2;
  }
  const parsed = parseCommandArgs(command, rest);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const str = (name: OptionName) => values[name] as string | undefined;
  const flag = (name: OptionName) => values[name] === true;
  if (flag('help')) {
    process.stdout.write(commandHelp(command) + '\n');
    return 0;
  }
  const filterText = str('filter');
  let filter: FilterPattern | undefined;
  if (filterText !== undefined) {
    try {
      filter = parseFilterPattern(filterText);
    } catch (err) {
      if (!(err instanceof FilterPatternError)) throw err;
      return usageError(command, `--filter is not a valid filter pattern:\n${describePatternError(filterText, err)}`);
    }
  }
  const formats = COMMANDS[command].formats ?? FORMATS;
  const format = str('format') ?? COMMANDS[command].defaultFormat ?? 'json';
  if (!formats.includes(format)) return usageError(command, `--format must be one of ${formats.join(', ')} (got '${format}')`);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  // A reader that goes away (| head) ends the command quietly instead of an EPIPE stack trace.
  let stdoutGone = false;
  const onStdoutError = (err: NodeJS.ErrnoException) => {
    stdoutGone = true;
    if (err.code !== 'EPIPE') say(`trail-lens: cannot write the output: ${err.message}`);
    controller.abort();
  };
  // Kept for the life of the process: output still being flushed can fail after main returns.
  process.stdout.on('error', onStdoutError);
  const args: CommonArgs = {
    profile: str('profile'),
    region: str('region'),
    endpointUrl: str('endpoint-url'),
    around: str('around'),
    window: str('window'),
    start: str('start'),
    end: str('end'),
    source: str('source'),
    attribute: str('attribute'),
    filter,
    limit: str('limit'),
    format: format as CommonArgs['format'],
    maxDays: str('max-days'),
    newestFirst: flag('newest-first'),
    maxFileMb: str('max-file-mb'),
    allowSpecialFiles: flag('allow-special-files'),
    files: values.files as string[] | undefined,
    stdin: process.stdin,
    noCache: flag('no-cache'),
    cacheDir: str('cache-dir'),
    cacheMaxMb: str('cache-max-mb'),
    sample: flag('sample'),
    checkTrail: flag('check-trail'),
    regions: str('regions'),
    profiles: str('profiles'),
    signal: controller.signal,
    progress: process.stderr.isTTY === true,
  };
  if (command === 'find-request') {
    try {
      args.engine = {
        engine: parseEngine(str('engine')),
        athenaDatabase: str('athena-database'),
        athenaTable: str('athena-table'),
        athenaWorkgroup: str('athena-workgroup'),
        athenaOutput: str('athena-output'),
        logGroup: str('log-group'),
        eventDataStore: str('event-data-store'),
      };
    } catch (err) {
      return usageError(command, (err as Error).message);
    }
  }
  try {
    switch (command) {
      case 'find-request':
        return await runFindRequest(positionals, args);
      case 'stack-failures':
        return await runStackFailures(positionals, { ...args, operation: str('operation') });
      case 'lookup':
        if (positionals.length) throw new TrailLensError('InvalidInput', `lookup takes no arguments (got '${positionals[0]}')`);
        return await runLookup(args);
      case 'summary':
        return await runSummary(positionals, { ...args, by: str('by'), noise: str('noise'), includeServices: flag('include-services') });
      case 'athena-table':
        return await runAthenaTable(positionals, {
          ...args,
          trail: str('trail'),
          table: str('athena-table'),
          database: str('athena-database'),
          workgroup: str('athena-workgroup'),
          output: str('athena-output'),
          run: flag('run'),
        });
      case 'trails':
        if (positionals.length) throw new TrailLensError('InvalidInput', `trails takes no arguments (got '${positionals[0]}')`);
        return await runTrails(args);
      default:
        // Digest and trail checks speak before the records (on stderr).
        if (positionals.length) await warnBeforeRead(positionals, { ...args, checkTrail: flag('check-trail') });
        return await runRead(positionals, args);
    }
  } catch (err) {
    const code = err instanceof TrailLensError ? err.code : undefined;
    if (stdoutGone && code === 'Cancelled') return 0;
    say(`trail-lens: ${describeError(err)}`);
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
      say(`trail-lens: ${describeError(err)}`);
      process.exitCode = 3;
    },
  );
}
