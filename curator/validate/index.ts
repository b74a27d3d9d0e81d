/** The PR gate's entry points: one pull request, or the whole registry. */
export { validateChange } from './validate-change.js';
export { validateRegistry } from './validate-registry.js';
export { summarizeReport, describeOperation, reportOk } from './operations.js';
export type * from './types.js';
