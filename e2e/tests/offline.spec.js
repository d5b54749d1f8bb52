// Between visits on an island with no signal: the quick capture keeps entries on the device
// and sends each exactly once when the connection returns.
const { test, expect } = require('@playwright/test');
const { expectAccessible, signIn } = require('./a11y');

test('an entry typed offline is kept on the device and sent once when the connection returns', async ({ context, page }, testInfo) => {
  const title = `Typed on the ferry to Stornoway (${testInfo.project.name})`;
  await signIn(page, 'ailsa@demo.cairn.test');
  // Every page installs the service worker, which keeps the quick capture for offline use.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.goto('/offline');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Record learning, even offline');
  await expectAccessible(page);
  const kept = await page.evaluate(async () => Boolean(await caches.match('/offline')));
  expect(kept, 'the quick capture is kept for offline use').toBe(true);

  await context.setOffline(true);
  // Nothing typed is refused without saying why.
  await page.getByRole('button', { name: 'Keep it on this device' }).click();
  await expect(page.getByText('Say what the learning was')).toBeVisible();
  await page.getByLabel('What was it?').fill(title);
  await page.getByLabel('Hours').fill('1.5');
  await page.getByRole('button', { name: 'Keep it on this device' }).click();
  const status = page.getByRole('status');
  await expect(status).toContainText('1 entry is kept on this device');
  await expectAccessible(page);

  await context.setOffline(false);
  await expect(status).toContainText('has been sent to your record', { timeout: 15_000 });
  // A reload finds nothing left to send, and the record holds the entry once.
  await page.reload();
  await page.goto('/record');
  await expect(page.locator('.entry-list li').filter({ hasText: title })).toHaveCount(1);
});
