/** The one Region quick pick (choosing the connection's Region, searching a request ID in another). */
import * as vscode from 'vscode';
import { COMMERCIAL_REGIONS } from '../core/awsRegions';

export interface RegionPickOptions {
  title: string;
  placeHolder: string;
  /** Listed first, with a note saying why ("profile's default", "named in the text"); offered even if not a known Region. */
  suggested?: { id: string; note: string };
  /** Marked with a check. */
  current?: string;
  /** Left out (the Region already searched). */
  exclude?: string;
}

export function regionItems(options: RegionPickOptions): vscode.QuickPickItem[] {
  const { suggested, current, exclude } = options;
  const regions = COMMERCIAL_REGIONS.filter((r) => r.id !== exclude);
  const first = regions.filter((r) => r.id === suggested?.id);
  const rest = regions.filter((r) => r.id !== suggested?.id);
  const items: vscode.QuickPickItem[] = [...first, ...rest].map((r) => ({
    label: r.id,
    description: [r.name, r.id === suggested?.id ? suggested.note : undefined].filter(Boolean).join(' · '),
    iconPath: r.id === current ? new vscode.ThemeIcon('check') : undefined,
  }));
  if (suggested && suggested.id !== exclude && !first.length) items.unshift({ label: suggested.id, description: suggested.note });
  return items;
}

/** The Region picked, or undefined when the pick was dismissed. The list opens on the current Region. */
export function pickRegion(options: RegionPickOptions): Promise<string | undefined> {
  const items = regionItems(options);
  const qp = vscode.window.createQuickPick();
  qp.title = options.title;
  qp.placeholder = options.placeHolder;
  qp.matchOnDescription = true;
  qp.items = items;
  const current = items.find((i) => i.label === options.current);
  if (current) qp.activeItems = [current];
  return new Promise((resolve) => {
    let picked: string | undefined;
    qp.onDidAccept(() => {
      picked = qp.selectedItems[0]?.label ?? qp.activeItems[0]?.label;
      qp.hide();
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve(picked);
    });
    qp.show();
  });
}
