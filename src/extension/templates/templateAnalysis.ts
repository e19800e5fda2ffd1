/**
 * One open template, read against its stack: the template parsed with positions, the stack it
 * belongs to (core/cloudformation/association.ts, or the user's pick), the stack's last-operation
 * failures with their CloudTrail events (shared with the Stacks view), and the Ref → GetAtt fixes
 * those events call for. Computed once per document version and reused by the CodeLens, the
 * diagnostics and the quick fix.
 */
import * as vscode from 'vscode';
import type { StackAssociation } from '../../core/cloudformation/association';
import type { RefFix } from '../../core/cloudformation/refFix';
import type { ParsedTemplate } from '../../core/cloudformation/template';
import { looksLikeTemplate } from '../../core/cloudformation/templateText';
import type { StackFailure } from '../../core/cloudformation/types';
import { TrailLensError } from '../../core/errors';
import type { Config } from '../config';
import { loadEngine } from '../loadEngine';
import type { StackData } from '../stacks/stackData';

export type TemplateAnalysis =
  | { state: 'notTemplate' }
  | { state: 'invalid'; error: TrailLensError }
  | { state: 'noStack'; template: ParsedTemplate }
  | { state: 'stackError'; template: ParsedTemplate; association: StackAssociation; error: TrailLensError }
  | { state: 'ready'; template: ParsedTemplate; association: StackAssociation; failures: StackFailure[]; fixes: RefFix[] };

const PICKS_KEY = 'trailLens.templateStacks';

/** The user's picks: template URI → stack name, per workspace. */
export class TemplatePicks {
  constructor(private readonly memento: vscode.Memento) {}
  get(uri: vscode.Uri): string | undefined {
    const v = this.memento.get<Record<string, string>>(PICKS_KEY)?.[uri.toString()];
    return typeof v === 'string' ? v : undefined;
  }
  async set(uri: vscode.Uri, stackName: string): Promise<void> {
    const all = { ...(this.memento.get<Record<string, string>>(PICKS_KEY) ?? {}), [uri.toString()]: stackName };
    await this.memento.update(PICKS_KEY, all);
  }
}

export function isTemplateCandidate(doc: vscode.TextDocument): boolean {
  return (doc.languageId === 'yaml' || doc.languageId === 'json' || doc.languageId === 'jsonc') && looksLikeTemplate(doc.getText());
}

export async function analyzeTemplate(
  doc: vscode.TextDocument,
  deps: { config: Config; stacks: StackData; picks: TemplatePicks },
): Promise<TemplateAnalysis> {
  if (!isTemplateCandidate(doc)) return { state: 'notTemplate' };
  const engine = await loadEngine();
  let template: ParsedTemplate;
  try {
    template = engine.parseTemplate(doc.getText(), vscode.workspace.asRelativePath(doc.uri));
  } catch (err) {
    return { state: 'invalid', error: err instanceof TrailLensError ? err : TrailLensError.chain(err, 'Could not read the template') };
  }
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  const association =
    doc.uri.scheme === 'file'
      ? await engine.findStackForTemplate({
          templatePath: doc.uri.fsPath,
          workspaceRoot: folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined,
          setting: deps.config.cloudFormationStacks,
          remembered: deps.picks.get(doc.uri),
        })
      : pickedOnly(deps.picks.get(doc.uri));
  if (!association) return { state: 'noStack', template };
  let failures: StackFailure[];
  try {
    failures = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Trail Lens: reading ${association.stackName}'s failures` },
      () => deps.stacks.failures(association.stackName, undefined),
    );
  } catch (err) {
    return {
      state: 'stackError',
      template,
      association,
      error: err instanceof TrailLensError ? err : TrailLensError.chain(err, 'Unexpected error'),
    };
  }
  const fixes = failures.flatMap((f) => (f.event ? engine.findRefFixes(template, f.logicalResourceId, engine.shapeProblems(f.event)) : []));
  return { state: 'ready', template, association, failures, fixes };
}

function pickedOnly(stackName: string | undefined): StackAssociation | undefined {
  return stackName ? { stackName, source: 'picked' } : undefined;
}
