/**
 * CloudWatch Logs JSON filter patterns (src/core/filter/pattern.ts): every test vector in
 * docs/filter-patterns.md, the semantics around missing fields and non-value nodes, wildcards,
 * numbers, %regex% terms, parse errors with their columns, and the length limit.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FilterPatternError, MAX_PATTERN_LENGTH, describePatternError, parseFilterPattern } from '../../src/core/filter/pattern';
import { TrailLensError } from '../../src/core/errors';

const E1 = {
  eventName: 'ConsoleLogin',
  userIdentity: { type: 'Root' },
  eventType: 'AwsConsoleSignIn',
  responseElements: { ConsoleLogin: 'Success' },
  additionalEventData: { MFAUsed: 'No' },
  readOnly: false,
};
const withType = (type: string) => ({ ...E1, userIdentity: { type } });
const iamUser = withType('IAMUser');
const { additionalEventData: _dropped, ...iamUserNoMfaField } = iamUser;

const CIS_31 = '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}';
const CIS_ROOT = '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}';
const CIS_32 =
  '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }';
const CIS_37 = '{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}';
const ERRORS = '{ $.errorCode = "AccessDenied" || $.errorCode = "UnauthorizedOperation" }';

/** [pattern, event, expected] — the documented vectors, in the order the document lists them. */
const VECTORS: [string, unknown, boolean][] = [
  ['{ ($.eventName = "ConsoleLogin") && ($.userIdentity.type = "Root") }', E1, true],
  ['{ ($.eventName = "ConsoleLogin") && ($.userIdentity.type = "Root") }', iamUser, false],
  [ERRORS, { errorCode: 'AccessDenied' }, true],
  [ERRORS, { errorCode: 'Client.UnauthorizedOperation' }, false],
  [ERRORS, { eventName: 'PutObject' }, false],
  [CIS_31, { errorCode: 'Client.UnauthorizedOperation' }, true],
  [CIS_31, { errorCode: 'AccessDeniedException' }, true],
  [CIS_31, { errorCode: 'AccessDenied' }, true],
  [CIS_ROOT, E1, true],
  [CIS_ROOT, { ...E1, userIdentity: { type: 'Root', invokedBy: 'ec2.amazonaws.com' } }, false],
  [CIS_32, iamUser, true],
  [CIS_32, iamUserNoMfaField, false],
  [
    '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
    { eventName: 'ConsoleLogin', errorMessage: 'Failed authentication' },
    true,
  ],
  [CIS_37, { eventSource: 'kms.amazonaws.com', eventName: 'ScheduleKeyDeletion' }, true],
  ['{ $.readOnly IS FALSE }', E1, true],
  ['{ $.requestParameters IS NULL }', { requestParameters: null }, true],
  ['{ $.requestParameters IS NULL }', { eventName: 'x' }, false],
  ['{ $.resources[0].type = "AWS::IAM::Role" }', { resources: [{ type: 'AWS::IAM::Role', ARN: 'arn:aws:iam::1:role/r' }] }, true],
  ['{ $.userIdentity = "x" }', E1, false],
  ['{ $.userIdentity != "x" }', E1, false],
  ['{ $.eventName = Ev*ent }', { eventName: 'Event' }, false],
];

