/** The page's clock shim for tests, as source to run before any module (see clock-shim.mjs). */
export declare function clockShimSource(offsetMs: number): string;
