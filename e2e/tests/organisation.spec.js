// An L&D lead sees the organisation's compliance and defines mandatory training; a
// supervisor sees the people they supervise.
const { test, expect } = require('@playwright/test');
const { expectAccessible, signIn } = require('./a11y');

const POLICY = `format = "cairn-policy/1"
id = "data-protection"
title = "Data protection refresher"
effective_from = 2000-01-01
applies_to_existing = true

[applies_to]
register = "EMP"

[[rules]]
id = "data-protection"
kind = "completed"
topics = ["data-protection"]
valid_for = "P1Y"
`;

test('an L&D lead goes from how many stand where to those people', async ({ page }) => {
  await signIn(page, 'iain@demo.cairn.test');
  await page.getByRole('link', { name: 'Compliance' }).click();
  // Read from the kept standing, which says when it was computed.
  await expect(page.locator('#computed')).toContainText('Standing computed');
  const counts = page.getByRole('list', { name: 'Where people stand' });
  for (const label of ['Overdue', 'At risk', 'On track', 'Met', 'Nothing applies']) {
    await expect(counts).toContainText(label);
  }
  await expectAccessible(page);
  await counts.getByRole('link', { name: /On track/ }).click();
  await expect(page).toHaveURL(/headline=on-track/);
  await expect(page.getByRole('list', { name: 'Where people stand' })
    .getByRole('link', { name: /On track/ })).toHaveAttribute('aria-current', 'true');
  const people = page.getByRole('table', { name: /Each person against each policy/ });
  await expect(people).toContainText('On track');
  await expect(people).not.toContainText('Overdue');
  await expectAccessible(page);
});

test('an L&D lead filters the compliance table and adds a policy', async ({ page }) => {
  await signIn(page, 'iain@demo.cairn.test');
  await page.getByRole('link', { name: 'Compliance' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Compliance: Highland Council');
  await expectAccessible(page);
  await page.getByLabel('Locality').selectOption('island');
  await page.getByLabel('Job role').fill('Social worker');
  await page.getByRole('button', { name: 'Show' }).click();
  const people = page.getByRole('table', { name: /Each person against each policy/ });
  await expect(people).toContainText('Ailsa MacLeod');
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Policies' }).click();
  await expectAccessible(page);
  // A mistake is explained with its line, and what was typed is kept.
  await page.getByLabel('Policy file').fill(POLICY.replace('valid_for', 'valid_four'));
  await page.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByRole('alert')).toContainText('Line 14, valid_four');
  await expect(page.getByLabel('Policy file')).toHaveValue(/valid_four/);
  await expectAccessible(page);
  await page.getByLabel('Policy file').fill(POLICY);
  await page.getByLabel('Job roles it applies to').fill('Social worker, Team manager');
  await page.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByRole('status')).toContainText('The policy was saved');
  const versions = page.getByRole('table', { name: 'Policies and their versions' });
  await expect(versions).toContainText('Data protection refresher');
  // A new version starts from the latest one; this one is for one team only.
  await versions.getByRole('link', { name: 'New version of Data protection refresher' }).first().click();
  await expect(page.getByLabel('Policy file')).toHaveValue(/id = "data-protection"/);
  await page.getByLabel('Skye and Lochalsh adults').check();
  await page.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByRole('status')).toContainText('The policy was saved');
  await expect(versions).toContainText('in Skye and Lochalsh adults');
  await expectAccessible(page);
});

test('a supervisor sees only the people they supervise', async ({ page }) => {
  await signIn(page, 'morag@demo.cairn.test');
  await page.getByRole('link', { name: 'Compliance' }).click();
  await expect(page.getByText('the people you supervise')).toBeVisible();
  const people = page.getByRole('table', { name: /Each person against each policy/ });
  await expect(people).toContainText('Ailsa MacLeod');
  await expect(people).not.toContainText('Iain Stewart');
  await expectAccessible(page);
});

test('a supervisor opens a team member\'s record, read-only', async ({ page }) => {
  await signIn(page, 'morag@demo.cairn.test');
  await page.getByRole('link', { name: 'My team', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('The people you supervise');
  await expect(page.getByRole('link', { name: 'Eilidh Munro', exact: true })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Ailsa MacLeod', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Ailsa MacLeod's learning record");
  await expect(page.getByText('only Ailsa MacLeod can change it')).toBeVisible();
  await expect(page.getByRole('button', { name: /Save|Delete/ })).toHaveCount(0);
  await expectAccessible(page);
});

test('an L&D lead sets out mandatory training in a form, not a file', async ({ page }, testInfo) => {
  const title = `Mandatory training for drivers (${testInfo.project.name})`;
  await signIn(page, 'iain@demo.cairn.test');
  await page.getByRole('link', { name: 'Policies' }).click();
  await page.getByRole('link', { name: 'Set out mandatory training' }).click();
  await expectAccessible(page);
  await page.getByLabel('Title').fill(title);
  const first = page.getByRole('group', { name: 'Item 1' });
  await first.getByLabel('Training').selectOption({ label: 'First aid' });
  await first.getByLabel('Valid for (months)').fill('three years');
  await page.getByLabel('Job roles it applies to').fill('Driver');
  await page.getByRole('button', { name: 'Save the policy' }).click();
  await expect(page.getByRole('alert')).toContainText('Item 1: “valid for” must be a whole number of months');
  await expect(first.getByLabel('Valid for (months)')).toHaveValue('three years');
  await expect(page.getByLabel('Job roles it applies to')).toHaveValue('Driver');
  await expectAccessible(page);
  await first.getByLabel('Valid for (months)').fill('36');
  const second = page.getByRole('group', { name: /^Item 2/ });
  await second.getByLabel('Training').selectOption({ label: 'Fire safety' });
  await second.getByLabel('Valid for (months)').fill('12');
  await page.getByRole('button', { name: 'Save the policy' }).click();
  await expect(page.getByRole('status')).toContainText('The policy was saved');
  await expect(page.getByRole('row').filter({ hasText: title })).toContainText('Driver');
  await page.getByText(`The file of ${title}`).click();
  await expect(page.locator('.policy-file pre').filter({ hasText: title })).toContainText('valid_for = "P3Y"');
  await expectAccessible(page);
  // Changed later, it starts from what it says.
  await page.getByRole('link', { name: `Change ${title}` }).click();
  await expect(page.getByRole('group', { name: 'Item 1' }).getByLabel('Valid for (months)')).toHaveValue('36');
});
