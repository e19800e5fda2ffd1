/**
 * A dotted underline under each request ID in log and plain-text editors, so a person sees what
 * the jump (Ctrl+click, Ctrl+Alt+R, the context menu) will take. No API call; only the visible
 * lines (and a margin) are read, debounced, so scrolling a huge log stays cheap.
 */
import * as vscode from 'vscode';
import { HOVER_SELECTOR } from '../hover';
import { linesAround, requestIdSpans } from './requestIdSpans';

const DEBOUNCE_MS = 150;
/** Lines read above and below the visible ones, so a short scroll shows underlines at once. */
const MARGIN = 30;

/** The underlined ranges for what `editor` shows now (exported for the extension-host test). */
export function requestIdRanges(editor: vscode.TextEditor): vscode.Range[] {
  const doc = editor.document;
  const lines = linesAround(
    editor.visibleRanges.map((r) => ({ start: r.start.line, end: r.end.line })),
    MARGIN,
    doc.lineCount,
  );
  const spans = requestIdSpans(lines.map((line) => ({ line, text: doc.lineAt(line).text })));
  return spans.map((s) => new vscode.Range(s.line, s.start, s.line, s.end));
}

export function registerDecorations(): vscode.Disposable {
  const type = vscode.window.createTextEditorDecorationType({
    textDecoration: 'underline dotted',
    cursor: 'pointer',
  });
  const timers = new Map<vscode.TextEditor, ReturnType<typeof setTimeout>>();
  const applies = (editor: vscode.TextEditor): boolean => vscode.languages.match(HOVER_SELECTOR, editor.document) > 0;

  const schedule = (editor: vscode.TextEditor): void => {
    clearTimeout(timers.get(editor));
    timers.set(
      editor,
      setTimeout(() => {
        timers.delete(editor);
        // Language changed to something else, or the editor closed: clear (a no-op on a closed editor).
        editor.setDecorations(type, applies(editor) ? requestIdRanges(editor) : []);
      }, DEBOUNCE_MS),
    );
  };
  const scheduleFor = (doc: vscode.TextDocument): void => {
    for (const e of vscode.window.visibleTextEditors) if (e.document === doc) schedule(e);
  };
  const scheduleAll = (): void => vscode.window.visibleTextEditors.forEach(schedule);

  scheduleAll();
  return vscode.Disposable.from(
    type,
    vscode.window.onDidChangeVisibleTextEditors(scheduleAll),
    vscode.window.onDidChangeTextEditorVisibleRanges((e) => schedule(e.textEditor)),
    vscode.workspace.onDidChangeTextDocument((e) => scheduleFor(e.document)),
    // A language change reopens the document under its new language.
    vscode.workspace.onDidOpenTextDocument(scheduleFor),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
}
