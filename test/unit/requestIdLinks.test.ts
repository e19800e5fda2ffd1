/**
 * What the underlines and links mark (src/extension/links/requestIdSpans.ts): the request IDs core
 * accepts, never a RequestToken or an ID inside an ARN, and bounded work on huge documents.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { linesAround, MAX_LINE_LENGTH, MAX_LINES, requestIdSpans } from '../../src/extension/links/requestIdSpans';
import { writeDemoWorkspace } from '../../scripts/workbench/demoWorkspace';
import { scratchDir } from '../harness/scratch';

const numbered = (lines: string[]) => lines.map((text, line) => ({ line, text }));

describe('requestIdSpans', () => {
  test("the demo log: only the failed call's request ID is marked, on its line, at its columns", () => {
    const dir = scratchDir('trail-lens-links-');
    try {
      const marker = writeDemoWorkspace(dir);
      const lines = readFileSync(join(dir, 'deploy.log'), 'utf8').split('\n');
      const spans = requestIdSpans(numbered(lines));
      // The RequestToken on the same line and the stack's ARN are not request IDs.
      assert.deepEqual(
        spans.map((s) => [s.line, s.requestId]),
        [[marker.errorLine, marker.requestId]],
      );
      const [s] = spans;
      assert.equal(lines[s.line].slice(s.start, s.end), marker.requestId);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('SDK and CLI forms, S3 IDs; line numbers are the ones given', () => {
    const spans = requestIdSpans([
      {
        line: 7,
        text: 'operation error CloudTrail: LookupEvents, https response error StatusCode: 400, RequestID: 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b, api error',
      },
      {
        line: 9,
        text: 'An error occurred (AccessDenied) when calling the GetObject operation: Access Denied (Request ID: 4442587FB7D0A2F9)',
      },
      { line: 12, text: 'nothing here at all' },
    ]);
    assert.deepEqual(
      spans.map((s) => [s.line, s.requestId]),
      [
        [7, '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b'],
        [9, '4442587FB7D0A2F9'],
      ],
    );
  });

  test('a RequestToken alone, an ARN, a Lambda invocation prefix are not marked', () => {
    const spans = requestIdSpans(
      numbered([
        '(RequestToken: a30442fc-a6f4-4acc-a1fd-4f2915ffabde, HandlerErrorCode: InvalidRequest)',
        'arn:aws:cloudformation:us-east-1:123456789012:stack/orders/5b3c9a60-1f2e-11ef-9d7a-0a1b2c3d4e5f',
        '2024-08-08T10:00:00.000Z\t7d3f2a10-9c8b-4e7d-a6f5-1b2c3d4e5f60\tINFO hello',
      ]),
    );
    assert.deepEqual(spans, []);
  });

  test('over-long lines are skipped and at most MAX_LINES lines are read', () => {
    const id = 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e';
    const long = `${'x'.repeat(MAX_LINE_LENGTH)} Request ID: ${id}`;
    assert.deepEqual(requestIdSpans([{ line: 0, text: long }]), []);
    const many = Array.from({ length: MAX_LINES + 50 }, (_, line) => ({ line, text: `Request ID: ${id}` }));
    const spans = requestIdSpans(many);
    assert.equal(spans.length, MAX_LINES);
    assert.equal(spans.at(-1)?.line, MAX_LINES - 1);
  });
});

describe('linesAround', () => {
  test('widens each visible range by the margin, merges overlaps, stays inside the document', () => {
    assert.deepEqual(linesAround([{ start: 0, end: 1 }], 2, 10), [0, 1, 2, 3]);
    assert.deepEqual(
      linesAround(
        [
          { start: 8, end: 9 },
          { start: 3, end: 4 },
        ],
        1,
        10,
      ),
      [2, 3, 4, 5, 7, 8, 9],
    );
    assert.deepEqual(
      linesAround(
        [
          { start: 2, end: 5 },
          { start: 4, end: 6 },
        ],
        0,
        10,
      ),
      [2, 3, 4, 5, 6],
    );
    assert.deepEqual(linesAround([], 5, 10), []);
  });
});
