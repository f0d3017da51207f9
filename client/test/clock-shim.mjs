/**
 * The browser's clock in tests: the page's `Date` runs `offsetMs` ahead of (or behind) the real
 * time, as the server's test clock does (server/test/test-day.ts), so "today" is the same day on
 * both sides. The source below runs before any module of the page: inlined in the browser tests'
 * page (client/web-test-runner.config.mjs) and added as an init script in the end-to-end tests.
 * `window.__homeroomSetClockOffset(ms)` moves it, for a test file whose district lives on another day.
 *
 * Dates made from a value, `Date.UTC`, `Date.parse` and `instanceof Date` behave as always; dates
 * read back from IndexedDB are real `Date`s and stay so.
 */
export function clockShimSource(offsetMs) {
  return `(() => {
  const RealDate = Date;
  let offset = ${Number(offsetMs)};
  function ShiftedDate(...args) {
    if (!new.target) return new RealDate(RealDate.now() + offset).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [RealDate.now() + offset] : args, new.target);
  }
  ShiftedDate.prototype = RealDate.prototype;
  Object.setPrototypeOf(ShiftedDate, RealDate);
  ShiftedDate.now = () => RealDate.now() + offset;
  Object.defineProperty(window, '__homeroomSetClockOffset', { value: (ms) => { offset = Number(ms); } });
  globalThis.Date = ShiftedDate;
})();`;
}
