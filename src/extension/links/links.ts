/**
 * Request IDs as links that run the jump: a DocumentLinkProvider for log and plain-text documents
 * (Ctrl/Cmd+click) and a terminal link provider for the integrated terminal. Links are found with
 * requestIdSpans (no API call); the hint text a jump needs is read only when a link is followed.
 */
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { HOVER_SELECTOR } from '../hover';
import type { JumpRequest } from '../jump/requestSearch';
import { surroundingText } from '../requestTarget';
import { registerDecorations } from './decorations';
import { linesAround, MAX_LINES, requestIdSpans } from './requestIdSpans';

const TOOLTIP = 'Go to Event for Request ID';
/** Larger documents get links on the lines their editors show (and a margin), like the underlines. */
const MARGIN = 200;

/** The `command:` URI that runs the jump with `request` (what VS Code opens when a link is followed). */
export function jumpUri(request: JumpRequest): vscode.Uri {
  return vscode.Uri.from({ scheme: 'command', path: Commands.goToRequestId, query: JSON.stringify([request]) });
}

/** What resolveDocumentLink needs for each link it handed out (weak: VS Code drops old links). */
const linkTargets = new WeakMap<vscode.DocumentLink, { document: vscode.TextDocument; requestId: string }>();

/** The lines a document's links are computed for: all of a small one, else what its editors show. */
function linkLines(doc: vscode.TextDocument): number[] {
  if (doc.lineCount <= MAX_LINES) return Array.from({ length: doc.lineCount }, (_, i) => i);
  const shown = vscode.window.visibleTextEditors
    .filter((e) => e.document === doc)
    .flatMap((e) => e.visibleRanges.map((r) => ({ start: r.start.line, end: r.end.line })));
  return linesAround(shown.length ? shown : [{ start: 0, end: 0 }], MARGIN, doc.lineCount);
}

const documentLinks: vscode.DocumentLinkProvider = {
  provideDocumentLinks(doc) {
    const spans = requestIdSpans(linkLines(doc).map((line) => ({ line, text: doc.lineAt(line).text })));
    return spans.map((s) => {
      const link = new vscode.DocumentLink(new vscode.Range(s.line, s.start, s.line, s.end));
      link.tooltip = TOOLTIP;
      linkTargets.set(link, { document: doc, requestId: s.requestId });
      return link;
    });
  },
  resolveDocumentLink(link) {
    const known = linkTargets.get(link);
    if (!known) return link;
    const { start, end } = link.range;
    const around = surroundingText(known.document, start, end, start);
    link.target = jumpUri({ requestId: known.requestId, hintsText: around.text, around: around.around });
    return link;
  },
};

interface RequestIdTerminalLink extends vscode.TerminalLink {
  request: JumpRequest;
}

const terminalLinks: vscode.TerminalLinkProvider<RequestIdTerminalLink> = {
  provideTerminalLinks(context) {
    return requestIdSpans([{ line: 0, text: context.line }]).map((s) => ({
      startIndex: s.start,
      length: s.end - s.start,
      tooltip: TOOLTIP,
      request: { requestId: s.requestId, hintsText: context.line, around: s.start },
    }));
  },
  handleTerminalLink(link) {
    void vscode.commands.executeCommand(Commands.goToRequestId, link.request);
  },
};

/** Underlines, document links and terminal links for request IDs. */
export function registerLinks(): vscode.Disposable {
  return vscode.Disposable.from(
    registerDecorations(),
    vscode.languages.registerDocumentLinkProvider(HOVER_SELECTOR, documentLinks),
    vscode.window.registerTerminalLinkProvider(terminalLinks),
  );
}
