/** The demo's steps, in the order a person would do them. */
import type { DemoStep } from '../step.js';
import { createRegistry } from './create-registry.js';
import { installAndVerify } from './install.js';
import { mergeAndCurate } from './merge-and-curate.js';
import { mirrorRegistry } from './mirror.js';
import { trusteeOverride } from './override.js';
import { pullRequests } from './pull-requests.js';
import { serveRegistry } from './serve.js';
import { createSources } from './source-repos.js';
import { tamperedAsset } from './tamper.js';
import { buildWebsite } from './website.js';

export const DEMO_STEPS: readonly DemoStep[] = [
  createRegistry,
  createSources,
  pullRequests,
  mergeAndCurate,
  serveRegistry,
  installAndVerify,
  trusteeOverride,
  tamperedAsset,
  mirrorRegistry,
  buildWebsite,
];
