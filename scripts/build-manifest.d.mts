// Types for scripts/build-manifest.mjs (plain JavaScript, so a production install runs it without a compiler).
export interface ManifestInputs {
  /** Project paths the bundle was built from, relative to the root. */
  files: string[];
  /** Folders under node_modules whose code went into the bundle, relative to the root. */
  packages: string[];
  /** When the build started (Date.now()). */
  startedMs: number;
}
export function writeManifest(root: string, manifestPath: string, inputs: ManifestInputs): void;
export function staleBecause(root: string, manifestPath: string): string | null;
