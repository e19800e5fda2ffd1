/**
 * The Events tree's node model and how each node becomes a TreeItem. Models stay plain; TreeItems
 * are built in getTreeItem. Event text is attacker-controlled: tooltips escape it (appendText) and
 * are never trusted.
 */
import * as vscode from 'vscode';
import type { CloudTrailRecord } from '../../core/record';
import type { EventContext } from '../../protocol/protocol';
import { Commands } from '../commandIds';
import { callKind, callerName, serviceLabel } from '../../core/summary';
import { formatUtc } from '../../core/time';
import { relativeTime } from './eventFormat';
import { oneLine } from '../../core/text';

export interface ConnectionNode {
  kind: 'connection';
  label: string;
  sample: boolean;
  problem: boolean;
}

export interface GroupNode {
  kind: 'group';
  /** Unique among rows: the key, with "#2" when a gap splits the day or hour. */
  id: string;
  key: string;
  /** The loaded part when the day or hour is not all loaded ("19:01–19:31 UTC"). */
  loaded?: string;
  label: string;
  events: EventNode[];
}

/** Context-menu commands receive this node: `record` is the contract with the part-2 commands. */
export interface EventNode {
  kind: 'event';
  record: CloudTrailRecord;
  parent: GroupNode;
  /** Where the record came from when not the connection's event history (the panel's header says it). */
  context?: EventContext;
}

/** Status, error, hint, placeholder, retry and "Load older" rows. */
export interface MessageNode {
  kind: 'message';
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon?: vscode.ThemeIcon;
  command?: vscode.Command;
  children?: MessageNode[];
  parent?: MessageNode;
}

export type Node = ConnectionNode | GroupNode | EventNode | MessageNode;

export const CONNECTION_NODE_ID = 'trailLens.connection';
const MAX_LABEL = 200;

export function messageNode(init: Omit<MessageNode, 'kind'>): MessageNode {
  const node: MessageNode = { kind: 'message', ...init };
  for (const child of node.children ?? []) child.parent = node;
  return node;
}

export function icon(id: string, color?: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

export function treeItem(node: Node, now: number): vscode.TreeItem {
  switch (node.kind) {
    case 'connection': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.id = CONNECTION_NODE_ID;
      item.iconPath = node.sample ? icon('beaker') : node.problem ? icon('warning', 'problemsWarningIcon.foreground') : icon('account');
      item.tooltip = node.sample
        ? 'The built-in sample account: a local CloudTrail endpoint, no AWS needed. Click to choose an AWS profile.'
        : 'Click to choose a different AWS profile or Region';
      item.command = { command: Commands.selectConnection, title: 'Change Connection' };
      item.contextValue = 'trailLens.connection';
      // Without this the tooltip becomes the accessible name and the connection itself is never read out.
      item.accessibilityInformation = { label: `${node.label}, AWS connection; activate to change profile or Region` };
      return item;
    }
    case 'group': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      const count = `${node.events.length} event${node.events.length === 1 ? '' : 's'}`;
      // Counts describe only what is loaded: a header with unloaded time says which part it holds.
      item.description = node.loaded ? `${count} · loaded ${node.loaded} only` : count;
      item.tooltip = node.loaded
        ? `Only ${node.loaded} of this ${node.key.length > 10 ? 'hour' : 'day'} is loaded: the "Not loaded" rows load the rest.`
        : undefined;
      // Without this the tooltip would become the accessible name and the header itself would not be read.
      item.accessibilityInformation = { label: `${node.label}, ${item.description}` };
      item.contextValue = 'trailLens.group';
      return item;
    }
    case 'event':
      return eventItem(node, now);
    case 'message': {
      const state = node.children?.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None;
      const item = new vscode.TreeItem(truncate(node.label), state);
      item.id = node.id;
      item.description = node.description;
      item.tooltip = node.tooltip;
      item.iconPath = node.icon;
      item.command = node.command;
      item.contextValue = `trailLens.${node.id.split(':')[0]}`;
      item.accessibilityInformation = { label: truncate([node.label, node.description].filter(Boolean).join(', '), 300) };
      return item;
    }
  }
}

function eventItem(node: EventNode, now: number): vscode.TreeItem {
  const r = node.record;
  const item = new vscode.TreeItem(truncate(String(r.eventName ?? '(no eventName)')), vscode.TreeItemCollapsibleState.None);
  item.id = r.eventID;
  const when = relativeTime(r.eventTime, now);
  const user = callerName(r);
  const service = serviceLabel(r);
  const kind = callKind(r);
  // A failed call leads with its error code, so the row says what went wrong without a hover.
  const error = kind === 'failed' && r.errorCode ? String(r.errorCode) : undefined;
  item.description = [error, when, user, service]
    .filter(Boolean)
    .map((s) => truncate(String(s), 80))
    .join(' · ');
  item.iconPath = kind === 'failed' ? icon('error', 'errorForeground') : kind === 'write' ? icon('edit', 'charts.blue') : icon('eye');
  item.command = { command: Commands.openEvent, title: 'Open Event', arguments: [node.context ? node : r] };
  item.contextValue = 'trailLens.event';
  const failed = kind === 'failed' ? `, failed with ${r.errorCode}` : kind === 'read' ? ', read-only' : '';
  item.accessibilityInformation = { label: truncate(`${r.eventName}, ${when}, ${user ?? 'unknown caller'}, ${service}${failed}`, 300) };
  return item;
}

/** Built lazily in resolveTreeItem: only for rows the user hovers. */
export function eventTooltip(r: CloudTrailRecord): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', false);
  md.isTrusted = false;
  md.supportHtml = false;
  md.supportThemeIcons = false;
  const line = (label: string, value: unknown) => {
    if (value === undefined || value === null || value === '') return;
    md.appendMarkdown(`**${label}:** `);
    md.appendText(truncate(String(value), 500));
    md.appendMarkdown('  \n');
  };
  md.appendMarkdown('**');
  md.appendText(truncate(`${r.eventName} · ${r.eventSource}`));
  md.appendMarkdown('**\n\n');
  line('Time', utc(r.eventTime));
  line('User', callerName(r));
  line('Request ID', r.requestID);
  line('Source IP', r.sourceIPAddress);
  line('User agent', r.userAgent);
  line('Error code', r.errorCode);
  line('Error message', r.errorMessage);
  line('Region', r.awsRegion);
  line('Event ID', r.eventID);
  return md;
}

function utc(eventTime: string): string {
  const t = Date.parse(eventTime);
  return Number.isNaN(t) ? eventTime : formatUtc(new Date(t));
}

const truncate = (text: string, max = MAX_LABEL): string => oneLine(text, max);
