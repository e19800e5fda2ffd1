/**
 * From a failed call's wrong-shaped parameter back to the template line that produced it: the call
 * (a CloudTrail record) received, say, a key ID in `encryptionKeyArn`; the failed resource's
 * `EncryptionKeyArn` property is `!Ref BackupKey`, and the `Ref` of an `AWS::KMS::Key` is its key ID,
 * not its ARN. The fix is `!GetAtt BackupKey.Arn`.
 *
 * The CloudTrail parameter is matched to the property by name, case-insensitively, along the
 * resource's `Properties` (CloudTrail writes the API's lowerCamelCase, templates the resource's
 * UpperCamelCase).
 */
import type { ShapeProblem } from '../investigate/shape';
import { refReturn, type RefReturn } from './refReturns';
import { getAttText, type OffsetRange, type ParsedTemplate, type TemplateReference } from './template';

export interface RefFix {
  readonly logicalId: string;
  /** The `Ref` in the template that passes the wrong shape. */
  readonly reference: TemplateReference;
  /** What the referenced type's `Ref` returns, and its documentation page. */
  readonly returns: RefReturn;
  readonly problem: ShapeProblem;
  /** The edit: replace `range` with `text`. */
  readonly edit: { readonly range: OffsetRange; readonly text: string };
  /** The diagnostic's text: what the property wants and gets (first line), then what the call got and the fix. */
  readonly message: string;
}

/** The parameter path's segments below `requestParameters`, e.g. ['encryptionKeyArn']. */
function parameterSegments(problem: ShapeProblem): string[] {
  const parts = problem.path.filter((s): s is string => typeof s === 'string');
  if (parts[0] === 'requestParameters') parts.shift();
  return parts.length > 0 ? parts : [problem.name];
}

/** Whether the reference sits at exactly that property of the resource (indexes of lists skipped). */
function atProperty(ref: TemplateReference, logicalId: string, segments: readonly string[]): boolean {
  const p = ref.path;
  if (p[0] !== 'Resources' || p[1] !== logicalId || p[2] !== 'Properties') return false;
  const props = p.slice(3).filter((s): s is string => typeof s === 'string');
  if (props.some((s) => s.startsWith('Fn::'))) return false;
  if (props.length === 0 || props.length > segments.length) return false;
  // The property path equals the parameter path's end (the API may nest the resource's properties deeper).
  const tail = segments.slice(segments.length - props.length);
  return props.every((s, i) => s.toLowerCase() === tail[i]?.toLowerCase());
}

/**
 * The fixes for one failed resource: each wrong-shaped ARN parameter whose template property is a
 * `Ref` to a resource whose `Ref` is not an ARN but which has an ARN attribute.
 */
export function findRefFixes(template: ParsedTemplate, logicalId: string, problems: readonly ShapeProblem[]): RefFix[] {
  const types = new Map(template.resources.map((r) => [r.logicalId, r.type]));
  const out: RefFix[] = [];
  for (const problem of problems) {
    if (problem.expected !== 'ARN') continue;
    const segments = parameterSegments(problem);
    for (const reference of template.references) {
      if (reference.kind !== 'Ref' || !atProperty(reference, logicalId, segments)) continue;
      const returns = refReturn(types.get(reference.target));
      if (!returns || returns.ref === 'arn' || !returns.arnAttribute) continue;
      const property = reference.path
        .filter((s) => typeof s === 'string')
        .slice(3)
        .join('.');
      out.push({
        logicalId,
        reference,
        returns,
        problem,
        edit: { range: reference.range, text: getAttText(template.format, reference.target, returns.arnAttribute) },
        message:
          `${property} wants an ARN, but Ref ${reference.target} returns ${returns.refValue} (${returns.type}).\n` +
          `The failed call got ${problem.name} = "${problem.value}". Use ${getAttText(template.format, reference.target, returns.arnAttribute)}.`,
      });
    }
  }
  return out;
}
