/** Shared steps of the Today, Messages and Family browser tests (not a test file itself). */
import { setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import type { LitElement } from 'lit';
import type { HrApp } from '../../app/hr-app.ts';
import type { HomeroomDatabase } from '../../data/database.ts';
import { currentDataLayer } from '../../data/local-data.ts';
import type { DataLayer } from '../../data/data-layer.ts';
import { demoPassword, expectNoAxeViolations, signInWithCode } from '../../test/api.ts';
import { mountApp, signInThroughApp } from '../../test/app.ts';
import { until } from '../../test/sync.ts';
import { getSyncState } from '../../data/sync-state.ts';
import { collections, type CollectionName } from '../../data/database.ts';

/** Signs in through the app and waits until `collections` have synced once on the device. */
export async function signInAndSync(username: string, collections: readonly CollectionName[]): Promise<{ app: HrApp; layer: DataLayer; db: HomeroomDatabase }> {
  const app = await mountApp('#/sign-in');
  await signInThroughApp(app, username, demoPassword);
  let open: DataLayer | undefined;
  await until(async () => (open = await currentDataLayer()) !== undefined, 5000, 'the data layer opens');
  for (const name of collections) await until(async () => (await getSyncState(open!.db, name)).lastSyncedAt !== null, 10_000, `${name} syncs`);
  return { app, layer: open!, db: open!.db };
}

/** What the server holds for `username` in `collection`, read as another device of this app version would pull it. */
export async function serverDocuments<Doc>(username: string, collection: CollectionName, version = collections[collection].schema.version): Promise<Doc[]> {
  const session = await signInWithCode({ username, password: demoPassword });
  if (!session.ok) throw new Error(`sign-in failed: ${session.code}`);
  const response = await fetch(`/api/sync/${collection}/pull?v=${version}&limit=1000`, { headers: { authorization: `Bearer ${session.body.accessToken}` } });
  if (!response.ok) throw new Error(`pull of ${collection} answered ${response.status}`);
  return ((await response.json()) as { documents: Doc[] }).documents;
}

/** On a 320-pixel phone the page keeps its width (only `.scroll` regions scroll sideways), axe clean. */
export async function expectFitsPhone(view: LitElement): Promise<void> {
  await setViewport({ width: 320, height: 640 });
  try {
    await view.updateComplete;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(view.getBoundingClientRect().width).to.be.at.most(320);
    expect(document.documentElement.scrollWidth).to.be.at.most(320);
    for (const region of view.shadowRoot!.querySelectorAll<HTMLElement>('.scroll')) expect(region.getBoundingClientRect().right).to.be.at.most(320);
    await expectNoAxeViolations();
  } finally {
    await setViewport({ width: 800, height: 600 });
  }
}
