/**
 * Data events: the calls on a resource's contents (S3 object calls, Lambda Invoke, DynamoDB item
 * calls) that a trail logs only when its data-event selectors ask for them, and that LookupEvents
 * never returns (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html).
 * Reading a text: which data-event operation it names, if any — a guess the request-ID jump uses to
 * go to a trail source or an engine instead of event history, never to decide a match.
 */
import type { SearchHints } from './hints';

/** Data-event operations by the event source that records them; the names are CloudTrail's eventName. */
const DATA_EVENTS: Readonly<Record<string, readonly string[]>> = {
  's3.amazonaws.com': [
    'GetObject',
    'PutObject',
    'HeadObject',
    'CopyObject',
    'DeleteObject',
    'DeleteObjects',
    'GetObjectAcl',
    'PutObjectAcl',
    'GetObjectTagging',
    'PutObjectTagging',
    'DeleteObjectTagging',
    'GetObjectAttributes',
    'RestoreObject',
    'SelectObjectContent',
    'CreateMultipartUpload',
    'UploadPart',
    'UploadPartCopy',
    'CompleteMultipartUpload',
    'AbortMultipartUpload',
    'ListObjects',
    'ListObjectsV2',
    'ListObjectVersions',
    'ListParts',
  ],
  'lambda.amazonaws.com': ['Invoke', 'InvokeAsync', 'InvokeWithResponseStream'],
  'dynamodb.amazonaws.com': [
    'GetItem',
    'PutItem',
    'UpdateItem',
    'DeleteItem',
    'BatchGetItem',
    'BatchWriteItem',
    'TransactGetItems',
    'TransactWriteItems',
  ],
};

const NAMES = new Map(Object.entries(DATA_EVENTS).flatMap(([source, names]) => names.map((n) => [n, source] as const)));
/** Names distinctive enough to recognise anywhere in a text ("Invoke" alone is an ordinary word: only with Lambda). */
const DISTINCT = new RegExp(`\\b(${[...NAMES.keys()].filter((n) => n !== 'Invoke').join('|')})\\b`);
const LAMBDA_INVOKE = /\blambda\b[^\n]{0,80}\binvoke\b|\binvoke\b[^\n]{0,80}\blambda\b/i;

/** A data-event operation named in the text (or its hints' eventName): `{ eventName, eventSource }`, else undefined. */
export function dataEventNamed(
  text: string,
  hints?: Pick<SearchHints, 'eventName'>,
): { eventName: string; eventSource: string } | undefined {
  const hinted = hints?.eventName;
  if (hinted && NAMES.has(hinted)) return { eventName: hinted, eventSource: NAMES.get(hinted)! };
  const m = DISTINCT.exec(text);
  if (m) return { eventName: m[1], eventSource: NAMES.get(m[1])! };
  if (LAMBDA_INVOKE.test(text)) return { eventName: 'Invoke', eventSource: 'lambda.amazonaws.com' };
  return undefined;
}
