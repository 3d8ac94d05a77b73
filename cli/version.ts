/** The engine's version, written into transcripts and printed by --version. Kept in step with package.json by the build. */
declare const __STEPWISE_VERSION__: string | undefined;

export const VERSION: string = typeof __STEPWISE_VERSION__ === 'string' ? __STEPWISE_VERSION__ : '0.0.0-dev';
