// The supported year: the L&D lead sets an activity and puts Eilidh (newly qualified) on the
// year; her supervisor holds the 3-month review; Eilidh sees her year and downloads it.
const { test, expect } = require('@playwright/test');
const { expectAccessible, signIn } = require('./a11y');

test('an NQSW is put on the supported year, reviewed at 3 months, and sees their progress', async ({ browser }, testInfo) => {
  const activity = `Child protection refresher (${testInfo.project.name})`;
  const iain = await (await browser.newContext()).newPage();
  await signIn(iain, 'iain@demo.cairn.test');
  await iain.getByRole('link', { name: 'Compliance' }).click();
  const org = iain.url().split('/orgs/')[1].split('/')[0];
  await iain.goto(`/orgs/${org}/supervision`);
  await iain.getByRole('link', { name: 'The supported year for newly qualified social workers' }).click();
  await expectAccessible(iain);
  await iain.getByLabel('Activity').fill(activity);
  await iain.getByLabel('Met by learning of the kind').selectOption('course');
  await iain.getByLabel('On the topic (optional)').selectOption('child-protection');
  await iain.getByLabel('Due this many months into the year').fill('14');
  await iain.getByRole('button', { name: 'Add the activity' }).click();
  await expect(iain.getByRole('alert')).toContainText('must be a whole number of months, 1 to 12');
  await expect(iain.getByLabel('Activity')).toHaveValue(activity);
  await expectAccessible(iain);
  await iain.getByLabel('Due this many months into the year').fill('3');
  await iain.getByRole('button', { name: 'Add the activity' }).click();
  await expect(iain.getByRole('status')).toContainText('The activity was added');
  await iain.getByLabel('Their work email').fill('eilidh@demo.cairn.test');
  await iain.getByLabel('The year began on').fill('2026-08-03');
  await iain.getByLabel("Their mentor's email (optional)").fill('ailsa@demo.cairn.test');
  await iain.getByLabel('Protected learning time, hours a week').fill('2.8');
  await iain.getByRole('button', { name: 'Start their supported year' }).click();
  await expect(iain.getByRole('status')).toContainText('They are on the supported year');
  await expect(iain.locator('.entry-list li').filter({ hasText: 'Eilidh Munro' })).toContainText('activities done');

  const morag = await (await browser.newContext()).newPage();
  await signIn(morag, 'morag@demo.cairn.test');
  await morag.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My team' }).click();
  await morag.getByRole('link', { name: 'Supported year of Eilidh Munro' }).click();
  await morag.getByLabel('Which review').selectOption('3');
  await morag.getByRole('button', { name: 'Save the review' }).click();
  await expect(morag.getByRole('alert')).toContainText('Write how the year is going');
  await expectAccessible(morag);
  await morag.getByLabel('How the year is going, and what comes next').fill(`Settling in well; court work next (${testInfo.project.name})`);
  await morag.getByRole('button', { name: 'Save the review' }).click();
  await expect(morag.getByRole('status')).toContainText('The milestone review was saved');

  const eilidh = await (await browser.newContext()).newPage();
  await signIn(eilidh, 'eilidh@demo.cairn.test');
  await eilidh.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Supervision' }).click();
  await eilidh.getByRole('link', { name: 'My supported year (newly qualified)' }).click();
  await expect(eilidh.getByRole('heading', { level: 1 })).toHaveText('My supported year');
  await expect(eilidh.getByText(activity)).toBeVisible();
  await expect(eilidh.getByText(`Settling in well; court work next (${testInfo.project.name})`)).toBeVisible();
  await expect(eilidh.getByText('Ailsa MacLeod')).toBeVisible();
  await expectAccessible(eilidh);
  const [download] = await Promise.all([
    eilidh.waitForEvent('download'),
    eilidh.getByRole('link', { name: "Download the year's record (CSV)" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('nqsw-year-2026-08-03.csv');
});
