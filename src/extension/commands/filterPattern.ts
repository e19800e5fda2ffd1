/**
 * Filter Events by Pattern…: a CloudWatch Logs JSON filter pattern (core/filter) that picks which
 * loaded events the Events view shows; the lookup attribute still narrows what is fetched.
 *
 * One picker holds everything quick: type a pattern (it says at once whether it parses), type a
 * field name to get a `{ $.field = "" }` template with the cursor between the quotes (joined to the
 * pattern in effect, to narrow it), the recent patterns of this workspace, and the CIS CloudWatch
 * alarm presets. Anything that needs typing opens an input box that validates as you type: a
 * parse error says the column and what was expected there.
 *
 * `trailLens.setFilterPattern` with a string applies it without asking (other features link to it);
 * an empty string clears the pattern, as Clear Filter does.
 */
import * as vscode from 'vscode';
import { TrailLensError } from '../../core/errors';
import { fieldPaths } from '../../core/filter/fieldPaths';
import { FilterPatternError, parseFilterPattern, type FilterPattern } from '../../core/filter/pattern';
import { FILTER_PRESETS } from '../../core/filter/presets';
import { oneLine } from '../../core/text';
import type { TrailLensContext } from '../context';
import { atProblem, fieldTemplate, patternProblemText, type Template } from '../views/patternChoices';

const TITLE = 'Trail Lens: Filter Events by Pattern';
/** Field paths offered from the loaded events. */
const MAX_FIELDS = 300;

type Action = 'typed' | 'write' | 'clear' | 'apply' | 'field';
interface Item extends vscode.QuickPickItem {
  action?: Action;
  /** The pattern text (typed, apply) or the field path (field). */
  text?: string;
}

/** With a string argument: applies it (empty: clears). Without: asks. */
export async function setFilterPattern(ctx: TrailLensContext, arg?: unknown): Promise<void> {
  // A view's title action passes the tree's focused node: that is no pattern, so ask.
  if (typeof arg === 'object' && arg !== null) return setFilterPattern(ctx);
  if (arg !== undefined && typeof arg !== 'string') {
    throw new TrailLensError(
      'InvalidInput',
      'Filter pattern: the argument must be the pattern text, e.g. { $.errorCode = "AccessDenied" }',
    );
  }
  const text = arg ?? (await askPattern(ctx));
  if (text === undefined) return;
  const t = text.trim();
  if (!t) {
    if (ctx.state.pattern) await ctx.state.setPattern(undefined);
    return;
  }
  let pattern: FilterPattern;
  try {
    pattern = parseFilterPattern(t);
  } catch (err) {
    // runCommand shows it: the pattern, its column and what was expected there.
    if (err instanceof FilterPatternError) throw new TrailLensError('InvalidInput', `Filter pattern ${oneLine(t, 200)}: ${err.message}`);
    throw err;
  }
  await ctx.state.setPattern(pattern);
}

async function askPattern(ctx: TrailLensContext): Promise<string | undefined> {
  const next = await pick(ctx);
  if (!next) return undefined;
  if ('text' in next) return next.text;
  return edit(next.template);
}

