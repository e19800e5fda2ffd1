/**
 * The fuzz runs for filter patterns, in a child process so that the test (filterFuzz.test.ts) can
 * stop one that hangs and name the input it was on. Each run posts `{ type: 'input', i, input }`
 * before an input and `{ type: 'done', … }` at the end; a failure is `{ type: 'fail', input, why }`.
 *
 * - soup: random token soup from the grammar's tokens and stray characters;
 * - mutate: valid patterns with characters inserted, deleted, replaced and spans duplicated;
 * - regex: random regexes of the supported subset, checked against JavaScript's RegExp (the
 *   subset means the same in both) on short strings.
 */
import { FilterPatternError, MAX_PATTERN_LENGTH, parseFilterPattern } from '../../src/core/filter/pattern';
import { FILTER_PRESETS } from '../../src/core/filter/presets';
import { Rng } from '../../src/sample/random';

export interface FuzzRequest {
  kind: 'soup' | 'mutate' | 'regex';
  seed: number;
  count: number;
  /** Most CPU ms one input may take (parse plus matching every record). */
  perInputMs: number;
}

export type FuzzMessage =
  | { type: 'input'; i: number; input: string }
  | { type: 'fail'; input: string; why: string }
  | { type: 'done'; inputs: number; parsed: number; rejected: number; matched: number; slowestMs: number; slowest: string };

const RECORDS: unknown[] = [
  {
    eventName: 'ConsoleLogin',
    userIdentity: { type: 'Root', sessionContext: { attributes: { mfaAuthenticated: 'false' } } },
    eventType: 'AwsConsoleSignIn',
    responseElements: { ConsoleLogin: 'Success' },
    additionalEventData: { MFAUsed: 'No' },
    readOnly: false,
  },
  {
    eventName: 'CreateBackupVault',
    eventSource: 'backup.amazonaws.com',
    errorCode: 'AccessDenied',
    requestParameters: { encryptionKeyArn: 'a1b2', tags: [1, 'x', null, { a: [] }] },
    responseElements: null,
    resources: [{ type: 'AWS::KMS::Key', ARN: 'arn:aws:kms:us-east-1:1:key/a1b2' }],
    latency: 12.5,
    numbers: [0.001, -4, 1e21],
    userIdentity: { type: 'AssumedRole', invokedBy: 'cloudformation.amazonaws.com' },
  },
  { a: { b: { c: { d: 'deep' } } }, x: 'x'.repeat(5000) },
  [],
  null,
  'text',
  42,
];

const TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '&&',
  '||',
  '&',
  '|',
  '$',
  '$.',
  '.',
  '[',
  ']',
  '[0]',
  '[12]',
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '==',
  'IS',
  'NULL',
  'NOT',
  'EXISTS',
  'TRUE',
  'FALSE',
  'is',
  'null',
  '"',
  '"x y"',
  '"*Un"',
  '*',
  '**',
  '%',
  '%^a.*b$%',
  '%[a-z]+%',
  '%a{2,5}%',
  '%(a)%',
  'eventName',
  'errorCode',
  'userIdentity',
  'type',
  'Root',
  'ConsoleLogin',
  '1',
  '-2.5',
  '10e-3',
  '+1000',
  '1e999',
  'kms.amazonaws.com',
  '123.123.*',
  ' ',
  '  ',
  '\n',
  '\t',
  '\\',
  '@',
  'é',
  '😀',
  '\u0000',
  '%%',
  '"\\"',
  '{}',
  '$[0]',
];

const SELECTORS = [
  '$.eventName',
  '$.errorCode',
  '$.userIdentity.type',
  '$.resources[0].type',
  '$.latency',
  '$.numbers[0]',
  '$.a.b.c.d',
  '$.x',
];
const OPS = ['=', '!=', '<', '<=', '>', '>=', 'IS NULL', 'NOT EXISTS', 'IS TRUE', 'IS FALSE'];
const VALUES = ['"ConsoleLogin"', 'Root', '*', '*Denied', 'Access*', '12.5', '-4', '10e-3', '%^C.*n$%', '%\\d+%', '"a b"', '0'];

/** A random expression of the grammar, depth-bounded. */
function expression(rng: Rng, depth: number): string {
  if (depth > 0 && rng.chance(0.4)) {
    const inner = expression(rng, depth - 1);
    return rng.chance(0.5) ? `(${inner})` : `${inner} ${rng.pick(['&&', '||'])} ${expression(rng, depth - 1)}`;
  }
  const op = rng.pick(OPS);
  return `${rng.pick(SELECTORS)} ${op}${op.includes(' ') ? '' : ` ${rng.pick(VALUES)}`}`;
}

/** Token soup: grammar tokens in a random order, or a random expression with some tokens swapped for others. */
function soup(rng: Rng): string {
  if (rng.chance(0.5)) {
    const n = rng.int(0, 40);
    let s = rng.chance(0.7) ? '{ ' : '';
    for (let i = 0; i < n; i++) s += rng.pick(TOKENS) + (rng.chance(0.5) ? ' ' : '');
    return rng.chance(0.7) ? `${s} }` : s;
  }
  const words = `{ ${expression(rng, 4)} }`.split(' ');
  return words.map((w) => (rng.chance(0.08) ? rng.pick(TOKENS) : w)).join(rng.chance(0.2) ? '' : ' ');
}

