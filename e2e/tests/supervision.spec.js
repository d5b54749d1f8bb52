// Supervision: a supervisor records a session; its action appears on both people's pages;
// private notes are shown to the two of them; the session is in the supervisee's record.
const { test, expect } = require('@playwright/test');
const { expectAccessible, signIn } = require('./a11y');

function inDays(days) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

test('a supervisor records a session and its action reaches both people', async ({ browser }, testInfo) => {
  const who = testInfo.project.name === 'phone'
    ? { email: 'eilidh@demo.cairn.test', name: 'Eilidh Munro' }
    : { email: 'ailsa@demo.cairn.test', name: 'Ailsa MacLeod' };
  const action = `Read the new adult protection guidance (${testInfo.project.name})`;
  const morag = await (await browser.newContext()).newPage();
  await signIn(morag, 'morag@demo.cairn.test');
  await morag.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My team' }).click();
  await expect(morag.getByText(/next due/).first()).toBeVisible();
  await morag.getByRole('link', { name: 'Record a supervision session' }).click();
  await expectAccessible(morag);
  await morag.getByLabel('Length in minutes').fill('60');
  await morag.getByLabel(who.name).check();
  await morag.getByLabel('Case management').fill('50');
  await morag.getByLabel('Reflection on practice').fill('30');
  await morag.getByLabel('Wellbeing').fill('10');
  await morag.getByLabel('Private notes (individual sessions only)').fill('Spoke about workload and sleep.');
  await morag.getByLabel('What will be done').first().fill(action);
  await morag.getByLabel('Who will do it').first().selectOption({ label: who.name });
  await morag.getByLabel('Due by').first().fill(inDays(14));
  await morag.getByLabel(/Add it to each supervised person's learning record/).check();
  await morag.getByRole('button', { name: 'Record the session' }).click();
  // The agenda adds up to 90: explained, and everything typed is still there.
  await expect(morag.getByRole('alert')).toContainText('must add up to 100 %; it adds up to 90 %');
  await expect(morag.getByLabel('What will be done').first()).toHaveValue(action);
  await expect(morag.getByLabel(who.name)).toBeChecked();
  await expectAccessible(morag);
  await morag.getByLabel('Professional development').fill('10');
  await morag.getByRole('button', { name: 'Record the session' }).click();
  await expect(morag.getByRole('status')).toContainText('The session was recorded');
  await expect(morag.getByText('Spoke about workload and sleep.')).toBeVisible();
  await expectAccessible(morag);

  const person = await (await browser.newContext()).newPage();
  await signIn(person, who.email);
  await person.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Supervision' }).click();
  const open = person.locator('.entry-list li').filter({ hasText: action });
  await expect(open).toContainText(who.name);
  await expectAccessible(person);
  await open.getByRole('link').click();
  await expect(person.getByText('Only the two of you see these.')).toBeVisible();
  await expect(person.getByText(`${who.name} (in their record)`)).toBeVisible();
  await person.locator('li').filter({ hasText: action }).getByRole('button', { name: /^Done/ }).click();
  await expect(person.getByRole('status')).toContainText('The action is marked done');
  await person.goto('/record');
  await person.getByRole('link', { name: 'Supervision with Morag Campbell' }).first().click();

  // The practitioner adds a goal to their plan and links the session to it as evidence.
  const goal = `Lead a case discussion in the team (${testInfo.project.name})`;
  await person.goto('/plan');
  await person.getByLabel('What you want to develop').fill(goal);
  await person.getByRole('button', { name: 'Add the goal' }).click();
  await expect(person.getByRole('alert')).toContainText('Enter when you aim to have done it');
  await expect(person.getByLabel('What you want to develop')).toHaveValue(goal);
  await expectAccessible(person);
  await person.getByLabel('By when').fill(inDays(180));
  await person.getByRole('button', { name: 'Add the goal' }).click();
  await expect(person.getByRole('status')).toContainText('The goal was added');
  const goalItem = person.locator('li').filter({ has: person.getByRole('heading', { name: goal }) });
  const evidence = goalItem.getByLabel(/^Link learning as evidence/);
  await evidence.selectOption(await evidence.locator('option', { hasText: 'Supervision with Morag Campbell' }).first().getAttribute('value'));
  await goalItem.getByRole('button', { name: /^Link/ }).click();
  await expect(person.getByRole('status')).toContainText('linked to the goal');
  await expect(person.locator('li').filter({ has: person.getByRole('heading', { name: goal }) })).toContainText('Supervision with Morag Campbell');
  await person.goto('/record');
  await person.getByRole('link', { name: 'Supervision with Morag Campbell' }).first().click();

  // The practitioner asks for the entry to be endorsed; asking themself is explained.
  await person.getByRole('link', { name: 'Ask for this entry to be endorsed' }).click();
  await expect(person.locator('#entries input:checked')).toHaveCount(1);
  await person.getByLabel('their work email').fill(who.email);
  await person.getByRole('button', { name: 'Ask for endorsement' }).click();
  await expect(person.getByRole('alert')).toContainText('You cannot endorse your own learning');
  await expect(person.locator('#entries input:checked')).toHaveCount(1);
  await expectAccessible(person);
  // Chosen from those who can endorse, not typed.
  await person.getByLabel('their work email').fill('');
  await person.getByLabel('Who should endorse them').selectOption({ label: 'Morag Campbell (your supervisor)' });
  await person.getByLabel('A note to them (optional)').fill(`From our session (${testInfo.project.name})`);
  await person.getByRole('button', { name: 'Ask for endorsement' }).click();
  await expect(person.getByRole('status')).toContainText('Your request was sent');

  // The supervisor reads it and endorses it.
  await morag.goto('/');
  await morag.getByRole('region', { name: 'New for you' }).getByRole('link', { name: `${who.name} asks you to endorse a learning entry` }).click();
  const request = morag.locator('li').filter({ hasText: `From our session (${testInfo.project.name})` });
  await expect(request).toContainText('Supervision with Morag Campbell');
  await expectAccessible(morag);
  await request.getByRole('button', { name: /^Endorse/ }).click();
  await expect(morag.getByRole('status')).toContainText('Endorsed');
  await person.goto('/endorsements');
  await expect(person.locator('.entry-list li').first()).toContainText('Endorsed');
});

test('a team learning session reaches each record, and a participant adds their reflection', async ({ browser }, testInfo) => {
  const who = testInfo.project.name === 'phone'
    ? { email: 'eilidh@demo.cairn.test', name: 'Eilidh Munro' }
    : { email: 'ailsa@demo.cairn.test', name: 'Ailsa MacLeod' };
  const title = `Working with risk: module and case study (${testInfo.project.name})`;
  const morag = await (await browser.newContext()).newPage();
  await signIn(morag, 'morag@demo.cairn.test');
  await morag.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My team' }).click();
  await morag.getByRole('link', { name: 'Record a team learning session' }).click();
  await morag.getByLabel('What the team learnt').fill(title);
  await morag.getByLabel('Topics (optional)').fill('Risk assessment');
  await morag.getByRole('button', { name: 'Record the team session' }).click();
  await expect(morag.getByRole('alert')).toContainText('Choose who took part');
  await expect(morag.getByLabel('What the team learnt')).toHaveValue(title);
  await expectAccessible(morag);
  await morag.getByLabel('Ailsa MacLeod').check();
  await morag.getByLabel('Eilidh Munro').check();
  await morag.getByRole('button', { name: 'Record the team session' }).click();
  await expect(morag.getByRole('status')).toContainText('The team session is in each person');

  const person = await (await browser.newContext()).newPage();
  await signIn(person, who.email);
  await person.getByRole('region', { name: 'New for you' }).getByRole('link', { name: new RegExp(`^${title.replace(/[()]/g, '\\$&')} is in your record`) }).click();
  await expect(person.getByLabel('I discussed it with a peer')).toBeChecked();
  await person.getByLabel('What happened?').fill('We used the risk matrix on a case from our own team.');
  await person.getByRole('button', { name: 'Save changes' }).click();
  await expect(person.getByRole('status').first()).toBeVisible();
  await person.reload();
  await expect(person.getByLabel('What happened?')).toHaveValue('We used the risk matrix on a case from our own team.');
  await expect(person.getByLabel('Kind of learning')).toHaveValue('team-learning-session');
  await expectAccessible(person);
});

test('a practitioner sees what is due and chooses their reminders', async ({ page }) => {
  await signIn(page, 'ailsa@demo.cairn.test');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click();
  await page.getByRole('link', { name: 'Reminders and the daily email' }).click();
  await expect(page.getByRole('link', { name: 'Your development plan is due for a review with your supervisor' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Email me a daily summary when something is due').uncheck();
  await page.getByRole('button', { name: 'Save my choices' }).click();
  await expect(page.getByRole('status')).toContainText('Your choices were saved');
  await expect(page.getByLabel('Email me a daily summary when something is due')).not.toBeChecked();
  await expect(page.getByLabel('Supervision due, and actions agreed in it')).toBeChecked();
  await page.getByLabel('Email me a daily summary when something is due').check();
  await page.getByRole('button', { name: 'Save my choices' }).click();
});

test('peer supervision counts for a colleague only once they confirm it', async ({ browser }, testInfo) => {
  const who = testInfo.project.name === 'phone'
    ? { email: 'eilidh@demo.cairn.test', name: 'Eilidh Munro' }
    : { email: 'ailsa@demo.cairn.test', name: 'Ailsa MacLeod' };
  const morag = await (await browser.newContext()).newPage();
  await signIn(morag, 'morag@demo.cairn.test');
  await morag.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My team' }).click();
  await morag.getByRole('link', { name: 'Record a supervision session' }).click();
  await morag.getByLabel('Held on').fill(inDays(-1));
  await morag.getByLabel('Length in minutes').fill('45');
  await morag.getByLabel('Kind', { exact: true }).selectOption({ label: 'Peer' });
  await morag.getByLabel(who.name).check();
  await morag.getByLabel('Case management').fill('60');
  await morag.getByLabel('Reflection on practice').fill('40');
  await morag.getByLabel(/Add it to each supervised person's learning record/).check();
  await morag.getByRole('button', { name: 'Record the session' }).click();
  await expect(morag.getByRole('status')).toContainText('The session was recorded');
  await expect(morag.getByText(`${who.name} (not yet confirmed)`)).toBeVisible();

  const person = await (await browser.newContext()).newPage();
  await signIn(person, who.email);
  await person.getByRole('link', { name: /recorded peer supervision with you/ }).first().click();
  const ask = person.getByRole('region', { name: 'Were you there?' });
  await expect(ask).toContainText('only once you confirm it');
  await expectAccessible(person);
  await ask.getByRole('button', { name: 'I was there' }).click();
  await expect(person.getByRole('status')).toContainText('Thank you: the session counts as supervision you had.');
  await expect(person.getByRole('region', { name: 'Were you there?' })).toHaveCount(0);
  await expectAccessible(person);

  await morag.reload();
  await expect(morag.getByText(`${who.name} (not yet confirmed)`)).toHaveCount(0);
});
