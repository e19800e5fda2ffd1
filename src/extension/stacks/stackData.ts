/**
 * The stacks of the connection, their operations and their failed resources (each with its
 * CloudTrail event), read through the engine and remembered until the connection changes or the
 * user refreshes. The Stacks view and the template CodeLens share it, so a template opened after
 * the stack was expanded costs no call, and "Look again" forgets just one operation.
 */
import * as vscode from 'vscode';
import { compareStacks } from '../../core/cloudformation/reason';
import type { StackFailure, StackFailuresProgress, StackInfo, StackOperationInfo } from '../../core/cloudformation/types';
import type { ConnectionManager } from '../connection';
import { loadEngine } from '../loadEngine';
import type { Session } from '../session';

export interface FailuresRun {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: StackFailuresProgress) => void;
}

/** The key of one operation's failures: the stack, and the operation (undefined: the stack's last). */
function failuresKey(stack: string, operationId: string | undefined): string {
  return `${stack}\u0000${operationId ?? ''}`;
}

export class StackData implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when remembered answers were dropped (refresh, new connection, look again). */
  readonly onDidChange = this.changed.event;
  private stacksPromise: Promise<StackInfo[]> | undefined;
  private readonly operationsByStack = new Map<string, Promise<StackOperationInfo[]>>();
  private readonly failuresByOperation = new Map<string, Promise<StackFailure[]>>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly connection: ConnectionManager) {
    this.subscription = connection.onDidChange(() => this.forget());
  }

  session(): Promise<Session> {
    return this.connection.session();
  }

  /** The label of the connection the answers come from ("Sample account @ ap-northeast-1"). */
  label(): string {
    return this.connection.describe().label;
  }

  /** Failed and rolled-back stacks first, then the others, each group most recently updated first. */
  stacks(signal?: AbortSignal): Promise<StackInfo[]> {
    this.stacksPromise ??= this.remember(
      (async () => {
        const [engine, session] = await Promise.all([loadEngine(), this.session()]);
        const stacks = await engine.listStacks(session.connection, { signal });
        return [...stacks].sort(compareStacks);
      })(),
      () => (this.stacksPromise = undefined),
    );
    return this.stacksPromise;
  }

  operations(stack: string): Promise<StackOperationInfo[]> {
    let p = this.operationsByStack.get(stack);
    if (!p) {
      p = this.remember(
        (async () => {
          const [engine, session] = await Promise.all([loadEngine(), this.session()]);
          return engine.stackOperations(session.connection, stack);
        })(),
        () => this.operationsByStack.delete(stack),
      );
      this.operationsByStack.set(stack, p);
    }
    return p;
  }

  /** The operation's failed resources with their CloudTrail events; one search per operation until forgotten. */
  failures(stack: string, operationId: string | undefined, run: FailuresRun = {}): Promise<StackFailure[]> {
    const key = failuresKey(stack, operationId);
    let p = this.failuresByOperation.get(key);
    if (!p) {
      p = this.remember(
        (async () => {
          const [engine, session] = await Promise.all([loadEngine(), this.session()]);
          return engine.stackFailures(session.connection, stack, {
            operationId,
            signal: run.signal,
            onProgress: run.onProgress,
            cache: session.cache,
            limiter: session.limiter,
          });
        })(),
        () => this.failuresByOperation.delete(key),
      );
      this.failuresByOperation.set(key, p);
    }
    return p;
  }

  /** The answer already read for the operation, without reading it. */
  knownFailures(stack: string, operationId: string | undefined): Promise<StackFailure[]> | undefined {
    return this.failuresByOperation.get(failuresKey(stack, operationId));
  }

  /** Forgets one operation's failures (Look again), or everything. */
  forget(stack?: string, operationId?: string): void {
    if (stack === undefined) {
      this.stacksPromise = undefined;
      this.operationsByStack.clear();
      this.failuresByOperation.clear();
    } else {
      for (const key of [...this.failuresByOperation.keys()]) {
        if (key.startsWith(`${stack}\u0000`) && (operationId === undefined || key === failuresKey(stack, operationId))) {
          this.failuresByOperation.delete(key);
        }
      }
    }
    this.changed.fire();
  }

  /** A failed or cancelled read is not remembered: the next look tries again. */
  private remember<T>(p: Promise<T>, drop: () => void): Promise<T> {
    p.catch(() => drop());
    return p;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