/** More semantics, each with the reason in the name. */
const MORE: [string, string, unknown, boolean][] = [
  ['!= matches a present, different value', '{ $.errorCode != "AccessDenied" }', { errorCode: 'Throttling' }, true],
  ['!= does not match the same value', '{ $.errorCode != "AccessDenied" }', { errorCode: 'AccessDenied' }, false],
  ['!= does not match a missing field', '{ $.errorCode != "AccessDenied" }', {}, false],
  ['!= does not match null', '{ $.errorCode != "AccessDenied" }', { errorCode: null }, false],
  ['= on an array matches nothing', '{ $.users = 1 }', { users: [1] }, false],
  ['!= on an array matches nothing', '{ $.users != 1 }', { users: [1] }, false],
  ['index past the end matches nothing', '{ $.resources[3].type = * }', { resources: [{ type: 'a' }] }, false],
  ['index on an object matches nothing', '{ $.a[0] = x }', { a: { 0: 'x' } }, false],
  ['property of an array matches nothing', '{ $.a.length = 1 }', { a: [1] }, false],
  ['nested array index', '{ $.a[1][0].b = "y" }', { a: [[], [{ b: 'y' }]] }, true],
  ['= * matches any string', '{ $.latency = * }', { latency: 'slow' }, true],
  ['= * matches any number', '{ $.latency = * }', { latency: 12 }, true],
  ['= * does not match a missing field', '{ $.latency = * }', {}, false],
  ['= * does not match an object', '{ $.latency = * }', { latency: {} }, false],
  ['leading wildcard', '{ $.eventName = *Event }', { eventName: 'PutEvent' }, true],
  ['trailing wildcard', '{ $.eventName = Event* }', { eventName: 'EventId' }, true],
  ['wildcards at both ends', '{ $.eventName = "*Bucket*" }', { eventName: 'GetBucketPolicy' }, true],
  ['a middle * is literal and matches itself', '{ $.eventName = Ev*ent }', { eventName: 'Ev*ent' }, true],
  ['matching is case-sensitive', '{ $.eventName = consolelogin }', E1, false],
  ['a bare token with dots and a wildcard', '{ $.sourceIPAddress != 123.123.* }', { sourceIPAddress: '10.0.0.1' }, true],
  ['the same bare token rejects its prefix', '{ $.sourceIPAddress != 123.123.* }', { sourceIPAddress: '123.123.4.5' }, false],
  ['numbers compare numerically', '{ $.latency > +1000 }', { latency: 1500 }, true],
  ['numbers in e notation', '{ $.numbers[0] < 10e-3 }', { numbers: [0.001] }, true],
  ['<= at the edge', '{ $.n <= 5 }', { n: 5 }, true],
  ['>= below the edge', '{ $.n >= 5 }', { n: 4.99 }, false],
  ['< on a numeric string does not match (JSON numbers only)', '{ $.n < 5 }', { n: '4' }, false],
  ['= with a number is numeric on a number', '{ $.n = 1.0 }', { n: 1 }, true],
  [
    '= with a number matches a string with the same text',
    '{ $.recipientAccountId = 123456789012 }',
    { recipientAccountId: '123456789012' },
    true,
  ],
  ['!= with a number on a number', '{ $.n != 2 }', { n: 3 }, true],
  ['IS TRUE only on true', '{ $.readOnly IS TRUE }', { readOnly: 'true' }, false],
  ['IS FALSE not on a missing field', '{ $.readOnly IS FALSE }', {}, false],
  ['IS NULL not on a missing field through null', '{ $.a.b IS NULL }', { a: null }, false],
  ['NOT EXISTS through null', '{ $.a.b NOT EXISTS }', { a: null }, true],
  ['NOT EXISTS on null is false', '{ $.a NOT EXISTS }', { a: null }, false],
  ['&& binds tighter than ||', '{ $.a = 1 || $.b = 1 && $.c = 1 }', { a: 1 }, true],
  ['parentheses override', '{ ($.a = 1 || $.b = 1) && $.c = 1 }', { a: 1 }, false],
  [
    'quoted strings keep spaces and symbols',
    '{ $.errorMessage = "Failed authentication @ $home" }',
    { errorMessage: 'Failed authentication @ $home' },
    true,
  ],
  ['\\" inside a quoted string', '{ $.m = "say \\"hi\\"" }', { m: 'say "hi"' }, true],
  ['a quoted number is text', '{ $.n = "200" }', { n: 200 }, true],
  ['own properties only', '{ $.constructor = * }', {}, false],
  ['__proto__ is not followed', '{ $.__proto__ NOT EXISTS }', {}, true],
  ['non-objects match nothing', '{ $.a = * }', 'text', false],
  ['regex, unanchored', '{ $.eventName = %Bucket% }', { eventName: 'GetBucketAcl' }, true],
  ['regex, anchored', '{ $.eventName = %^Get[A-Z][a-z]+$% }', { eventName: 'GetBucketAcl' }, false],
  ['regex with alternation', '{ $.eventName = %^Put|^Delete% }', { eventName: 'DeleteTrail' }, true],
  ['regex with counts and escapes', '{ $.requestID = %^[0-9a-f]{8}-[0-9a-f]{4}\\-% }', { requestID: '1b2c3d4e-aaaa-bbbb' }, true],
  ['regex \\d+ on a number', '{ $.n = %^\\d+$% }', { n: 42 }, true],
  ['regex != on a present value', '{ $.n != %^Get% }', { n: 'Put' }, true],
  ['regex != on a missing field', '{ $.n != %^Get% }', {}, false],
  ['regex . does not cross a newline', '{ $.m = %a.b% }', { m: 'a\nb' }, false],
  ['regex class with a negation', '{ $.m = %^[^x]+$% }', { m: 'abc' }, true],
  ['regex optional', '{ $.m = %^colou?r$% }', { m: 'color' }, true],
  ['regex {n,}', '{ $.m = %^a{2,}$% }', { m: 'a' }, false],
  ['regex prefix that overlaps itself', '{ $.m = %aab% }', { m: 'aaab' }, true],
  ['regex prefix found again after a near miss', '{ $.m = %Deny.x% }', { m: 'xxDenyDeny!x' }, true],
  ['regex prefix at the very end', '{ $.m = %Deny$% }', { m: 'DenyxDeny' }, true],
  ['regex prefix, never followed right', '{ $.m = %Deny[0-9]% }', { m: 'Deny Denyx Deny' }, false],
  ['newlines and tabs between tokens', '{\n\t$.a = 1\n\t&& $.b IS NULL\n}', { a: 1, b: null }, true],
];

