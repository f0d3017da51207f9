/**
 * Failed sign-ins per client address in a sliding window, so one address cannot spray many
 * accounts (or lock parents out one by one). Per server instance; counts unknown usernames too.
 */
export class AddressThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: () => Date,
  ) {}

  private recent(address: string): number[] {
    const since = this.clock().getTime() - this.windowMs;
    const kept = (this.failures.get(address) ?? []).filter((at) => at > since);
    if (kept.length > 0) this.failures.set(address, kept);
    else this.failures.delete(address);
    return kept;
  }

  /** Seconds until the address may try again, or 0 when it may try now. */
  retryAfter(address: string): number {
    const recent = this.recent(address);
    if (recent.length < this.limit) return 0;
    return Math.max(1, Math.ceil((recent[recent.length - this.limit]! + this.windowMs - this.clock().getTime()) / 1000));
  }

  fail(address: string): void {
    this.failures.set(address, [...this.recent(address), this.clock().getTime()]);
  }
}
