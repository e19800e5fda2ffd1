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
  setFilterPattern: 'trailLens.setFilterPattern',
  stopScan: 'trailLens.stopScan',
  showHidden: 'trailLens.showHiddenEvents',
  openEvent: 'trailLens.openEvent',
  openEventJson: 'trailLens.openEventJson',
  copyRequestId: 'trailLens.copyRequestId',
  copyEventId: 'trailLens.copyEventId',
  copyRecordJson: 'trailLens.copyRecordJson',
  exploreSample: 'trailLens.exploreSample',
  openAwsConfig: 'trailLens.openAwsConfig',
  ssoLogin: 'trailLens.ssoLogin',
  showLog: 'trailLens.showLog',
  openDemoLog: 'trailLens.openDemoLog',
  showDemoFailure: 'trailLens.showDemoFailure',
  followDemoKey: 'trailLens.followDemoKey',
  relatedEvents: 'trailLens.relatedEvents',
  resourceHistory: 'trailLens.resourceHistory',
  compareEvents: 'trailLens.compareEvents',
  exportEvents: 'trailLens.exportEvents',
  copyEventMarkdown: 'trailLens.copyEventMarkdown',
  copyComparisonMarkdown: 'trailLens.copyComparisonMarkdown',
  copyInvestigationMarkdown: 'trailLens.copyInvestigationMarkdown',
  showErrorSummary: 'trailLens.showErrorSummary',
  refreshStacks: 'trailLens.refreshStacks',
  openStackFailure: 'trailLens.openStackFailure',
  pickTemplateStack: 'trailLens.pickTemplateStack',
  findEventsWithValue: 'trailLens.findEventsWithValue',
  traceValueOrigin: 'trailLens.traceValueOrigin',
  refreshTrails: 'trailLens.refreshTrails',
  explainTrail: 'trailLens.explainTrail',
  createAthenaTable: 'trailLens.createAthenaTable',
  searchPatternOnEngine: 'trailLens.searchPatternOnEngine',
  openTrailFiles: 'trailLens.openTrailFiles',
  openTrailBucket: 'trailLens.openTrailBucket',
  chooseEventSource: 'trailLens.chooseEventSource',
  findInTrailFiles: 'trailLens.findInTrailFiles',
  stopReadingTrailFiles: 'trailLens.stopReadingTrailFiles',
  readTrailFilesAgain: 'trailLens.readTrailFilesAgain',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** The Events view (package.json `contributes.views`). */
export const EVENTS_VIEW_ID = 'trailLens.events';

/** The Investigation view: related events and resource histories. */
export const INVESTIGATION_VIEW_ID = 'trailLens.investigation';
/** The Stacks view (package.json `contributes.views`). */
export const STACKS_VIEW_ID = 'trailLens.stacks';
/** The Trails view: each trail's delivery health (package.json `contributes.views`). */
export const TRAILS_VIEW_ID = 'trailLens.trails';

/** Context keys used in `when` clauses of package.json. */
export const ContextKeys = {
  /** 'loading' | 'ready' | 'noCredentials' | 'ssoExpired' | 'error' */
  state: 'trailLens.state',
  filterActive: 'trailLens.filterActive',
  /** The demo workspace (npm start) is open on the sample account. */
  demo: 'trailLens.demo',
  /**
   * The demo walkthrough's steps done (their completionEvents). Context keys, not onCommand: a step
   * completed as its command starts moves the focus to the walkthrough, and the event panel, which
   * opens beside the active editor, would then open in a third column.
   */
  demoLogOpened: 'trailLens.demoLogOpened',
  demoJumped: 'trailLens.demoJumped',
  demoFollowed: 'trailLens.demoFollowed',
  /** 'trail' while the Events view shows a trail source (trailLens.events.source), else 'lookup'. */
  eventsSource: 'trailLens.eventsSource',
} as const;
