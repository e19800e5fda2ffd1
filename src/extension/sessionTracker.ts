/**
 * Remembers the last session this feature obtained, so passive features (hovers) can use its cache
 * without ever creating a connection themselves. Forgotten when the connection changes.
 */
import type * as vscode from 'vscode';
import type { ConnectionService, Session } from './services';

export class SessionTracker implements vscode.Disposable {
  private known: Session | undefined;
  private readonly listener: vscode.Disposable;

  constructor(private readonly connection: ConnectionService) {
    this.listener = connection.onDidChange(() => {
      this.known = undefined;
    });
  }

  /** The last session seen, without creating one. */
  current(): Session | undefined {
    return this.known;
  }

  /** Gets (and may create) the session; throws TrailLensError when none can be made. */
  async get(): Promise<Session> {
    const session = await this.connection.session();
    this.known = session;
    return session;
  }

  /** Like get(), but a missing connection is not an error here (the caller only wants context). */
  async refresh(): Promise<Session | undefined> {
    try {
      return await this.get();
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    this.listener.dispose();
  }
}
