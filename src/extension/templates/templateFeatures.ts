/**
 * In an open CloudFormation template whose stack is known: a CodeLens on each failed resource's
 * logical ID (its status reason, and "Open CloudTrail event"), a diagnostic on a `!Ref` that passed
 * an ID or name where the failing call wanted an ARN, and the quick fix that rewrites it to
 * `!GetAtt X.Arn`. When the stack is not known, one CodeLens offers to choose it.
 */
import * as vscode from 'vscode';
import type { RefFix } from '../../core/cloudformation/refFix';
import { shortStatusReason } from '../../core/cloudformation/reason';
import { describeError } from '../../core/errors';
import { oneLine } from '../../core/text';
import { Commands, STACKS_VIEW_ID } from '../commandIds';
import type { Config } from '../config';
import type { Log } from '../log';
import type { FailureTarget } from '../stacks/openFailure';
import type { StackData } from '../stacks/stackData';
import { analyzeTemplate, isTemplateCandidate, TemplatePicks, type TemplateAnalysis } from './templateAnalysis';

const SELECTOR: vscode.DocumentSelector = [{ language: 'yaml' }, { language: 'json' }, { language: 'jsonc' }];
const SOURCE = 'Trail Lens';

function rangeOf(doc: vscode.TextDocument, r: { start: number; end: number }): vscode.Range {
  return new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end));
}

export class TemplateFeatures implements vscode.CodeLensProvider, vscode.CodeActionProvider, vscode.Disposable {
  static readonly codeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('trailLens.templates');
  private readonly analyses = new Map<string, { version: number; result: Promise<TemplateAnalysis> }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];
  readonly picks: TemplatePicks;

  constructor(private readonly deps: { config: Config; stacks: StackData; log: Log; workspaceState: vscode.Memento }) {
    this.picks = new TemplatePicks(deps.workspaceState);
    this.disposables.push(
      this.diagnostics,
      vscode.languages.registerCodeLensProvider(SELECTOR, this),
      vscode.languages.registerCodeActionsProvider(SELECTOR, this, { providedCodeActionKinds: TemplateFeatures.codeActionKinds }),
      vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, 300)),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.analyses.delete(doc.uri.toString());
        this.diagnostics.delete(doc.uri);
      }),
      deps.stacks.onDidChange(() => this.reanalyzeAll()),
      deps.config.onDidChange((c) => {
        if (c.affects('cloudformation.stacks')) this.reanalyzeAll();
      }),
    );
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  /** The analysis of the document's current version (computed once per version). */
  analysis(doc: vscode.TextDocument): Promise<TemplateAnalysis> {
    const key = doc.uri.toString();
    const known = this.analyses.get(key);
    if (known && known.version === doc.version) return known.result;
    const result = analyzeTemplate(doc, { config: this.deps.config, stacks: this.deps.stacks, picks: this.picks }).catch(
      (err: unknown): TemplateAnalysis => {
        this.deps.log.warn(`Template ${doc.uri.toString()}: ${describeError(err)}`);
        return { state: 'notTemplate' };
      },
    );
    this.analyses.set(key, { version: doc.version, result });
    void result.then((a) => this.publish(doc, a));
    return result;
  }

  reanalyzeAll(): void {
    this.analyses.clear();
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
    this.lensesChanged.fire();
  }

  private schedule(doc: vscode.TextDocument, delayMs: number): void {
    if (!isTemplateCandidate(doc)) {
      this.diagnostics.delete(doc.uri);
      return;
    }
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.analysis(doc).then(() => this.lensesChanged.fire());
      }, delayMs),
    );
  }

  private publish(doc: vscode.TextDocument, a: TemplateAnalysis): void {
    // A newer version is on its way: its own analysis will publish.
    if (this.analyses.get(doc.uri.toString())?.version !== doc.version) return;
    if (a.state !== 'ready') {
      this.diagnostics.delete(doc.uri);
      return;
    }
    this.diagnostics.set(
      doc.uri,
      a.fixes.map((fix) => diagnosticOf(doc, fix)),
    );
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!isTemplateCandidate(doc)) return [];
    const a = await this.analysis(doc);
    const top = new vscode.Range(0, 0, 0, 0);
    switch (a.state) {
      case 'notTemplate':
        return [];
      case 'invalid':
        return [lens(top, `$(warning) Trail Lens cannot read this template: ${oneLine(a.error.message, 160)}`, Commands.showLog)];
      case 'noStack':
        return [
          lens(
            firstResource(doc, a.template) ?? top,
            "$(cloud) Choose this template's stack to see its failures…",
            Commands.pickTemplateStack,
            [doc.uri],
          ),
        ];
      case 'stackError':
        return [
          lens(
            firstResource(doc, a.template) ?? top,
            `$(error) ${a.association.stackName}: ${oneLine(describeError(a.error), 160)}`,
            Commands.refreshStacks,
          ),
        ];
      case 'ready': {
        const lenses: vscode.CodeLens[] = [];
        const byId = new Map(a.template.resources.map((r) => [r.logicalId, r]));
        for (const failure of a.failures) {
          const resource = byId.get(failure.logicalResourceId);
          if (!resource) continue;
          const range = rangeOf(doc, resource.keyRange);
          const target: FailureTarget = { stackName: a.association.stackName, failure };
          const open = failure.event
            ? `$(link-external) Open CloudTrail event (${failure.event.eventName})`
            : failure.deliveryMayLag
              ? '$(history) No CloudTrail event yet — look again'
              : '$(search) No CloudTrail event found — what was searched';
          lenses.push(lens(range, open, Commands.openStackFailure, [target]));
          const reason = `$(error) ${failure.status}: ${oneLine(shortStatusReason(failure.statusReason), 120)}`;
          lenses.push(lens(range, reason, Commands.openStackFailure, [target], failure.statusReason));
        }
        if (lenses.length === 0) {
          const where = firstResource(doc, a.template) ?? top;
          lenses.push(
            lens(where, `$(pass) ${a.association.stackName}: no failed resource in its last operation`, `${STACKS_VIEW_ID}.focus`),
          );
        }
        return lenses;
      }
    }
  }

  async provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection): Promise<vscode.CodeAction[]> {
    const a = await this.analysis(doc);
    if (a.state !== 'ready') return [];
    return a.fixes.filter((fix) => rangeOf(doc, fix.edit.range).intersection(range)).map((fix) => quickFix(doc, fix));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
    this.lensesChanged.dispose();
  }
}