/** The picker: a pattern to apply, or a template to edit in the input box. */
function pick(ctx: TrailLensContext): Promise<{ text: string } | { template: Template } | undefined> {
  const current = ctx.state.pattern?.text;
  const base = baseItems(ctx, current);
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = TITLE;
    qp.placeholder = 'Type a pattern such as { $.errorCode = "AccessDenied" } or a field name, or pick a recent pattern or a CIS preset';
    qp.matchOnDescription = true;
    qp.items = base;
    let done = false;
    const finish = (value: { text: string } | { template: Template } | undefined) => {
      if (done) return;
      done = true;
      resolve(value);
      qp.dispose();
    };
    qp.onDidChangeValue((typed) => {
      if (!typed.trim().startsWith('{')) {
        qp.items = base;
        return;
      }
      // As typed, untrimmed: the column counts what is on screen.
      const t = typed;
      const problem = patternProblemText(t);
      const item: Item = {
        action: 'typed',
        text: t,
        label: oneLine(t, 200),
        iconPath: new vscode.ThemeIcon(problem ? 'warning' : 'filter'),
        description: problem ? `${problem} — Enter to fix it` : 'Enter to apply',
        alwaysShow: true,
      };
      qp.items = [item, ...base];
      qp.activeItems = [item];
    });
    qp.onDidAccept(() => {
      const item = qp.activeItems[0];
      const typed = qp.value.trim();
      if (!item) {
        // Nothing matches what was typed: take it as a field name.
        if (typed) finish({ template: fieldTemplate(typed, current) });
        return;
      }
      switch (item.action) {
        case 'typed':
          return finish(patternProblemText(item.text!) ? { template: atProblem(item.text!) } : { text: item.text! });
        case 'apply':
          return finish({ text: item.text! });
        case 'clear':
          return finish({ text: '' });
        case 'field':
          return finish({ template: fieldTemplate(item.text!, current) });
        case 'write':
          return finish({ template: current ? { value: current, selection: [0, current.length] } : fieldTemplate('eventName') });
        default:
          return undefined;
      }
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

function baseItems(ctx: TrailLensContext, current: string | undefined): Item[] {
  const items: Item[] = [
    {
      action: 'write',
      label: current ? 'Edit the pattern…' : 'Write a pattern…',
      iconPath: new vscode.ThemeIcon('edit'),
      description: 'CloudWatch Logs JSON filter-pattern syntax, matched on the loaded events',
    },
  ];
  if (current) {
    items.push({
      action: 'clear',
      label: 'Clear the pattern',
      iconPath: new vscode.ThemeIcon('clear-all'),
      description: oneLine(current, 80),
    });
  }
  const history = ctx.state.patternHistory;
  if (history.length) {
    items.push({ label: 'Recent', kind: vscode.QuickPickItemKind.Separator });
    for (const text of history) {
      items.push({
        action: 'apply',
        text,
        label: oneLine(text, 200),
        iconPath: new vscode.ThemeIcon(text === current ? 'check' : 'history'),
      });
    }
  }
  items.push({ label: 'CIS CloudWatch alarms', kind: vscode.QuickPickItemKind.Separator });
  for (const preset of FILTER_PRESETS) {
    items.push({
      action: 'apply',
      text: preset.pattern,
      label: preset.label,
      iconPath: new vscode.ThemeIcon(preset.pattern === current ? 'check' : 'shield'),
      description: preset.description,
    });
  }
  const fields = fieldPaths(ctx.events.records(), MAX_FIELDS);
  if (fields.length) {
    items.push({ label: 'Fields of the loaded events', kind: vscode.QuickPickItemKind.Separator });
    for (const path of fields) {
      const template = fieldTemplate(path, current).value;
      items.push({
        action: 'field',
        text: path,
        label: `$.${path}`,
        iconPath: new vscode.ThemeIcon('symbol-field'),
        description: current ? `narrow: ${oneLine(template, 80)}` : oneLine(template, 80),
      });
    }
  }
  return items;
}

/**
 * The input box: says at once, and as you type, where the pattern stops parsing and what was
 * expected there (Enter is refused until it parses); empty clears the pattern.
 */
function edit(template: Template): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = TITLE;
    box.prompt = 'A CloudWatch Logs JSON filter pattern, matched on the loaded events (empty: no pattern)';
    box.placeholder = '{ ($.eventSource = "s3.amazonaws.com") && ($.errorCode = "AccessDenied*") }';
    box.value = template.value;
    box.valueSelection = template.selection;
    box.ignoreFocusOut = true;
    const validate = (v: string) => (box.validationMessage = patternProblemText(v));
    validate(box.value);
    let done = false;
    const finish = (value: string | undefined) => {
      if (done) return;
      done = true;
      resolve(value);
      box.dispose();
    };
    box.onDidChangeValue(validate);
    box.onDidAccept(() => {
      if (!validate(box.value)) finish(box.value);
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}
