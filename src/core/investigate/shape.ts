/**
 * The shape check: in a failed call, a parameter whose name promises an ARN (`encryptionKeyArn`,
 * `RoleARN`, `role_arn`, `resourceArns`) but whose value is not one. This is the seed of many
 * CloudFormation failures: `!Ref` of an AWS::KMS::Key returns the key ID, where `!GetAtt Key.Arn`
 * was needed, and the service answers with a vague "Invalid Key provided".
 */
import type { CloudTrailRecord } from '../record';
import { isRedacted } from '../record';
import { KIND_TEXT, valueKind, type ValueKind } from './valueKind';

export type { ValueKind } from './valueKind';

export interface ShapeProblem {
  /** From the record's root: ['requestParameters', 'encryptionKeyArn'], or […, 'resourceArns', 0]. */
  readonly path: readonly (string | number)[];
  /** The parameter's name (the last key on the path). */
  readonly name: string;
  readonly value: string;
  readonly expected: 'ARN';
  /** What the value looks like instead, when it can be told. */
  readonly valueKind?: ValueKind;
  /** One sentence for a person: what was expected, what was passed. */
  readonly message: string;
}

/**
 * Names that promise an ARN: `arn` alone, a camel-case or upper-case suffix (`keyArn`, `RoleARN`),
 * or a separated one (`role_arn`, `kms-key-arn`), each also plural. Not words that merely end in
 * "arn" (`warn`, `learn`).
 */
const ARN_NAME = /^(?:arn|Arn|ARN)s?$|(?:[a-z0-9]Arn|[A-Za-z0-9]ARN)s?$|[_.-](?:arn|Arn|ARN)s?$/;
const MAX_DEPTH = 32;
const MAX_PROBLEMS = 20;

export function promisesArn(name: string): boolean {
  return ARN_NAME.test(name);
}

/** An example of the ARN each kind of value belongs in, for the message. */
const ARN_EXAMPLE: Partial<Record<ValueKind, string>> = {
  'kms-key-id': 'arn:aws:kms:REGION:ACCOUNT:key/KEY-ID',
  'kms-alias': 'arn:aws:kms:REGION:ACCOUNT:alias/NAME',
  'role-name': 'arn:aws:iam::ACCOUNT:role/NAME',
  'bucket-name': 'arn:aws:s3:::BUCKET',
};

function describe(name: string, value: string, kind: ValueKind): string {
  const shown = value.length > 80 ? `${value.slice(0, 79)}…` : value;
  const example = ARN_EXAMPLE[kind];
  const looks = kind === 'name' ? 'is not an ARN' : `is not an ARN; it looks like ${KIND_TEXT[kind]}`;
  return `${name} expects an ARN, but "${shown}" ${looks}${example ? ` (an ARN looks like ${example})` : ''}.`;
}

function problem(path: (string | number)[], name: string, value: string): ShapeProblem | undefined {
  if (isRedacted(value)) return undefined;
  const kind = valueKind(value, name.replace(/s$/, ''));
  if (kind === 'arn') return undefined;
  return { path, name, value, expected: 'ARN', valueKind: kind, message: describe(name, value, kind) };
}

/**
 * The parameters of a failed call (errorCode set) whose name promises an ARN and whose value is not
 * one, in document order. A successful call has none: the service accepted what it was given.
 * Redacted values (HIDDEN_DUE_TO_SECURITY_REASONS) are not judged.
 */
export function shapeProblems(record: CloudTrailRecord): ShapeProblem[] {
  if (!record.errorCode) return [];
  const params = record.requestParameters;
  if (params === null || typeof params !== 'object') return [];
  const out: ShapeProblem[] = [];
  const check = (name: string, value: unknown, path: (string | number)[]): void => {
    if (typeof value === 'string') {
      const found = problem(path, name, value);
      if (found) out.push(found);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (typeof item === 'string') check(name, item, [...path, i]);
      });
    }
  };
  const walk = (node: unknown, path: (string | number)[], depth: number): void => {
    if (depth > MAX_DEPTH || out.length >= MAX_PROBLEMS || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...path, i], depth + 1));
      return;
    }
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (out.length >= MAX_PROBLEMS) return;
      if (promisesArn(key) && (typeof value === 'string' || Array.isArray(value))) check(key, value, [...path, key]);
      else walk(value, [...path, key], depth + 1);
    }
  };
  walk(params, ['requestParameters'], 0);
  return out.slice(0, MAX_PROBLEMS);
}
