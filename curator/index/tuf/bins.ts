/** Re-exported from core/tuf/bins.ts (shared with the client). */
export * from '../../../core/tuf/bins.js';