const VALID = [
  ...FILTER_PRESETS.map((p) => p.pattern),
  '{ ($.eventName = "ConsoleLogin") && ($.userIdentity.type = "Root") }',
  '{ $.requestParameters IS NULL || $.readOnly IS FALSE }',
  '{ $.resources[0].type = "AWS::IAM::Role" && $.x NOT EXISTS }',
  '{ $.latency > +1000 || $.numbers[0] < 10e-3 || $.n != 2 }',
  '{ $.eventName = %^Put|Delete$% && $.errorCode != %Access[A-Z]?\\w{2,4}% }',
  '{ $.eventName = Ev*ent || $.sourceIPAddress != 123.123.* }',
];
const NOISE_CHARS = '{}()[]$.&|=!<>"%*\\@ aZ09_-é\n';

function mutate(rng: Rng): string {
  let s = rng.pick(VALID);
  const edits = rng.int(1, 6);
  for (let e = 0; e < edits; e++) {
    const at = rng.int(0, s.length);
    switch (rng.int(0, 4)) {
      case 0:
        s = s.slice(0, at) + rng.pick([...NOISE_CHARS]) + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + rng.int(1, 4));
        break;
      case 2:
        s = s.slice(0, at) + rng.pick([...NOISE_CHARS]) + s.slice(at + 1);
        break;
      case 3: {
        const len = rng.int(1, 30);
        s = s.slice(0, at) + s.slice(at, at + len) + s.slice(at);
        break;
      }
      default:
        s = s.slice(0, at) + rng.pick(TOKENS) + s.slice(at);
    }
  }
  // Now and then far past the length limit: refused at once.
  if (rng.chance(0.02)) s = s.repeat(Math.ceil((MAX_PATTERN_LENGTH + 10) / Math.max(1, s.length)));
  return s;
}

const REGEX_ATOMS = [
  'a',
  'b',
  'c',
  'Z',
  '0',
  '9',
  '_',
  '-',
  '@',
  '/',
  ',',
  ';',
  '#',
  '=',
  '.',
  '\\d',
  '\\w',
  '\\s',
  '\\D',
  '\\.',
  '\\*',
  '[abc]',
  '[^a]',
  '[a-c0-9]',
  '[\\d_]',
];
const QUANTS = ['', '', '', '*', '+', '?', '{2}', '{0,2}', '{1,}'];

function randomRegex(rng: Rng): string {
  const alts = rng.int(1, 3);
  const out: string[] = [];
  for (let a = 0; a < alts; a++) {
    let seq = rng.chance(0.2) ? '^' : '';
    const n = rng.int(0, 5);
    for (let i = 0; i < n; i++) seq += rng.pick(REGEX_ATOMS) + rng.pick(QUANTS);
    if (rng.chance(0.2)) seq += '$';
    out.push(seq);
  }
  const re = out.join('|');
  return re || 'a';
}

function randomText(rng: Rng): string {
  return rng.chars('abcZ09_-@/.;# \t*', rng.int(0, 12));
}

function run(req: FuzzRequest): void {
  const post = (m: FuzzMessage): void => void process.send?.(m);
  const rng = new Rng(req.seed);
  let parsed = 0;
  let rejected = 0;
  let matched = 0;
  let slowestMs = 0;
  let slowest = '';
  for (let i = 0; i < req.count; i++) {
    const regex = req.kind === 'regex' ? randomRegex(rng) : '';
    const input = req.kind === 'soup' ? soup(rng) : req.kind === 'mutate' ? mutate(rng) : `{ $.m = %${regex}% }`;
    post({ type: 'input', i, input });
    // CPU time, not wall time: other processes on a loaded machine do not count against an input.
    const t0 = process.cpuUsage();
    try {
      const p = parseFilterPattern(input);
      parsed++;
      if (req.kind === 'regex') {
        const js = new RegExp(regex);
        for (let k = 0; k < 20; k++) {
          const text = randomText(rng);
          if (p.matches({ m: text }) !== js.test(text)) {
            return post({ type: 'fail', input, why: `on ${JSON.stringify(text)}: ours ${!js.test(text)}, RegExp ${js.test(text)}` });
          }
        }
      } else for (const r of RECORDS) if (p.matches(r)) matched++;
    } catch (err) {
      if (!(err instanceof FilterPatternError)) return post({ type: 'fail', input, why: `threw ${String(err)}` });
      if (
        err.column < 1 ||
        err.column > Math.max(input.length, MAX_PATTERN_LENGTH) + 1 ||
        !err.message.startsWith(`column ${err.column}: `)
      ) {
        return post({ type: 'fail', input, why: `bad error ${err.message}` });
      }
      if (req.kind === 'regex') return post({ type: 'fail', input, why: `a valid regex was refused: ${err.message}` });
      rejected++;
    }
    const used = process.cpuUsage(t0);
    const ms = (used.user + used.system) / 1000;
    if (ms > slowestMs) [slowestMs, slowest] = [ms, input];
    if (ms > req.perInputMs) return post({ type: 'fail', input, why: `took ${ms.toFixed(1)} ms (limit ${req.perInputMs})` });
  }
  post({ type: 'done', inputs: req.count, parsed, rejected, matched, slowestMs, slowest });
}

if (process.send) run(JSON.parse(process.argv[2]) as FuzzRequest);
