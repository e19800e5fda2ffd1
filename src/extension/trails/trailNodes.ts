/**
 * The Trails view's rows: a trail (its health in the description), its facts and its problems as
 * children, and status rows (loading, errors with Retry, the event-history note). Trail names,
 * buckets and ARNs come from AWS: tooltips add them as text only (appendText / code blocks).
 */
import * as vscode from 'vscode';
import type { TrailLensError } from '../../core/errors';
import { DELIVERY_LABELS, ERROR_FIELDS, type Explanation } from '../../core/trails/explain';
import { describeHealth, deliveryWarning, isFailing, shortTime, type TrailHealth, type TrailProblem } from '../../core/trails/health';
import { formatUtc } from '../../core/time';
import { Commands } from '../commandIds';
import { relativeTime } from '../views/eventFormat';

export type TrailNode =
  | { kind: 'trail'; health: TrailHealth }
  | { kind: 'fact'; id: string; label: string; description?: string }
  | { kind: 'problem'; health: TrailHealth; problem: TrailProblem }
  | {
      kind: 'status';
      id: string;
      label: string;
      description?: string;
      tooltip?: string;
      icon: string;
      color?: string;
      command?: vscode.Command;
      children?: TrailNode[];
    };

function themeIcon(id: string, color?: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

/**
 * Text from AWS as markdown that renders as the same text: every markdown character escaped.
 * (appendText would also turn spaces into no-break spaces, and long explanations would not wrap.)
 */
function text(value: string): string {
  return value.replace(/[\\`*_{}[\]()#+\-.!|<>~&$]/g, '\\$&').replace(/\r?\n/g, ' ');
}

function plainMarkdown(): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

/** The explanation as markdown: AWS-supplied text as text, commands in code blocks. */
export function appendExplanation(md: vscode.MarkdownString, e: Explanation): void {
  md.appendMarkdown(`\n**${DELIVERY_LABELS[e.kind]}: `);
  md.appendMarkdown(text(e.code));
  md.appendMarkdown(`** (\`${ERROR_FIELDS[e.kind]}\`)\n\n`);
  md.appendMarkdown(text(e.summary));
  md.appendMarkdown('\n\n*Why:* ');
  md.appendMarkdown(text(e.cause));
  md.appendMarkdown('\n\n*Check:*\n\n');
  for (const c of e.checks) {
    md.appendMarkdown('- ');
    md.appendMarkdown(text(c));
    md.appendMarkdown('\n');
  }
  md.appendMarkdown('\n');
  md.appendCodeblock(e.commands.join('\n'), 'sh');
}

export function trailTooltip(h: TrailHealth, note: string, now: Date): vscode.MarkdownString {
  const md = plainMarkdown();
  md.appendMarkdown('**');
  md.appendMarkdown(text(h.name));
  md.appendMarkdown('** — ');
  md.appendMarkdown(text(describeHealth(h, now)));
  md.appendMarkdown('\n\n');
  const warning = deliveryWarning(h, now);
  if (warning) {
    md.appendMarkdown('$(warning) ');
    md.appendMarkdown(text(warning.charAt(0).toUpperCase() + warning.slice(1) + '.'));
    md.appendMarkdown('\n\n');
  }
  for (const p of h.problems) appendExplanation(md, p.explanation);
  if (isFailing(h)) {
    md.appendMarkdown('\n');
    md.appendMarkdown(text(note));
  }
  md.supportThemeIcons = true;
  return md;
}

function bucketText(h: TrailHealth): string | undefined {
  const { bucket, prefix } = h.target;
  return bucket ? `s3://${bucket}/${prefix ? `${prefix.replace(/\/+$/, '')}/` : ''}` : undefined;
}

/** The facts under a trail: where it lives and delivers, and when it last did. */
export function factNodes(h: TrailHealth, connectionRegion: string, now: Date): TrailNode[] {
  const id = (k: string) => `fact:${h.arn ?? h.name}:${k}`;
  const rows: TrailNode[] = [];
  const kinds = [h.organization ? 'organization trail' : '', h.multiRegion ? 'multi-Region' : 'single-Region'].filter(Boolean).join(', ');
  rows.push({
    kind: 'fact',
    id: id('home'),
    label: `Home Region: ${h.homeRegion ?? '(unknown)'}`,
    description: h.shadow ? `shadow trail in ${connectionRegion}: managed from ${h.homeRegion}` : kinds,
  });
  if (h.shadow) rows.push({ kind: 'fact', id: id('kind'), label: kinds });
  const bucket = bucketText(h);
  if (bucket) rows.push({ kind: 'fact', id: id('bucket'), label: `Bucket: ${bucket}` });
  if (h.target.kmsKeyId) rows.push({ kind: 'fact', id: id('kms'), label: `KMS key: ${h.target.kmsKeyId}` });
  if (h.target.logGroupArn) rows.push({ kind: 'fact', id: id('logs'), label: `Log group: ${h.target.logGroupArn}` });
  if (h.target.snsTopicArn) rows.push({ kind: 'fact', id: id('sns'), label: `SNS topic: ${h.target.snsTopicArn}` });
  if (h.statusError) return rows;
  rows.push({
    kind: 'fact',
    id: id('logging'),
    label: h.logging ? 'Logging: on' : `Logging: off${h.stoppedLogging ? ` since ${formatUtc(h.stoppedLogging)}` : ''}`,
  });
  const at = (d: Date | undefined) => (d ? `${shortTime(d, now)} (${relativeTime(d.toISOString(), now.getTime())})` : 'never');
  rows.push({ kind: 'fact', id: id('delivery'), label: `Last log delivery: ${at(h.latestDelivery)}` });
  if (h.latestDigestDelivery) rows.push({ kind: 'fact', id: id('digest'), label: `Last digest delivery: ${at(h.latestDigestDelivery)}` });
  if (h.latestCloudWatchLogsDelivery)
    rows.push({ kind: 'fact', id: id('cwl'), label: `Last CloudWatch Logs delivery: ${at(h.latestCloudWatchLogsDelivery)}` });
  return rows;
}

export function errorRows(err: TrailLensError, operation: string): TrailNode {
  const titles: Partial<Record<TrailLensError['code'], string>> = {
    AccessDenied: `Access denied: not allowed to call cloudtrail:${operation}`,
    Throttled: 'CloudTrail kept throttling the trail requests',
    Network: 'Cannot reach CloudTrail',
    NoCredentials: 'No AWS credentials',
    SsoExpired: 'AWS SSO session expired: sign in again',
  };
  const children: TrailNode[] = [{ kind: 'status', id: 'trailsError:message', label: err.message, tooltip: err.message, icon: 'info' }];
  if (err.hint) children.push({ kind: 'status', id: 'trailsError:hint', label: err.hint, tooltip: err.hint, icon: 'lightbulb' });
  children.push({
    kind: 'status',
    id: 'trailsError:retry',
    label: 'Retry',
    icon: 'refresh',
    command: { command: Commands.refreshTrails, title: 'Retry' },
  });
  return {
    kind: 'status',
    id: 'trailsError',
    label: titles[err.code] ?? 'Could not read the trails',
    tooltip: `${err.message}${err.hint ? `\n${err.hint}` : ''}\nNothing else is affected: the Events view reads event history, which does not depend on trails.`,
    icon: 'error',
    color: 'errorForeground',
    children,
  };
}

export function trailsTreeItem(node: TrailNode, ctx: { region: string; note: string; now: Date }): vscode.TreeItem {
  const { None, Collapsed, Expanded } = vscode.TreeItemCollapsibleState;
  switch (node.kind) {
    case 'trail': {
      const h = node.health;
      const failing = isFailing(h);
      const item = new vscode.TreeItem(h.name, failing ? Expanded : Collapsed);
      item.id = `trail:${h.arn ?? h.name}`;
      const marks = [h.organization ? 'organization' : '', h.shadow ? 'shadow' : ''].filter(Boolean);
      item.description = `${marks.length ? `${marks.join(', ')} · ` : ''}${describeHealth(h, ctx.now)}`;
      item.iconPath = h.statusError
        ? themeIcon('question', 'problemsWarningIcon.foreground')
        : failing
          ? themeIcon('warning', 'problemsWarningIcon.foreground')
          : themeIcon('pass', 'testing.iconPassed');
      item.tooltip = trailTooltip(h, ctx.note, ctx.now);
      item.contextValue = failing ? 'trailLens.trail.failing' : 'trailLens.trail';
      item.accessibilityInformation = { label: `Trail ${h.name}, ${item.description}` };
      return item;
    }
    case 'fact': {
      const item = new vscode.TreeItem(node.label, None);
      item.id = node.id;
      item.description = node.description;
      item.tooltip = [node.label, node.description].filter(Boolean).join('\n');
      item.contextValue = 'trailLens.trailFact';
      return item;
    }
    case 'problem': {
      const { problem, health } = node;
      const item = new vscode.TreeItem(`${DELIVERY_LABELS[problem.kind]}: ${problem.code}`, None);
      item.id = `problem:${health.arn ?? health.name}:${problem.kind}`;
      item.description = problem.explanation.summary;
      item.iconPath = themeIcon('error', 'errorForeground');
      const md = plainMarkdown();
      appendExplanation(md, problem.explanation);
      md.appendMarkdown('\n');
      md.appendMarkdown(text(ctx.note));
      item.tooltip = md;
      item.command = { command: Commands.explainTrail, title: 'Explain', arguments: [health.name] };
      item.contextValue = 'trailLens.trailProblem';
      item.accessibilityInformation = { label: `${item.label}, ${problem.explanation.summary}` };
      return item;
    }
    case 'status': {
      const item = new vscode.TreeItem(node.label, node.children?.length ? Expanded : None);
      item.id = node.id;
      item.description = node.description;
      item.tooltip = node.tooltip;
      item.iconPath = themeIcon(node.icon, node.color);
      item.command = node.command;
      item.contextValue = `trailLens.${node.id.split(':')[0]}`;
      return item;
    }
  }
}
