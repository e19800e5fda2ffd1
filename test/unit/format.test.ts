/** The CLI's writers and the one helper that keeps outside text from driving a terminal. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createWriter, csvCell, type Format } from '../../src/cli/format';
import { csvHeader } from '../../src/core/investigate/export';
import type { CloudTrailRecord } from '../../src/core/record';
import { printable, printableLines } from '../../src/core/text';

const hostile: CloudTrailRecord = {
  eventTime: '2024-08-08T05:49:02Z',
  eventSource: 'backup.amazonaws.com',
  eventName: '=HYPERLINK("http://x")\u001b]0;title\u0007',
  eventID: 'e1',
  sourceIPAddress: '\u001b[2J198.51.100.1',
  userIdentity: { type: 'IAMUser', userName: 'ci\u009b31m' },
};

async function render(format: Format, batches: CloudTrailRecord[][]): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (b) => (text += b));
  const writer = createWriter(format, out);
  for (const b of batches) await writer.write(b);
  await writer.end();
  await writer.end(); // a second end (every exit path calls it) writes nothing more
  return text;
}

describe('printable', () => {
  test('every C0, DEL and C1 control becomes a visible escape; other text is kept', () => {
    assert.equal(printable('a\u001b[31mb\r\n\t\u007f\u009bé…'), 'a\\x1b[31mb\\x0d\\x0a\\x09\\x7f\\x9bé…');
    assert.equal(printableLines('line one\u001b\nline two'), 'line one\\x1b\nline two');
  });
});

describe('csvCell', () => {
  test('cells a spreadsheet would run as formulas get a leading quote', () => {
    for (const lead of ['=', '+', '-', '@']) assert.equal(csvCell(`${lead}1+1`), `"'${lead}1+1"`);
    assert.equal(csvCell('\tcmd'), `"'\\x09cmd"`);
    assert.equal(csvCell('\rcmd'), `"'\\x0dcmd"`);
    assert.equal(csvCell('=SUM(A1,A2)'), `"'=SUM(A1,A2)"`);
    assert.equal(csvCell('a=b'), 'a=b');
    assert.equal(csvCell('2024-08-08T05:49:02Z'), '2024-08-08T05:49:02Z');
  });

  test('RFC 4180 quoting, with control characters made printable', () => {
    assert.equal(csvCell('say "hi", then go'), '"say ""hi"", then go"');
    assert.equal(csvCell('two\nlines\u001b[0m'), 'two\\x0alines\\x1b[0m');
  });
});

describe('createWriter', () => {
  test('no format lets a control character through; json stays the exact records', async () => {
    for (const format of ['json', 'jsonl', 'csv', 'table'] as const) {
      const text = await render(format, [[hostile], [{ ...hostile, eventID: 'e2' }]]);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(text.replace(/\n/g, ''), /[\u0000-\u001f\u007f-\u009f]/, format);
    }
    assert.deepEqual(JSON.parse(await render('json', [[hostile], [hostile]])), [hostile, hostile]);
    const lines = (await render('jsonl', [[hostile]])).trim().split('\n');
    assert.deepEqual(
      lines.map((l) => JSON.parse(l)),
      [hostile],
    );
    const csv = (await render('csv', [[hostile]])).trim().split('\n');
    assert.equal(csv[0], csvHeader().trim());
    assert.equal(csv[1].split(',')[2], `"'=HYPERLINK(""http://x"")\\x1b]0;title\\x07"`);
  });

  test('an empty result is still a complete document', async () => {
    assert.deepEqual(JSON.parse(await render('json', [])), []);
    assert.equal(await render('jsonl', []), '');
    assert.equal(await render('csv', []), csvHeader());
    assert.equal(await render('table', [[]]), '(no events)\n');
  });

  test('a record nested 10,000 levels deep is printed, and so are the records around it', async () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    const records = [
      { ...hostile, eventID: 'before' },
      { ...hostile, eventID: 'deep', requestParameters: deep as Record<string, unknown> },
      { ...hostile, eventID: 'after' },
    ];
    for (const format of ['json', 'jsonl'] as const) {
      const text = await render(format, [records]);
      assert.match(text, /"bottom"/);
      const ids = [...text.matchAll(/"eventID": ?"(\w+)"/g)].map((m) => m[1]);
      assert.deepEqual(ids, ['before', 'deep', 'after'], format);
    }
  });
});
