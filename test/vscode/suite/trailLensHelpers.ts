/**
 * Helpers for the extension-host suites: reach the extension's read-only API, change settings the
 * way a person would, and poll the Events tree until it shows what a test expects.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TrailLensApi } from '../../../src/extension/extension';
import type { TreeSnapshot, TreeSnapshotNode } from '../../../src/extension/views/eventsTree';

export const EXTENSION_ID = 'trail-lens.trail-lens';

export async function trailLens(): Promise<TrailLensApi> {
  const ext = vscode.extensions.getExtension<TrailLensApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  return ext.isActive ? ext.exports : ext.activate();
}

export function testEndpoint(): string {
  const url = process.env.TRAIL_LENS_TEST_ENDPOINT;
  assert.ok(url, 'TRAIL_LENS_TEST_ENDPOINT is not set (the harness starts the fake endpoint)');
  return url;
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('trailLens').update(key, value, vscode.ConfigurationTarget.Global);
}

/** The state every test starts from: the test endpoint, the default profile, no filter, 90 days. */
export async function resetView(): Promise<void> {
  await setSetting('endpointUrl', testEndpoint());
  for (const key of ['pageSize', 'groupBy', 'noise.hideReadOnly', 'noise.hideServiceLinkedRoles', 'timeRange', 'profile', 'region']) {
    await setSetting(key, undefined);
  }
  await vscode.commands.executeCommand('trailLens.selectProfile', 'default');
  await vscode.commands.executeCommand('trailLens.clearFilter');
  await vscode.commands.executeCommand('trailLens.setTimeRange', '90d');
  await vscode.commands.executeCommand('workbench.view.extension.trailLens');
}

export function events(s: TreeSnapshot): TreeSnapshotNode[] {
  return s.nodes.filter((n) => n.contextValue === 'trailLens.group').flatMap((g) => g.children ?? []);
}

export function node(s: TreeSnapshot, id: string): TreeSnapshotNode | undefined {
  const walk = (nodes: TreeSnapshotNode[]): TreeSnapshotNode | undefined => {
    for (const n of nodes) {
      if (n.id === id) return n;
      const inner = walk(n.children ?? []);
      if (inner) return inner;
    }
    return undefined;
  };
  return walk(s.nodes);
}

/** Polls the tree until `check` passes (it throws assertion errors until then). */
export async function until(check: (s: TreeSnapshot) => void, timeoutMs = 15_000): Promise<TreeSnapshot> {
  const api = await trailLens();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await api.getTreeSnapshot();
    try {
      check(s);
      return s;
    } catch (err) {
      if (Date.now() > deadline) {
        throw new Error(`${(err as Error).message}\nTree was: ${JSON.stringify(summary(s), null, 1)}`);
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function summary(s: TreeSnapshot) {
  return { phase: s.phase, message: s.message, nodes: s.nodes.map((n) => `${n.id}: ${n.label} (${n.children?.length ?? 0})`) };
}

/** A port nothing listens on (for Network errors). */
export async function closedPort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
