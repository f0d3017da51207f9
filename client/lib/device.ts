/**
 * A person-readable name for the browser and system in a User-Agent header, for the
 * access log ("Safari, iPhone"). Product names are the same in every language.
 */

export interface DeviceDescription {
  browser: string | undefined;
  system: string | undefined;
}

/** First match wins: Edge and Opera say "Chrome" too, Chrome on iOS says "Safari". */
const browsers: Array<[RegExp, string]> = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\b(OPR|Opera)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(Firefox|FxiOS)\//, 'Firefox'],
  [/\bCriOS\//, 'Chrome'],
  [/\bHeadlessChrome\//, 'Chrome'],
  [/\bChrom(e|ium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];

const systems: Array<[RegExp, string]> = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

function firstMatch(userAgent: string, patterns: Array<[RegExp, string]>): string | undefined {
  return patterns.find(([pattern]) => pattern.test(userAgent))?.[1];
}

export function describeDevice(userAgent: string): DeviceDescription {
  return { browser: firstMatch(userAgent, browsers), system: firstMatch(userAgent, systems) };
}
