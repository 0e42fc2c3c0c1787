// Types of chromium.config.mjs (shared by the test runner config and the end-to-end harness).
export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_ARGS: string[];
