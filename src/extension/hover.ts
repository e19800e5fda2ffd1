/**
 * Hovers on request IDs in plain-text and log documents: the event's summary when it is already
 * known (the cache of a session that exists, or the Events tree), and a link that runs the jump.
 * A hover never calls the network and never creates a session.
 */
import * as vscode from 'vscode';
import { extractRequestId, sameRequestId } from '../core/requestId';
import { isEventId } from '../core/requestChoice';
import type { CloudTrailRecord } from '../core/record';
import { actorLabel } from '../core/summary';
import { Commands } from './commandIds';
import { dateTime, oneLine } from './eventLabels';
import { surroundingText } from './requestTarget';
import type { JumpRequest } from './jump/requestSearch';
import type { TrailLensContext } from './context';

/** Local files and unsaved buffers only: not output channels, git views or other virtual documents. */
export const HOVER_SELECTOR: vscode.DocumentSelector = ['plaintext', 'log'].flatMap((language) =>
  ['file', 'untitled'].map((scheme) => ({ language, scheme })),
);

/** Lines longer than this (minified JSON, binary) are not scanned on hover. */
const MAX_LINE = 20_000;
/** Command links carry the hint text; keep them short. */
const MAX_LINK_HINTS = 4_000;

/** `command:` link; encodeURIComponent leaves ( ) ' ! * alone, and a ")" would end the markdown link. */
export function commandLink(command: string, args: unknown): string {
  const encoded = encodeURIComponent(JSON.stringify([args])).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `command:${command}?${encoded}`;
}

function knownRecord(ctx: TrailLensContext, requestId: string): CloudTrailRecord | undefined {
  const cached = ctx.connection.current()?.cache?.byRequestId(requestId);
  if (cached) return cached;
  return ctx.events.records().find((r) => typeof r.requestID === 'string' && sameRequestId(r.requestID, requestId));
}

/**
 * Markdown of our own (`before`), then text. Event text is attacker-controlled: it goes in through
 * appendText only, which escapes markdown (brackets too, so it cannot end a link text early) and
 * theme icons.
 */
function field(md: vscode.MarkdownString, before: string, value: unknown, max: number): void {
  md.appendMarkdown(before);
  md.appendText(oneLine(value, max));
}

function summary(md: vscode.MarkdownString, record: CloudTrailRecord): void {
  field(md, '**', record.eventName, 80);
  field(md, '** · ', record.eventSource, 80);
  field(md, ' · ', dateTime(record), 200);
  md.appendMarkdown('\n\n');
  if (record.errorCode) {
    field(md, '$(error) ', record.errorCode, 100);
    if (record.errorMessage) field(md, ': ', record.errorMessage, 300);
    md.appendMarkdown('\n\n');
  }
  const who = actorLabel(record);
  field(md, 'by ', who || 'unknown caller', 120);
  if (record.sourceIPAddress && record.sourceIPAddress !== who) field(md, ' from ', record.sourceIPAddress, 80);
  if (record.awsRegion) field(md, ' · ', record.awsRegion, 40);
  md.appendMarkdown('\n\n');
}

export function registerHover(ctx: TrailLensContext): vscode.Disposable {
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

      if (rejected && isEventId(rejected)) {
        // LookupEvents finds an event by its event ID: offer that instead of a refusal.
        const known =
          ctx.connection.current()?.cache?.byEventId(rejected.id) ?? ctx.events.records().find((r) => r.eventID === rejected.id);
        if (known) summary(md, known);
        else {
          field(md, 'CloudTrail event ID ', rejected.id, 100);
          md.appendMarkdown('\n\n');
        }
        md.appendMarkdown(`[$(preview) Open Event by Event ID](${commandLink(Commands.goToRequestId, { eventId: rejected.id })})`);
        return new vscode.Hover(md, new vscode.Range(position.line, rejected.start, position.line, rejected.end));
      }
      if (rejected) {
        field(md, '$(warning) Not a CloudTrail request ID: ', rejected.reason, 300);
        md.appendMarkdown('\n\n');
        const real = ext.candidates[0]?.id;
        if (real) {
          const args: JumpRequest = { requestId: real, hintsText, around: at };
          field(md, '[', `Go to the event for request ${real}`, 200);
          md.appendMarkdown(`](${commandLink(Commands.goToRequestId, args)})`);
        }
        const r = rejected;
        return new vscode.Hover(md, new vscode.Range(position.line, r.start, position.line, r.end));
      }

      const m = match!;
      const record = knownRecord(ctx, m.id);
      const args: JumpRequest = { requestId: m.id, hintsText, around: at };
      if (record) {
        summary(md, record);
        md.appendMarkdown(`[$(preview) Open Event](${commandLink(Commands.goToRequestId, args)})`);
      } else {
        field(md, 'Request ID ', m.id, 100);
        md.appendMarkdown('\n\n');
        md.appendMarkdown(`[$(search) Go to Event in CloudTrail](${commandLink(Commands.goToRequestId, args)})`);
      }
      return new vscode.Hover(md, new vscode.Range(position.line, m.start, position.line, m.end));
    },
  });
}
