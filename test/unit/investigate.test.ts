/** The investigation core without the network: export writers, Markdown evidence, compare, related criteria, resource forms. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { TrailLensError } from '../../src/core/errors';
import { differingFields, sortKeys, stableJson } from '../../src/core/investigate/compare';
import { CSV_COLUMNS, csvCell, exportRecords, formatForPath } from '../../src/core/investigate/export';
import { comparisonMarkdown, consoleUrl, eventMarkdown, mdCode, mdJson, timelineMarkdown } from '../../src/core/investigate/markdown';
import { relatedCriteria, relatedWindow } from '../../src/core/investigate/related';
import { arnResourceName, resourceCandidates, resourceForms } from '../../src/core/investigate/resources';
import { describeSearched, formatOffset } from '../../src/core/investigate/searched';
import type { CloudTrailRecord } from '../../src/core/record';

const failed: CloudTrailRecord = {
  eventVersion: '1.08',
  eventTime: '2024-08-08T05:49:02Z',
  eventSource: 'backup.amazonaws.com',
  eventName: 'CreateBackupVault',
  awsRegion: 'ap-northeast-1',
  sourceIPAddress: 'cloudformation.amazonaws.com',
  userAgent: 'cloudformation.amazonaws.com',
  errorCode: 'InvalidParameterValueException',
  errorMessage: 'Invalid Key provided by the user. %s',
  requestParameters: { backupVaultName: 'orders-vault', encryptionKeyArn: '1234abcd-12ab-34cd-56ef-1234567890ab' },
  responseElements: null,
  requestID: 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e',
  eventID: '6f1c2b4e-0000-4000-8000-000000000001',
  readOnly: false,
  userIdentity: {
    type: 'AssumedRole',
    arn: 'arn:aws:sts::123456789012:assumed-role/cfn-exec/AWSCloudFormation',
    accessKeyId: 'ASIAEXAMPLE123',
    invokedBy: 'cloudformation.amazonaws.com',
  },
};

const tmp = mkdtempSync(join(tmpdir(), 'trail-lens-investigate-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('CSV export (OWASP CSV injection)', () => {
  test('every formula start is defused and quoted; ordinary text is untouched', () => {
    for (const lead of ['=', '+', '-', '@']) assert.equal(csvCell(`${lead}cmd|' /C calc'!A0`), `"'${lead}cmd|' /C calc'!A0"`);
    assert.equal(csvCell('\t=1'), `"'\\x09=1"`);
    assert.equal(csvCell('\r=1'), `"'\\x0d=1"`);
    assert.equal(csvCell('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
    assert.equal(csvCell('a;=1+1'), '"a;=1+1"', 'a ; separator (some locales) cannot start a new cell');
    assert.equal(csvCell('line\n=1'), 'line\\x0a=1', 'a line break cannot start a new row');
    assert.equal(csvCell('CreateBackupVault'), 'CreateBackupVault');
    assert.equal(csvCell(''), '');
  });

  test('the file has the key columns in order, one row per record, and the escaping', async () => {
    const path = join(tmp, 'out.csv');
    const hostile = { ...failed, eventName: '=cmd|"/C calc"!A0', errorMessage: '@SUM(1,2)\nsecond line' };
    assert.equal(await exportRecords(path, 'csv', [failed, hostile]), 2);
    const [header, first, second, last] = readFileSync(path, 'utf8').split('\n');
    assert.equal(
      header,
      'eventTime,eventSource,eventName,errorCode,errorMessage,caller,userIdentityArn,accessKeyId,invokedBy,sourceIPAddress,userAgent,awsRegion,readOnly,requestID,eventID',
    );
    assert.equal(header.split(',').length, CSV_COLUMNS.length);
    assert.match(first, /^2024-08-08T05:49:02Z,backup\.amazonaws\.com,CreateBackupVault,InvalidParameterValueException,/);
    assert.match(first, /,cfn-exec\/AWSCloudFormation,/);
    assert.ok(second.includes(`"'=cmd|""/C calc""!A0"`), second);
    assert.ok(second.includes(`"'@SUM(1,2)\\x0asecond line"`), second);
    assert.equal(last, '');
  });

  test('JSON and JSONL are the exact records; the format follows the file name', async () => {
    const json = join(tmp, 'out.json');
    const jsonl = join(tmp, 'out.jsonl');
    await exportRecords(json, 'json', [failed, failed]);
    await exportRecords(jsonl, 'jsonl', [failed]);
    assert.deepEqual(JSON.parse(readFileSync(json, 'utf8')), [failed, failed]);
    assert.deepEqual(JSON.parse(readFileSync(jsonl, 'utf8').trim()), failed);
    assert.equal(formatForPath('/x/a.CSV'), 'csv');
    assert.equal(formatForPath('/x/a.ndjson'), 'jsonl');
    assert.equal(formatForPath('/x/a.json'), 'json');
  });

  test('progress is reported per batch, and a cancelled export leaves no file', async () => {
    const records = Array.from({ length: 2500 }, (_, i) => ({ ...failed, eventID: `e${i}` }));
    const seen: number[] = [];
    const path = join(tmp, 'big.jsonl');
    assert.equal(await exportRecords(path, 'jsonl', records, { batch: 1000, onProgress: (n) => seen.push(n) }), 2500);
    assert.deepEqual(seen, [1000, 2000, 2500]);
    const controller = new AbortController();
    const cancelled = join(tmp, 'cancelled.csv');
    await assert.rejects(
      exportRecords(cancelled, 'csv', records, {
        batch: 500,
        onProgress: (n) => n >= 1000 && controller.abort(),
        signal: controller.signal,
      }),
      (err: unknown) => err instanceof TrailLensError && err.code === 'Cancelled',
    );
    assert.equal(existsSync(cancelled), false);
  });

  test('a file that cannot be written is a clear error, not a crash', async () => {
    await assert.rejects(exportRecords(join(tmp, 'no', 'such', 'dir.csv'), 'csv', [failed]), /Could not write .*dir\.csv/);
  });
});

describe('Markdown evidence', () => {
  test('an event: key fields, the error, the parameters as JSON, the console link', () => {
    const md = eventMarkdown(failed);
    assert.match(md, /^### Failed call: `CreateBackupVault` at `2024-08-08T05:49:02Z`/);
    assert.match(md, /- \*\*Error code:\*\* `InvalidParameterValueException`/);
    assert.match(md, /- \*\*Request ID:\*\* `abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e`/);
    assert.ok(
      md.includes(
        '[open this event](https://ap-northeast-1.console.aws.amazon.com/cloudtrailv2/home?region=ap-northeast-1#/events/6f1c2b4e-0000-4000-8000-000000000001)',
      ),
    );
    assert.ok(
      md.includes('```json\n{\n  "backupVaultName": "orders-vault",\n  "encryptionKeyArn": "1234abcd-12ab-34cd-56ef-1234567890ab"\n}\n```'),
    );
    assert.doesNotMatch(md, /Response elements/, 'a null response is left out');
  });

  test('attacker-controlled fields cannot inject links, images, HTML or break out of code', () => {
    const evil: CloudTrailRecord = {
      ...failed,
      eventName: 'x`](https://evil.example)<img src=x onerror=alert(1)>',
      errorMessage: '[click](https://evil.example) **bold** <script>alert(1)</script>\n# heading\n- item',
      userAgent: '``` ![img](https://evil.example/p.png)',
      requestParameters: { note: '```\n[x](https://evil.example)' },
    };
    const md = eventMarkdown(evil);
    const lines = md.split('\n');
    // Every line that carries record text keeps it inside a code span or the fenced block.
    assert.ok(lines.includes('- **Error message:** `[click](https://evil.example) **bold** <script>alert(1)</script> # heading - item`'));
    assert.ok(lines.includes('### Failed call: ``x`](https://evil.example)<img src=x onerror=alert(1)>`` at `2024-08-08T05:49:02Z`'));
    assert.ok(lines.includes('- **User agent:** ```` ``` ![img](https://evil.example/p.png) ````'));
    assert.ok(!lines.some((l) => l.startsWith('# ') || l === '- item'), 'no line break from a record reaches the Markdown');
    // The only link outside code is the console link we built.
    const outsideCode = md.replace(/(`+)[\s\S]*?\1/g, '');
    assert.deepEqual(
      [...outsideCode.matchAll(/\]\((https?:[^)]+)\)/g)].map((m) => m[1].split('#')[0]),
      ['https://ap-northeast-1.console.aws.amazon.com/cloudtrailv2/home?region=ap-northeast-1'],
    );
  });

  test('code spans and fences are longer than any backtick run inside them', () => {
    assert.equal(mdCode('a`b'), '``a`b``');
    assert.equal(mdCode('`edge`'), '`` `edge` ``');
    assert.equal(mdCode(''), '(none)');
    assert.equal(mdCode(undefined), '(none)');
    const fenced = mdJson({ s: '````' });
    assert.ok(fenced.startsWith('`````json\n') && fenced.endsWith('\n`````'), fenced);
    const long = mdJson({ big: 'x'.repeat(10_000) }, 100);
    assert.match(long, /… \(\d+ more characters not shown\)\n```$/);
  });

  test('no console link for a Region or event ID that does not look like one', () => {
    assert.equal(consoleUrl({ ...failed, awsRegion: 'evil.example/#' }), undefined);
    assert.equal(consoleUrl({ ...failed, eventID: 'x)](https://evil' }), undefined);
    assert.equal(consoleUrl({ ...failed, awsRegion: undefined }), undefined);
    assert.equal(
      consoleUrl({ ...failed, awsRegion: undefined }, 'us-east-1')?.startsWith('https://us-east-1.console.aws.amazon.com/'),
      true,
    );
    assert.match(
      eventMarkdown({ ...failed, eventID: 'x)](https://evil' }),
      /no link \(look up EventId ``?x\)\]\(https:\/\/evil``? in Event history\)/,
    );
  });

  test('a comparison names the differing fields; a timeline is oldest first, marks the event and says what was searched', () => {
    const ok = { ...failed, eventID: 'e2', eventTime: '2024-08-08T06:00:00Z', errorCode: undefined, errorMessage: undefined };
    const cmp = comparisonMarkdown(failed, ok, differingFields(failed, ok));
    assert.match(cmp, /Fields that differ: `errorCode`, `errorMessage`, `eventID`, `eventTime`/);
    assert.equal(cmp.match(/^### /gm)?.length, 2);
    const key = { ...failed, eventID: 'k', eventName: 'CreateKey', eventTime: '2024-08-08T05:48:29Z', errorCode: undefined };
    const tl = timelineMarkdown(
      'Events by the same caller around',
      'www.evil.example [x](y) · 05:49:02',
      [
        { record: failed, self: true, why: [] },
        { record: key, why: ['same access key'] },
      ],
      ['AccessKeyId = ASIAEXAMPLE123 · 1 page'],
    );
    assert.equal(
      tl.split('\n')[0],
      '## Events by the same caller around `www.evil.example [x](y) · 05:49:02`',
      'the subject is code: no auto-link, no link',
    );
    const items = tl.split('\n').filter((l) => l.startsWith('- '));
    assert.match(items[0], /`CreateKey`.*— `same access key`$/);
    assert.match(items[1], /^- \*\*.*`CreateBackupVault`.*← this event\*\*$/);
    assert.match(tl, /\*\*What was searched\*\*\n\n- `AccessKeyId = ASIAEXAMPLE123 · 1 page`/);
  });
});

describe('compare', () => {
  test('keys are sorted at every depth; arrays keep their order', () => {
    const a = { b: 1, a: { d: [{ z: 1, y: 2 }], c: null } };
    assert.deepEqual(Object.keys(sortKeys(a) as object), ['a', 'b']);
    assert.equal(
      stableJson(a),
      '{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
    assert.equal(stableJson({ y: 1, x: 2 }), stableJson({ x: 2, y: 1 }));
  });

  test('differing fields go one level into parameters and identity', () => {
    const other = { ...failed, requestParameters: { ...failed.requestParameters, encryptionKeyArn: 'arn:aws:kms:…' } };
    assert.deepEqual(differingFields(failed, other), ['requestParameters.encryptionKeyArn']);
    assert.deepEqual(differingFields(failed, { ...failed }), []);
  });
});

describe('related criteria', () => {
  test('access key on the server; session, invoking service (also as source IP) on the client', () => {
    const c = relatedCriteria(failed);
    assert.deepEqual(
      c.map((x) => [x.kind, x.attribute?.key]),
      [
        ['accessKey', 'AccessKeyId'],
        ['session', undefined],
        ['service', undefined],
      ],
      'the source IP equals the invoking service: one criterion, not two',
    );
    const service = c.find((x) => x.kind === 'service')!;
    assert.ok(service.matches({ ...failed, userIdentity: {}, sourceIPAddress: 'cloudformation.amazonaws.com' }));
    assert.ok(!service.matches({ ...failed, userIdentity: {}, sourceIPAddress: '203.0.113.1' }));
    const person = relatedCriteria({ ...failed, userIdentity: { type: 'IAMUser', userName: 'a' }, sourceIPAddress: '203.0.113.1' });
    assert.deepEqual(
      person.map((x) => x.label),
      ['from 203.0.113.1'],
    );
    assert.deepEqual(relatedCriteria({ ...failed, userIdentity: undefined, sourceIPAddress: undefined }), []);
  });

  test('the window is ±N minutes, never past now', () => {
    const t = Date.parse(failed.eventTime);
    assert.deepEqual(relatedWindow(failed, 15, t + 3600_000), { start: new Date(t - 900_000), end: new Date(t + 900_000) });
    assert.deepEqual(relatedWindow(failed, 15, t + 60_000)?.end, new Date(t + 60_000));
    assert.equal(relatedWindow({ ...failed, eventTime: 'soon' }, 15, t), undefined);
  });

  test('offsets and searched lines read as a person says them, and an early stop is said', () => {
    assert.equal(formatOffset(-33_000), '−33 s');
    assert.equal(formatOffset(125_000), '+2 min 5 s');
    assert.equal(formatOffset(0), '0 s');
    assert.equal(formatOffset(-3_600_000), '−1 h');
    const w = { start: new Date('2024-08-08T05:34:02Z'), end: new Date('2024-08-08T06:04:02Z') };
    assert.match(
      describeSearched({ what: 'AccessKeyId = K', window: w, pages: 1, events: 12, complete: true }),
      /AccessKeyId = K · .* · 1 page, 12 events read · the whole window$/,
    );
    assert.match(
      describeSearched({
        what: 'every event',
        window: w,
        pages: 40,
        events: 2000,
        complete: false,
        reachedBack: new Date('2024-08-08T05:50:00Z'),
      }),
      /stopped at the page budget, back to 2024-08-08T05:50:00\.000Z$/,
    );
  });
});

describe('resource forms', () => {
  test('an ARN is tried as itself and by its bare name; a name also by known ARNs ending in it', () => {
    const keyArn = 'arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    assert.deepEqual(resourceForms(keyArn), [keyArn, '1234abcd-12ab-34cd-56ef-1234567890ab']);
    assert.deepEqual(resourceForms('arn:aws:s3:::my-bucket'), ['arn:aws:s3:::my-bucket', 'my-bucket']);
    assert.equal(arnResourceName('arn:aws:iam::123456789012:role/service-role/my-role'), 'my-role');
    assert.equal(arnResourceName('arn:aws:lambda:us-east-1:123456789012:function:fn'), 'fn');
    assert.deepEqual(resourceForms('1234abcd-12ab-34cd-56ef-1234567890ab', [keyArn, 'arn:aws:s3:::other']), [
      '1234abcd-12ab-34cd-56ef-1234567890ab',
      keyArn,
    ]);
    assert.deepEqual(resourceForms('  name  '), ['name']);
    assert.deepEqual(resourceForms('x'.repeat(2001)), []);
  });

  test('an event offers its resources, then ARNs and resource-named parameters', () => {
    const r = {
      ...failed,
      resources: [{ ARN: 'arn:aws:kms:ap-northeast-1:1:key/k' }],
      responseElements: { backupVaultArn: 'arn:aws:backup:x:1:backup-vault:v' },
    };
    assert.deepEqual(
      resourceCandidates(r).map((c) => [c.value, c.where]),
      [
        ['arn:aws:kms:ap-northeast-1:1:key/k', 'resources[0]'],
        ['orders-vault', 'requestParameters.backupVaultName'],
        ['1234abcd-12ab-34cd-56ef-1234567890ab', 'requestParameters.encryptionKeyArn'],
        ['arn:aws:backup:x:1:backup-vault:v', 'responseElements.backupVaultArn'],
      ],
    );
  });
});
