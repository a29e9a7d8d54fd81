/** The sync client's public API, for the Kiosk shells and the CLI. */
export { createSyncClient, type SyncClient, type SyncClientOptions, type SyncResult, type EnrolResult, type ConfigResult, type BundleExport } from './client';
export { withCentreWindowSettings, type CentreConfig } from './config-pull';
export { syncClientFor } from './for-kiosk';
export type { SyncError, SyncErrorCode } from './errors';
