/**
 * The SDK-free core that both extension bundles use, built once as dist/common.js.
 *
 * dist/extension.js (activation) and dist/engine.js (the SDK, loaded on first use) both need
 * these modules; bundled into each, every class would exist twice and `instanceof` would fail
 * across the two (an error thrown in the engine would not be a `TrailLensError` to the view).
 * esbuild.mjs therefore turns every import of a module listed here into a require of
 * dist/common.js, and test/unit/bundles.test.ts checks that no module is in two bundles and that
 * no AWS SDK code is in the ones activation loads. A module goes here when extension code
 * imports a value from it; it must not import the SDK.
 */
export * from '../core/awsErrors';
export * from '../core/awsRegions';
export * from '../core/cloudformation/reason';
export * from '../core/cloudformation/templateText';
export * from '../core/dataEvents';
export * from '../core/errors';
export * from '../core/errorSummary/aggregate';
export * from '../core/filter/fieldPaths';
export * from '../core/filter/pattern';
export * from '../core/filter/presets';
export * from '../core/findReport';
export * from '../core/hints';
export * from '../core/investigate/resources';
export * from '../core/investigate/searched';
export * from '../core/investigate/paths';
export * from '../core/investigate/provenance';
export * from '../core/investigate/shape';
export * from '../core/investigate/valueForms';
export * from '../core/investigate/valueKind';
export * from '../core/logger';
export * from '../core/noise';
export * from '../core/record';
export * from '../core/regionSearchReport';
export * from '../core/requestId';
export * from '../core/services';
export * from '../core/spans';
export * from '../core/summary';
export * from '../core/text';
export * from '../core/time';
export * from '../core/trailLayout';
export * from '../core/trails/explain';
export * from '../core/trails/health';
