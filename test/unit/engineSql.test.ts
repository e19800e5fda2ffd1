/**
 * SQL generation (src/core/engines/sql.ts, ddl.ts): each filter-pattern construct becomes SQL or a
 * refusal naming the condition; caveats where the table's storage blurs a distinction; the window
 * on the partition and on eventtime; quoting; the DDL; the cost estimate. (That the SQL runs and
 * selects the right rows is test/integration/athenaSql.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTableDdl } from '../../src/core/engines/ddl';
import {
  ATHENA_MIN_BYTES,
  UntranslatableError,
  athenaCostUsd,
  patternCondition,
  requestIdQuery,
  windowPredicate,
} from '../../src/core/engines/sql';
import { parseFilterPattern } from '../../src/core/filter/pattern';

const where = (p: string, caveats: string[] = []) => patternCondition(parseFilterPattern(p), caveats);

describe('filter pattern → SQL condition', () => {
  const cases: [string, string][] = [
    ['{ $.eventName = "ConsoleLogin" }', "eventname = 'ConsoleLogin'"],
    ['{ $.eventName = ConsoleLogin }', "eventname = 'ConsoleLogin'"],
    ['{ $.errorCode = "*UnauthorizedOperation" }', "errorcode LIKE '%UnauthorizedOperation' ESCAPE '\\'"],
    ['{ $.errorCode = AccessDenied* }', "errorcode LIKE 'AccessDenied%' ESCAPE '\\'"],
    ['{ $.eventName = *Bucket* }', "eventname LIKE '%Bucket%' ESCAPE '\\'"],
    ['{ $.eventName = Ev*ent }', "eventname = 'Ev*ent'"],
    ['{ $.eventName = "a_b%c*" }', "eventname LIKE 'a\\_b\\%c%' ESCAPE '\\'"],
    ['{ $.eventSource = * }', 'eventsource IS NOT NULL'],
    ['{ $.eventType != "AwsServiceEvent" }', "(eventtype IS NOT NULL AND NOT (eventtype = 'AwsServiceEvent'))"],
    ['{ $.eventName = %^Get.*s$% }', "regexp_like(eventname, '^Get.*s$')"],
    ['{ $.userIdentity.type = "Root" }', "useridentity.type = 'Root'"],
    ['{ $.userIdentity.sessionContext.sessionIssuer.userName = "x" }', "useridentity.sessioncontext.sessionissuer.username = 'x'"],
    ['{ $.userIdentity.invokedBy NOT EXISTS }', 'useridentity.invokedby IS NULL'],
    ['{ $.readOnly IS TRUE }', "readonly = 'true'"],
    ['{ $.readOnly IS FALSE }', "readonly = 'false'"],
    ['{ $.requestParameters.bucketName = "b" }', "json_extract_scalar(requestparameters, '$.bucketName') = 'b'"],
    ['{ $.requestParameters.items[0].id = "i" }', "json_extract_scalar(requestparameters, '$.items[0].id') = 'i'"],
    ['{ $.requestParameters.bucketName NOT EXISTS }', "json_extract(requestparameters, '$.bucketName') IS NULL"],
    ['{ $.requestParameters.maxResults > 10 }', "TRY_CAST(json_extract_scalar(requestparameters, '$.maxResults') AS DOUBLE) > 10"],
    ['{ $.a.b = 1 }'.replace('$.a.b', '$.responseElements.count'), "json_extract_scalar(responseelements, '$.count') = '1'"],
    ['{ ($.eventName = A || $.eventName = B) && $.errorCode = C }', "((eventname = 'A' OR eventname = 'B') AND errorcode = 'C')"],
    ['{ $.eventName = "it\'s" }', "eventname = 'it''s'"],
  ];
  for (const [pattern, sql] of cases) test(pattern, () => assert.equal(where(pattern), sql));

  const refused: [string, RegExp][] = [
    ['{ $.eventname = "x" }', /'\$\.eventname = "x"' \(column 3\).*case-sensitive: 'eventName'/],
    ['{ $.somethingElse = "x" }', /not a field of the CloudTrail table/],
    ['{ $.resources[0].type = "AWS::IAM::Role" }', /is an array column/],
    ['{ $.userIdentity = "x" }', /is an object/],
    ['{ $.userIdentity.foo = "x" }', /not a field of \$\.userIdentity/],
    ['{ $.eventName.x = "y" }', /is a string, with no fields/],
    ['{ $.eventName > 3 }', /numeric comparison never matches/],
    ['{ $.eventName IS TRUE }', /never a boolean/],
    ['{ $.readOnly = "true" }', /IS TRUE or IS FALSE/],
    ['{ $.requestParameters = "x" }', /is a JSON object/],
    ['{ $.requestParameters.x IS NULL }', /use NOT EXISTS/],
    ['{ $.requestParameters.a-b = "x" }', /needs quoting in a JSON path/],
  ];
  for (const [pattern, message] of refused) {
    test(`refuses ${pattern}`, () => {
      assert.throws(
        () => where(pattern),
        (err: unknown) => err instanceof UntranslatableError && message.test(err.message) && err.code === 'InvalidInput',
      );
    });
  }

  test('refusal inside a larger pattern names the part and its column', () => {
    assert.throws(() => where('{ $.eventName = A && $.resources[1].arn = "x" }'), /'\$\.resources\[1\]\.arn = "x"' \(column 22\)/);
  });

  const caveated: [string, RegExp][] = [
    ['{ $.errorMessage NOT EXISTS }', /JSON null and a missing field alike/],
    ['{ $.errorMessage IS NULL }', /JSON null and a missing field alike/],
    ['{ $.requestParameters IS NULL }', /JSON null and a missing field alike/],
    ['{ $.requestParameters.x > 1 }', /string holding a number/],
    ['{ $.requestParameters.x = 10 }', /compared as JSON text/],
    ['{ $.requestParameters.x IS TRUE }', /a string "true" matches/],
    ['{ $.requestParameters.x = * }', /JSON boolean reads as the text/],
  ];
  for (const [pattern, caveat] of caveated) {
    test(`${pattern} carries a caveat`, () => {
      const caveats: string[] = [];
      where(pattern, caveats);
      assert.ok(
        caveats.some((c) => caveat.test(c)),
        caveats.join('; '),
      );
    });
  }
  test('exact translations carry no caveat', () => {
    const caveats: string[] = [];
    where('{ $.userIdentity.type = "Root" && $.eventName = %^Get% && $.readOnly IS TRUE }', caveats);
    assert.deepEqual(caveats, []);
  });
});

describe('queries', () => {
  const window = { start: new Date('2026-11-18T23:50:00Z'), end: new Date('2026-11-19T23:55:00Z') };
  test('the window bounds the day partition (with the delivery lag) and eventtime', () => {
    assert.equal(
      windowPredicate(window),
      `"timestamp" BETWEEN '2026/11/18' AND '2026/11/20'\n  AND eventtime >= '2026-11-18T23:50:00Z'\n  AND eventtime <= '2026-11-19T23:55:00Z'`,
    );
  });
  test('a request-ID query quotes the ID and the table', () => {
    const q = requestIdQuery({ table: 'cloudtrail_logs', database: 'default', window, limit: 5 }, "x' OR '1'='1");
    assert.match(q.sql, /FROM "default"\."cloudtrail_logs"/);
    assert.match(q.sql, /AND requestid = 'x'' OR ''1''=''1'\n/);
    assert.match(q.sql, /LIMIT 5$/);
    assert.match(q.sql, /CAST\(useridentity AS JSON\) AS useridentity/);
  });
});

describe('DDL and cost', () => {
  test("one account and Region: AWS's example with the location filled in", () => {
    const ddl = createTableDdl({
      table: 'cloudtrail_logs',
      bucket: 'my-trail-bucket',
      accounts: ['123456789012'],
      regions: ['ap-northeast-1'],
    });
    assert.match(ddl, /^CREATE EXTERNAL TABLE cloudtrail_logs \(\n {2}eventVersion STRING,/);
    assert.match(ddl, /userIdentity STRUCT<type: STRING, principalId: STRING/);
    assert.match(ddl, /PARTITIONED BY \(`timestamp` string\)/);
    assert.match(ddl, /LOCATION 's3:\/\/my-trail-bucket\/AWSLogs\/123456789012\/CloudTrail\/ap-northeast-1'/);
    assert.match(
      ddl,
      /'storage.location.template'='s3:\/\/my-trail-bucket\/AWSLogs\/123456789012\/CloudTrail\/ap-northeast-1\/\$\{timestamp\}'/,
    );
    assert.match(ddl, /'projection.timestamp.range'='2020\/01\/01,NOW'/);
  });
  test('several accounts and Regions: enum-projected partitions in the template', () => {
    const ddl = createTableDdl({
      table: 't',
      bucket: 'org-trail',
      prefix: 'ct',
      organizationId: 'o-abcdefghij',
      accounts: ['111111111111', '222222222222'],
      regions: ['us-east-1', 'eu-west-1'],
    });
    assert.match(ddl, /PARTITIONED BY \(`timestamp` string, account string, region string\)/);
    assert.match(ddl, /'projection.account.values'='111111111111,222222222222'/);
    assert.match(ddl, /'projection.region.values'='us-east-1,eu-west-1'/);
    assert.match(
      ddl,
      /'storage.location.template'='s3:\/\/org-trail\/ct\/AWSLogs\/o-abcdefghij\/\$\{account\}\/CloudTrail\/\$\{region\}\/\$\{timestamp\}'/,
    );
  });
  test('refuses names that would break the statement', () => {
    assert.throws(
      () => createTableDdl({ table: 'x; DROP', bucket: 'b-b-b', accounts: ['123456789012'], regions: ['us-east-1'] }),
      /table name/,
    );
    assert.throws(() => createTableDdl({ table: 't', bucket: "b'x", accounts: ['123456789012'], regions: ['us-east-1'] }), /bucket/);
    assert.throws(() => createTableDdl({ table: 't', bucket: 'bbb', accounts: ['1234'], regions: ['us-east-1'] }), /12-digit/);
    assert.throws(() => createTableDdl({ table: 't', bucket: 'bbb', accounts: ['123456789012'], regions: ['mars'] }), /Region/);
  });
  test('cost: $5 per TB, 10 MB minimum', () => {
    assert.equal(athenaCostUsd(2 ** 40), 5);
    assert.equal(athenaCostUsd(0), athenaCostUsd(ATHENA_MIN_BYTES));
    assert.ok(Math.abs(athenaCostUsd(0) - 0.0000476837158203125) < 1e-12);
  });
});
