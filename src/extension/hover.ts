/**
 * Hovers on request IDs in plain-text and log documents: the event's summary when it is already
 * known (the cache of a session that exists, or the Events tree), and a link that runs the jump.
 * A hover never calls the network and never creates a session.
 */
import * as vscode from 'vscode';
import { extractRequestId, sameRequestId } from '../core/requestId';
import type { CloudTrailRecord } from '../core/record';
import { actorLabel } from '../core/summary';
import { Commands } from './commandIds';
import { dateTime, oneLine } from './eventLabels';
import { surroundingText } from './requestTarget';
import type { JumpRequest } from './requestSearch';
import type { Services } from './services';

/** Local files and unsaved buffers only: not output channels, git views or other virtual documents. */
export const HOVER_SELECTOR: vscode.DocumentSelector = ['plaintext', 'log'].flatMap((language) =>
  ['file', 'untitled'].map((scheme) => ({ language, scheme })),
);

/** Lines longer than this (minified JSON, binary) are not scanned on hover. */
const MAX_LINE = 20_000;
/** Command links carry the hint text; keep them short. */
const MAX_LINK_HINTS = 4_000;

/** Backslash-escapes every ASCII punctuation character: event text renders literally, never as markup or HTML. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

function text(value: unknown, max = 200): string {
  return escapeMarkdown(oneLine(value, max));
}

/** `command:` link; encodeURIComponent leaves ( ) ' ! * alone, and a ")" would end the markdown link. */
export function commandLink(command: string, args: unknown): string {
  const encoded = encodeURIComponent(JSON.stringify([args])).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `command:${command}?${encoded}`;
}

function knownRecord(services: Services, requestId: string): CloudTrailRecord | undefined {
  const cached = services.connection.current()?.cache?.byRequestId(requestId);
  if (cached) return cached;
  return services.events.records().find((r) => typeof r.requestID === 'string' && sameRequestId(r.requestID, requestId));
}

function summary(md: vscode.MarkdownString, record: CloudTrailRecord): void {
  md.appendMarkdown(`**${text(record.eventName, 80)}** · ${text(record.eventSource, 80)} · ${text(dateTime(record))}\n\n`);
  if (record.errorCode) {
    md.appendMarkdown(`$(error) ${text(record.errorCode, 100)}${record.errorMessage ? `: ${text(record.errorMessage, 300)}` : ''}\n\n`);
  }
  const who = actorLabel(record);
  const from = record.sourceIPAddress && record.sourceIPAddress !== who ? ` from ${text(record.sourceIPAddress, 80)}` : '';
  md.appendMarkdown(`by ${text(who || 'unknown caller', 120)}${from}${record.awsRegion ? ` · ${text(record.awsRegion, 40)}` : ''}\n\n`);
}

export function registerHover(services: Services): vscode.Disposable {
  return vscode.languages.registerHoverProvider(HOVER_SELECTOR, {
    provideHover(doc, position) {
      const line = doc.lineAt(position.line).text;
      if (line.length > MAX_LINE) return undefined;
      const ext = extractRequestId(line, position.character);
      const onId = (start: number, end: number) => position.character >= start && position.character <= end;
      const match = ext.match && onId(ext.match.start, ext.match.end) ? ext.match : undefined;
      const rejected = !match ? ext.rejected.find((r) => onId(r.start, r.end)) : undefined;
      if (!match && !rejected) return undefined;

      const around = surroundingText(doc, position, position, position);
      const short = around.text.length > MAX_LINK_HINTS;
      const hintsText = short ? line.slice(0, MAX_LINK_HINTS) : around.text;
      const at = short ? position.character : around.around;
      const md = new vscode.MarkdownString('', true);
      md.isTrusted = { enabledCommands: [Commands.goToRequestId] };

      if (rejected) {
        md.appendMarkdown(`$(warning) Not a CloudTrail request ID: ${text(rejected.reason, 300)}\n\n`);
        const real = ext.candidates[0]?.id;
        if (real) {
          const args: JumpRequest = { requestId: real, hintsText, around: at };
          md.appendMarkdown(`[Go to the event for request ${text(real, 100)}](${commandLink(Commands.goToRequestId, args)})`);
        }
        const r = rejected;
        return new vscode.Hover(md, new vscode.Range(position.line, r.start, position.line, r.end));
      }

      const m = match!;
      const record = knownRecord(services, m.id);
      const args: JumpRequest = { requestId: m.id, hintsText, around: at };
      if (record) {
        summary(md, record);
        md.appendMarkdown(`[$(preview) Open Event](${commandLink(Commands.goToRequestId, args)})`);
      } else {
        md.appendMarkdown(`Request ID ${text(m.id, 100)}\n\n`);
        md.appendMarkdown(`[$(search) Go to Event in CloudTrail](${commandLink(Commands.goToRequestId, args)})`);
      }
      return new vscode.Hover(md, new vscode.Range(position.line, m.start, position.line, m.end));
    },
  });
}
