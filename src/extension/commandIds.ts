/**
 * Every command ID the extension contributes, in one place, so a typo does not compile.
 * test/unit/manifest.test.ts checks this object against package.json `contributes.commands`.
 */
export const Commands = {
  goToRequestId: 'trailLens.goToRequestId',
  refresh: 'trailLens.refresh',
  loadOlder: 'trailLens.loadOlder',
  selectConnection: 'trailLens.selectConnection',
  selectProfile: 'trailLens.selectProfile',
  selectRegion: 'trailLens.selectRegion',
  setTimeRange: 'trailLens.setTimeRange',
  setFilter: 'trailLens.setFilter',
  clearFilter: 'trailLens.clearFilter',
  toggleNoiseRules: 'trailLens.toggleNoiseRules',
  openEvent: 'trailLens.openEvent',
  openEventJson: 'trailLens.openEventJson',
  copyRequestId: 'trailLens.copyRequestId',
  copyEventId: 'trailLens.copyEventId',
  copyRecordJson: 'trailLens.copyRecordJson',
  exploreSample: 'trailLens.exploreSample',
  openAwsConfig: 'trailLens.openAwsConfig',
  ssoLogin: 'trailLens.ssoLogin',
  showLog: 'trailLens.showLog',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** The Events view (package.json `contributes.views`). */
export const EVENTS_VIEW_ID = 'trailLens.events';

/** Context keys used in `when` clauses of package.json. */
export const ContextKeys = {
  /** 'loading' | 'ready' | 'noCredentials' | 'ssoExpired' | 'error' */
  state: 'trailLens.state',
  filterActive: 'trailLens.filterActive',
} as const;
