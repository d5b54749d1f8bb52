// An organisation's administrator: people, roles and teams, and the HR file imported from
// the browser with the same line-numbered report as the command line.
const { test, expect } = require('@playwright/test');
const { expectAccessible, signIn } = require('./a11y');

test('an administrator imports a CSV saved by Excel with one bad row', async ({ page }, testInfo) => {
  const project = testInfo.project.name;
  // As Excel saves it: a byte-order mark, CRLF, UK day-first dates; the bad row is line 4.
  const csv = '\ufeff' + [
    'email,name,job_role,start_date,hours_per_week,roles',
    `new.starter.${project}@demo.cairn.test,Rhona Starter,Social worker,01/09/2026,37,practitioner`,
    `second.starter.${project}@demo.cairn.test,Iain Second,Support worker,1/9/2026,37,`,
    `bad.date.${project}@demo.cairn.test,Bad Date,Support worker,31/09/2026,37,`,
  ].join('\r\n') + '\r\n';
  await signIn(page, 'fiona@demo.cairn.test');
  await page.getByRole('link', { name: 'People', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^People: /);
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Import people' }).click();
  await expectAccessible(page);
  // Nothing chosen: explained on the field.
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('alert')).toContainText('Choose the CSV file to import');
  await expectAccessible(page);

  await page.getByLabel('HR file (CSV)').setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Import' }).click();
  const report = page.getByRole('status');
  await expect(report).toContainText('staff.csv: 2 added, 0 updated, 1 rejected');
  const rejected = page.getByRole('list').filter({ hasText: 'Line 4' });
  await expect(rejected).toContainText('start_date');
  await expectAccessible(page);

  // The new person is there; give them a supervisor's role too.
  await page.getByRole('link', { name: 'People', exact: true }).first().click();
  await page.getByLabel('Name or email contains').fill(`new.starter.${project}`);
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page.getByText('1 person match')).toBeVisible();
  await page.getByRole('link', { name: 'Rhona Starter' }).click();
  await expectAccessible(page);
  await page.getByLabel('Supervisor', { exact: true }).check();
  await page.getByRole('button', { name: 'Save roles' }).click();
  await expect(page.getByRole('status')).toContainText('Their roles were saved');
  await expect(page.getByLabel('Supervisor', { exact: true })).toBeChecked();

  // A supervisor who does not exist is explained, and what was typed is kept.
  await page.getByLabel('Add a supervisor by email').fill('nobody@demo.cairn.test');
  await page.getByRole('button', { name: 'Add supervisor' }).click();
  await expect(page.getByRole('alert')).toContainText('Nobody working for Highland Council today has the email nobody@demo.cairn.test');
  await expect(page.getByLabel('Add a supervisor by email')).toHaveValue('nobody@demo.cairn.test');
  await expectAccessible(page);

  await page.goto(page.url().replace(/\/people\/.*$/, '/teams'));
  await page.getByRole('button', { name: 'Add team' }).click();
  await expect(page.getByRole('alert')).toContainText("Enter the team's name");
  await expectAccessible(page);
  // Where an existing team is based can be recorded (people then find learning nearby).
  const team = page.getByRole('row', { name: /Sutherland justice/ });
  await team.getByLabel('Where Sutherland justice is based').selectOption('thurso');
  await team.getByRole('button', { name: /^Save/ }).click();
  await expect(page.getByRole('status')).toContainText('Where the team is based was saved');
  await expect(page.getByRole('row', { name: /Sutherland justice/ }).getByLabel('Where Sutherland justice is based')).toHaveValue('thurso');
  await expectAccessible(page);
});

test('a large HR file is imported in the background while its progress is shown', async ({ page }, testInfo) => {
  const project = testInfo.project.name;
  // Leavers of 2020, so that the demo's current staff (and the other journeys) are unchanged.
  const lines = ['email,name,job_role,start_date,end_date,hours_per_week'];
  for (let i = 0; i < 2100; i++) {
    lines.push(`leaver${i}.${project}@demo.cairn.test,Leaver ${i},Support worker,2020-01-06,2020-12-31,37`);
  }
  await signIn(page, 'fiona@demo.cairn.test');
  await page.getByRole('link', { name: 'People', exact: true }).click();
  await page.getByRole('link', { name: 'Import people' }).click();
  await expect(page.getByText('A file of more than 2,000 lines is imported in the background')).toBeVisible();
  await page.getByLabel('HR file (CSV)').setInputFiles({ name: `leavers-${project}.csv`, mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await page.getByRole('button', { name: 'Import' }).click();

  // The progress page, kept up to date without a reload; then the report.
  await expect(page).toHaveURL(/\/imports\//);
  await expect(page.getByRole('heading', { level: 2, name: `leavers-${project}.csv` })).toBeVisible();
  await expectAccessible(page);
  // Usually still running when the page opens; a fast machine may have finished already.
  await expect(page.getByRole('status')).toContainText(/Finished\.|added/, { timeout: 60_000 });
  const show = page.getByRole('link', { name: 'Show the report' });
  if (await show.count()) await show.click();
  await expect(page.getByRole('status')).toContainText(`leavers-${project}.csv: 2,100 added, 0 updated, 0 rejected`);
  await expect(page.getByText('Only the first 1,000 lines of each list are shown here.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download the whole report (CSV)' })).toBeVisible();
  await expectAccessible(page);

  // The import page lists it.
  await page.getByRole('link', { name: 'Import another file' }).click();
  await expect(page.getByRole('table')).toContainText(`leavers-${project}.csv`);
  await expectAccessible(page);
});

test('someone employed elsewhere is invited by a feed, and answers it', async ({ page }, testInfo) => {
  // A different person for each project: an invitation is answered once.
  const invited = testInfo.project.name === 'phone'
    ? { email: 'grace@demo.cairn.test', job: 'Care home nurse' }
    : { email: 'priya@demo.cairn.test', job: 'Senior practitioner' };
  const csv = ['email,name,job_role,start_date', `${invited.email},Invited Person,${invited.job},2027-01-04`].join('\n');
  await signIn(page, 'fiona@demo.cairn.test');
  await page.getByRole('link', { name: 'People', exact: true }).click();
  await page.getByRole('link', { name: 'Import people' }).click();
  await page.getByLabel('HR file (CSV)').setInputFiles({ name: 'new-starters.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Import' }).click();
  // The report does not tell that this person already keeps a record elsewhere.
  await expect(page.getByRole('status')).toContainText('new-starters.csv: 1 added, 0 updated, 0 rejected');
  await page.getByRole('button', { name: /^Sign out/ }).click();

  await signIn(page, invited.email);
  await page.getByRole('link', { name: /Highland Council would like to add you to their staff/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Invitation from Highland Council');
  await expect(page.getByText('Your record stays yours.')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Decline' }).click();
  await expect(page.getByRole('status')).toContainText('You declined. Highland Council cannot see your record');
  await expect(page.getByRole('button', { name: 'Accept' })).toHaveCount(0);
  await expectAccessible(page);
});