describe('filter patterns: the documented test vectors', () => {
  for (const [pattern, event, expected] of VECTORS) {
    test(`${pattern} on ${JSON.stringify(event)} → ${expected ? 'match' : 'no match'}`, () => {
      assert.equal(parseFilterPattern(pattern).matches(event), expected);
    });
  }
});

describe('filter patterns: semantics', () => {
  for (const [name, pattern, event, expected] of MORE) {
    test(name, () => assert.equal(parseFilterPattern(pattern).matches(event), expected, pattern));
  }

  test('fields lists each selector path once, in order', () => {
    const p = parseFilterPattern('{ ($.errorCode = x || $.resources[0].type = y) && $.errorCode != z && $.userIdentity.type IS NULL }');
    assert.deepEqual(p.fields, ['errorCode', 'resources[0].type', 'userIdentity.type']);
    assert.equal(p.text, '{ ($.errorCode = x || $.resources[0].type = y) && $.errorCode != z && $.userIdentity.type IS NULL }');
  });

  test('the pattern object is frozen', () => {
    const p = parseFilterPattern('{ $.a = 1 }');
    assert.ok(Object.isFrozen(p) && Object.isFrozen(p.fields));
  });

  test('a regex that would backtrack exponentially in JavaScript runs in linear time', () => {
    const p = parseFilterPattern('{ $.m = %^a*a*a*a*a*a*a*a*a*a*b$% }');
    const text = 'a'.repeat(200_000);
    const t0 = performance.now();
    assert.equal(p.matches({ m: text }), false);
    assert.ok(performance.now() - t0 < 2000, `took ${performance.now() - t0} ms`);
  });
});

/** [pattern, column, expected (a part of it)] */
const ERRORS_AT: [string, number, string][] = [
  ['{ $.errorCode = }', 17, "a value after '=' (a string, a number, or a quoted string)"],
  ['$.errorCode = x', 1, "'{' to start"],
  ['{}', 2, 'a condition'],
  ['{ $.a = x', 10, "'&&', '||' or '}'"],
  ['{ $.a = x } extra', 13, "nothing after the closing '}'"],
  ['{ $.a = x & $.b = y }', 11, "'&&', '||' or '}'"],
  ['{ $.a = x && }', 14, 'a selector'],
  ['{ ($.a = x }', 12, "')' to close the '(' at column 3"],
  ['{ a = x }', 3, 'a selector'],
  ['{ $ = x }', 4, "'.' and a property name after '$'"],
  ['{ $[0] = x }', 4, 'an index [n] must follow a property'],
  ['{ $. = x }', 5, "a property name after '.'"],
  ["{ $.['a.b'] = x }", 5, "a property name after '.'"],
  ['{ $.a[*] = x }', 7, 'an array index'],
  ['{ $.a[1 = x }', 8, "']' after the array index"],
  ['{ $.a x }', 7, 'an operator after the selector'],
  ['{ $.a == x }', 8, "a value after '='"],
  ['{ $.a is null }', 7, 'keywords are upper case: IS'],
  ['{ $.a IS NOTHING }', 10, "NULL, TRUE or FALSE after 'IS'"],
  ['{ $.a NOT NULL }', 11, "EXISTS after 'NOT'"],
  ['{ $.a < abc }', 9, "a number after '<'"],
  ['{ $.a >= "5" }', 10, "a number after '>='"],
  ['{ $.a = "unterminated }', 9, "a closing '\"' for the string that starts at column 9"],
  ['{ $.a = x@y }', 10, 'a double-quoted string'],
  ['{ $.a = café }', 12, 'a double-quoted string'],
  ['{ $.a = %abc }', 9, "a closing '%'"],
  ['{ $.a = %% }', 10, 'a regular expression'],
  ['{ $.a = %(ab)% }', 10, 'a character CloudWatch regex allows'],
  ['{ $.a = %a b% }', 11, 'a character CloudWatch regex allows'],
  ['{ $.a = %é% }', 10, 'a character CloudWatch regex allows'],
  ['{ $.a = %*a% }', 10, 'something to repeat'],
  ['{ $.a = %a**% }', 12, 'one quantifier per atom'],
  ['{ $.a = %^*% }', 10, 'something to repeat'],
  ['{ $.a = %[a-% }', 10, "']' to close the '['"],
  ['{ $.a = %[z-a]% }', 13, 'the end of a range'],
  ['{ $.a = %a{1001}% }', 11, 'a count of at most 1000'],
  ['{ $.a = %a{3,2}% }', 11, 'a count {n,m} with n ≤ m'],
  ['{ $.a = %a{x}% }', 11, "a count {n}, {n,} or {n,m} after '{'"],
  ['{ $.a = %\\q% }', 10, 'a supported escape'],
  ['{ $.a = %a]% }', 11, "'\\]' for a literal ']'"],
  ['{ $.a = %a% || $.b = %b% || $.c = %c% }', 35, 'at most 2 %regex% terms'],
];

