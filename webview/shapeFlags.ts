/**
 * The shape check in the panel: a failed call's parameter whose name promises an ARN but whose value
 * is not one (core/investigate/shape.ts) gets a note under its row — text, with a "Not an ARN" label
 * so it never relies on colour — and, once the host knows it, the ARN it should have been. Its
 * button asks the host where the value came from (the event that produced it).
 */
import type { CloudTrailRecord } from '../src/core/record.js';
import { pathText } from '../src/core/investigate/paths.js';
import { shapeProblems, type ShapeProblem } from '../src/core/investigate/shape.js';
import { KIND_TEXT } from '../src/core/investigate/valueKind.js';
import type { ShapeHint, WebviewToHost } from '../src/protocol/protocol.js';
import { h, replaceChildren } from './dom.js';

/** "encryptionKeyArn expects an ARN; this looks like a KMS key ID." — the example ARN shape only when no hint gives the real one. */
function shortMessage(p: ShapeProblem, hinted: boolean): string {
  const looks = p.valueKind && p.valueKind !== 'name' ? `; this looks like ${KIND_TEXT[p.valueKind]}` : '';
  const example = !hinted ? (/\(an ARN looks like [^)]*\)/.exec(p.message)?.[0] ?? '') : '';
  return `${p.name} expects an ARN${looks}${example ? ` ${example}` : ''}.`;
}

interface Flag {
  readonly problem: ShapeProblem;
  hint?: ShapeHint;
  el?: HTMLElement;
}

export class ShapeFlags {
  private readonly byPath = new Map<string, Flag>();

  constructor(
    record: CloudTrailRecord,
    private readonly post: (m: WebviewToHost) => void,
  ) {
    for (const problem of shapeProblems(record)) this.byPath.set(pathText(problem.path), { problem });
  }

  get paths(): string[] {
    return [...this.byPath.keys()];
  }

  has(path: string): boolean {
    return this.byPath.has(path);
  }

  /** A short text for the row's accessible name: "flagged: expects an ARN". */
  label(path: string): string | undefined {
    return this.byPath.has(path) ? 'flagged: expects an ARN' : undefined;
  }

  /** The note under a flagged row (built anew each time the row renders), or undefined. */
  element(path: string): HTMLElement | undefined {
    const flag = this.byPath.get(path);
    if (!flag) return undefined;
    flag.el = h('div', { class: 'shape-flag', attrs: { role: 'note', 'data-flag-path': path } });
    this.fill(flag);
    return flag.el;
  }

  /** The ARNs the host found for flagged parameters; redraws the notes already shown. */
  applyHints(hints: readonly ShapeHint[]): void {
    for (const hint of hints) {
      const flag = this.byPath.get(hint.path);
      if (!flag) continue;
      flag.hint = hint;
      this.fill(flag);
    }
  }

  trace(path: string): boolean {
    const flag = this.byPath.get(path);
    if (!flag) return false;
    this.post({ type: 'traceValue', value: flag.problem.value });
    return true;
  }

  private fill(flag: Flag): void {
    if (!flag.el) return;
    const value = flag.problem.value;
    // The panel has the value in the row above: the note says what it is and what was expected, briefly.
    const parts: (Node | false)[] = [
      h('span', { class: 'flag-label' }, h('span', { attrs: { 'aria-hidden': 'true' } }, '⚠ '), 'Not an ARN:'),
      h('span', { class: 'flag-message' }, shortMessage(flag.problem, flag.hint !== undefined)),
    ];
    if (flag.hint) {
      parts.push(
        h(
          'span',
          { class: 'flag-hint' },
          'It should have been ',
          h('code', { class: 'flag-arn' }, flag.hint.arn),
          ` (${flag.hint.source}).`,
        ),
      );
    }
    parts.push(
      document.createTextNode(' '),
      h(
        'span',
        { class: 'flag-actions' },
        h(
          'button',
          {
            class: 'act flag-trace',
            attrs: { type: 'button', title: 'Open the event that produced this value (w)' },
            on: {
              click: (e) => {
                e.stopPropagation();
                this.post({ type: 'traceValue', value });
              },
            },
          },
          'Where did this value come from?',
        ),
      ),
    );
    replaceChildren(flag.el, ...parts.filter((p): p is Node => p !== false));
  }
}
