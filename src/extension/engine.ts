/**
 * Everything the extension needs that pulls in the AWS SDK (or the sample account's server), built
 * as a bundle of its own (dist/engine.js) and loaded on first use through loadEngine(), so
 * activation parses none of it. No `vscode` here: it is core, re-exported.
 */
export { joinAccount } from '../core/accounts';
export { connect } from '../core/aws';
export { listProfiles, sharedFilePaths } from '../core/awsProfiles';
export { findStackForTemplate } from '../core/cloudformation/association';
export { findRefFixes } from '../core/cloudformation/refFix';
export { parseTemplate } from '../core/cloudformation/template';
export { shapeProblems } from '../core/investigate/shape';
export { defaultCacheDir, EventCache, openEventCache } from '../core/cache';
export { findEvent, findRequest } from '../core/find';
export { traceValue } from '../core/investigate/trace';
export { findRequestEverywhere } from '../core/multiFind';
export { sharedLimiter } from '../core/limiter';
export { lookupPages } from '../core/lookup';
export { scanEvents } from '../core/scan';
export { SAMPLE_CREDENTIALS, serveSampleAccount } from '../sample/serve';
export { listStacks, operationFailures, stackOperations } from '../core/cloudformation/stacks';
export { stackFailures } from '../core/cloudformation/failures';
export { findResourceHistory } from '../core/investigate/history';
export { findRelated } from '../core/investigate/related';
export { describeCost, runAthenaQuery } from '../core/engines/athena';
export { logGroupName, requestIdFilter, searchLogGroup } from '../core/engines/logs';
export { patternQuery, requestIdQuery } from '../core/engines/sql';
export { planTrailTable, trailLocation } from '../core/engines/trailTable';
// CloudTrail Lake: a connection's `lake` (connect()) is the API these take.
export { describeLakeCost, lakePatternQuery, lakeRequestIdQuery, resolveEventDataStore, runLakeQuery } from '../core/engines/lake';
export { fsError, listTrailFiles, readRecordPaths } from '../core/files';
export { searchFilesForRequestId } from '../core/fileSearch';
export { listTrailObjects, missingPrefix, parseS3Url, readS3Objects, searchS3ForRequestId } from '../core/s3Trail';