describe('filter patterns: parse errors name the column and what was expected', () => {
  for (const [pattern, column, expected] of ERRORS_AT) {
    test(`${pattern} → column ${column}`, () => {
      assert.throws(
        () => parseFilterPattern(pattern),
        (err: unknown) => {
          assert.ok(err instanceof FilterPatternError, String(err));
          assert.ok(err instanceof TrailLensError);
          assert.equal(err.code, 'InvalidInput');
          assert.equal(err.column, column, err.message);
          assert.ok(err.expected.includes(expected), `${err.expected} should include ${expected}`);
          assert.ok(err.message.startsWith(`column ${column}: `), err.message);
          return true;
        },
      );
    });
  }

  test('the message reads as the documented example', () => {
    assert.throws(() => parseFilterPattern('{ $.errorCode = }'), {
      message: "column 17: expected a value after '=' (a string, a number, or a quoted string)",
    });
  });

  test('a pattern over the length limit is refused before parsing, with its length', () => {
    const long = `{ ${Array.from({ length: 60 }, (_, i) => `$.eventName = Name${i}`).join(' || ')} }`;
    assert.ok(long.length > MAX_PATTERN_LENGTH);
    assert.throws(
      () => parseFilterPattern(long),
      (err: unknown) => {
        assert.ok(err instanceof FilterPatternError);
        assert.match(err.message, new RegExp(`${long.length} characters long; CloudWatch allows at most ${MAX_PATTERN_LENGTH}`));
        return true;
      },
    );
    parseFilterPattern(`{ $.m = "${'x'.repeat(MAX_PATTERN_LENGTH - 14)}" }`);
  });

  test('describePatternError puts a caret under the column', () => {
    const pattern = '{ $.errorCode = }';
    const err = (() => {
      try {
        parseFilterPattern(pattern);
      } catch (e) {
        return e as FilterPatternError;
      }
      throw new Error('parsed');
    })();
    const [line, caret, message] = describePatternError(pattern, err).split('\n');
    assert.equal(line, pattern);
    assert.equal(caret, ' '.repeat(16) + '^');
    assert.equal(message, err.message);
  });

  test('describePatternError keeps the caret under the column across newlines and tabs', () => {
    const pattern = '{\n\t$.a = 1 &&\n\t$.b = }';
    let err: FilterPatternError | undefined;
    try {
      parseFilterPattern(pattern);
    } catch (e) {
      err = e as FilterPatternError;
    }
    assert.ok(err);
    const [line, caret] = describePatternError(pattern, err).split('\n');
    assert.equal(line, '{  $.a = 1 &&  $.b = }');
    assert.equal(line[caret.length - 1], '}');
  });

  test('describePatternError cuts a long pattern around the column, caret still under it', () => {
    const pattern = `{ ${'$.a = x || '.repeat(40)}$.b = }`;
    let err: FilterPatternError | undefined;
    try {
      parseFilterPattern(pattern);
    } catch (e) {
      err = e as FilterPatternError;
    }
    assert.ok(err);
    const [line, caret] = describePatternError(pattern, err).split('\n');
    assert.ok(line.startsWith('…') && line.length < pattern.length);
    assert.equal(line[caret.length - 1], '}');
    assert.equal(pattern[err.column - 1], '}');
  });
});
