// Types for bin/bundle-manifest.js, which stays plain JavaScript so the bin and the install-time
// bundler run before any TypeScript loader exists.
export declare const packageRoot: string;
export declare const bundleDir: string;
export declare const bundleEntry: string;
export declare const manifestFile: string;
export declare function freshBundleUrl(dir?: string, root?: string): string | undefined;
