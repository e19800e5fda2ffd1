/**
 * The demo workspace's marker file (written by scripts/workbench/demoWorkspace.ts for `npm start`):
 * which log tells the story, its error line, the failed call's request ID and the field to follow
 * from that event to its cause. No `vscode` here, so the parser is unit-tested in plain Node.
 * The file is workspace content, so it is validated like any other input.
 */
import { classifyRequestId, normalizeRequestId } from '../../core/requestId';

export const DEMO_MARKER = '.trail-lens-demo.json';
/** The failed CreateBackupVault's field that holds the KMS key ID CreateKey returned. */
export const DEMO_FOLLOW_PATH = 'requestParameters.encryptionKeyArn';

export interface DemoMarker {
  /** Workspace-relative path of the log, e.g. `deploy.log`. */
  log: string;
  /** 0-based line of the log holding the request ID. */
  errorLine: number;
  requestId: string;
  /** Dotted JSON path in the failed event whose value leads to the cause. */
  followPath: string;
}

/** The marker in `text`, or undefined when it is not one (bad JSON, a path leaving the folder, no request ID). */
export function parseDemoMarker(text: string): DemoMarker | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  const { log, errorLine, requestId, followPath } = m;
  if (typeof log !== 'string' || !/^[\w.-]+(?:\/[\w.-]+)*$/.test(log) || log.split('/').some((p) => p === '..' || p === '.'))
    return undefined;
  if (typeof errorLine !== 'number' || !Number.isInteger(errorLine) || errorLine < 0) return undefined;
  if (typeof requestId !== 'string' || !classifyRequestId(requestId)) return undefined;
  if (typeof followPath !== 'string' || !/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*){0,15}$/.test(followPath)) return undefined;
  return { log, errorLine, requestId: normalizeRequestId(requestId), followPath };
}

/** The primitive at a dotted path of a record, as text; undefined when absent or not a string/number. */
export function valueAt(root: unknown, path: string): string | undefined {
  let node: unknown = root;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'string' || typeof node === 'number' ? String(node) : undefined;
}