function lens(range: vscode.Range, title: string, command: string, args: unknown[] = [], tooltip?: string): vscode.CodeLens {
  return new vscode.CodeLens(range, { title, command, arguments: args, tooltip });
}

function firstResource(
  doc: vscode.TextDocument,
  t: { resources: readonly { keyRange: { start: number; end: number } }[] },
): vscode.Range | undefined {
  const r = t.resources[0];
  return r ? rangeOf(doc, r.keyRange) : undefined;
}

export function diagnosticOf(doc: vscode.TextDocument, fix: RefFix): vscode.Diagnostic {
  const d = new vscode.Diagnostic(rangeOf(doc, fix.edit.range), fix.message, vscode.DiagnosticSeverity.Error);
  d.source = SOURCE;
  d.code = { value: `Ref of ${fix.returns.type}`, target: vscode.Uri.parse(fix.returns.source) };
  return d;
}

function quickFix(doc: vscode.TextDocument, fix: RefFix): vscode.CodeAction {
  const action = new vscode.CodeAction(
    `Use ${fix.edit.text} (Ref of ${fix.returns.type} returns ${fix.returns.refValue})`,
    vscode.CodeActionKind.QuickFix,
  );
  action.edit = new vscode.WorkspaceEdit();
  action.edit.replace(doc.uri, rangeOf(doc, fix.edit.range), fix.edit.text);
  action.diagnostics = [diagnosticOf(doc, fix)];
  action.isPreferred = true;
  return action;
}
