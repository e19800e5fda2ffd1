/**
 * Watches the shared AWS config and credentials files (their real paths; the nearest existing
 * folder while they do not exist yet, so a new ~/.aws is noticed) and reports changes, debounced.
 */
import * as fs from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '../core/logger';

const DEBOUNCE_MS = 400;

export class AwsFilesWatcher {
  private watchers: fs.FSWatcher[] = [];
  private watchedPaths: string[] | undefined;
  private debounce: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: Logger,
    private readonly onChange: () => void,
  ) {}

  /** Watches these files from now on; the same set again is a no-op. */
  watch(paths: string[]): void {
    const sorted = [...paths].sort();
    if (this.watchedPaths && this.watchedPaths.join('\0') === sorted.join('\0')) return;
    this.unwatch();
    this.watchedPaths = sorted;
    const byDir = new Map<string, Set<string>>();
    for (const file of sorted) {
      let dir = dirname(file);
      let name = basename(file);
      while (!fs.existsSync(dir) && dirname(dir) !== dir) {
        name = basename(dir);
        dir = dirname(dir);
      }
      if (!byDir.has(dir)) byDir.set(dir, new Set());
      byDir.get(dir)!.add(name);
    }
    for (const [dir, names] of byDir) {
      try {
        const watcher = fs.watch(dir, { persistent: false }, (_event, filename) => {
          if (!filename || names.has(filename.toString())) this.changed();
        });
        watcher.on('error', () => undefined);
        this.watchers.push(watcher);
      } catch (err) {
        this.log.debug(`Cannot watch ${dir}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  dispose(): void {
    this.unwatch();
    if (this.debounce) clearTimeout(this.debounce);
  }

  private unwatch(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }

  private changed(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.log.info('AWS config or credentials file changed; reloading');
      // Re-resolve which folders to watch: ~/.aws may have just been created.
      const paths = this.watchedPaths;
      this.watchedPaths = undefined;
      if (paths) this.watch(paths);
      this.onChange();
    }, DEBOUNCE_MS);
  }
}
