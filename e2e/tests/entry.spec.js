// Changing an entry from two tabs shows the conflict instead of overwriting; deleting can be undone.
const { test, expect } = require('@playwright/test');
const { expectAccessible, signIn } = require('./a11y');

test('an edit from a second tab is not lost, and a delete is undone', async ({ context, page }, testInfo) => {
  await signIn(page, 'grace@demo.cairn.test');
  await page.getByRole('link', { name: 'My record' }).click();
  await page.locator('.entry-list li a').nth(testInfo.project.name === 'phone' ? 0 : 1).click();
  const url = page.url();
  await expectAccessible(page);

  const second = await context.newPage();
  await second.goto(url);

  await page.getByLabel('What was it?').fill(`Changed in the first tab (${testInfo.project.name})`);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status')).toContainText('Your changes are saved');

  await second.getByLabel('Hours').fill('2.25');
  await second.getByRole('button', { name: 'Save changes' }).click();
  await expect(second.getByRole('alert')).toContainText('changed in another tab');
  await expect(second.getByLabel('Hours')).toHaveValue('2.25');
  await expectAccessible(second);
  await second.getByRole('button', { name: 'Save changes' }).click();
  await expect(second.getByRole('status')).toContainText('Your changes are saved');

  // Evidence: a file that is not what its name says is refused; a real one is attached.
  await page.goto(url);
  await page.getByLabel('Add a file').setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: Buffer.from([0x4d, 0x5a, 0x90, 0x00]) });
  await page.getByRole('button', { name: 'Attach' }).click();
  await expect(page.getByRole('alert')).toContainText('cannot be kept as evidence');
  await expectAccessible(page);
  await page.getByLabel('Add a file').setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7 certificate of attendance') });
  await page.getByRole('button', { name: 'Attach' }).click();
  await expect(page.getByRole('status')).toContainText('The file is attached');
  await expect(page.getByRole('link', { name: 'certificate.pdf' })).toBeVisible();

  await page.getByRole('button', { name: 'Delete this entry' }).click();
  await expect(page.getByRole('status')).toContainText('in your bin');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Undo: restore this entry' }).click();
  await expect(page.getByRole('status')).toContainText('back in your record');
  await expect(page.getByLabel('Hours')).toHaveValue('2.25');
});

test('tagging an entry with an element closes a coverage gap, and a later edit keeps it', async ({ page }) => {
  // Chidi is an SSSC social care registrant: his requirement asks for every core element.
  await signIn(page, 'chidi@demo.cairn.test');
  await page.getByRole('link', { name: 'My record' }).click();
  await page.locator('.entry-list li a').first().click();
  await expectAccessible(page);
  const needed = page.locator('fieldset.elements .checkbox').filter({ hasText: 'still needed' }).first();
  const label = (await needed.locator('label').innerText()).replace('still needed', '').trim();
  await needed.locator('input').check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status')).toContainText('Your changes are saved');
  const chosen = page.locator('fieldset.elements .checkbox').filter({ hasText: label });
  await expect(chosen.locator('input')).toBeChecked();
  await expect(chosen).not.toContainText('still needed');

  // Changed again without touching the elements: the element stays.
  await page.getByLabel('What happened?').fill('Went over the moving and handling plan with the family.');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status')).toContainText('Your changes are saved');
  await expect(chosen.locator('input')).toBeChecked();
  await expectAccessible(page);

  // Taken off again, the element is needed again (and the next run finds the gap it closes).
  await chosen.locator('input').uncheck();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status')).toContainText('Your changes are saved');
  await expect(chosen).toContainText('still needed');
});
