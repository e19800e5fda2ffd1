/**
 * Reading an operation's failures searches CloudTrail for each one: a cancellable notification
 * says which failure is being searched, what is being read and how many LookupEvents calls so far.
 */
import * as vscode from 'vscode';
import type { StackFailuresProgress } from '../../core/cloudformation/types';
import { oneLine } from '../../core/text';
import type { FailuresRun } from './stackData';

export function progressText(p: StackFailuresProgress): string {
  const calls = `${p.calls} LookupEvents call${p.calls === 1 ? '' : 's'}`;
  return oneLine(`${p.logicalResourceId} (${p.index} of ${p.total}): ${p.step} · ${calls}`, 300);
}

export function failureProgress<T>(title: string, task: (run: FailuresRun) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    return task({ signal: abort.signal, onProgress: (p) => progress.report({ message: progressText(p) }) }).finally(() => sub.dispose());
  });
}
