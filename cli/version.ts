/** The engine's version, written into transcripts and printed by --version. Kept in step with package.json by the build. */
declare const __STEPWISE_VERSION__: string | undefined;

export const VERSION: string = typeof __STEPWISE_VERSION__ === 'string' ? __STEPWISE_VERSION__ : '0.0.0-dev';

declare const __STEPWISE_BUILD__: string | undefined;

/** A fingerprint of the sources the bundle was built from (scripts/build.mjs); `source` when run from the sources. */
export const BUILD: string = typeof __STEPWISE_BUILD__ === 'string' ? __STEPWISE_BUILD__ : 'source';
