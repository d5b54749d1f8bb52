// Around a booking: a place that needs the line manager's approval; a course that has been
// held, whose attendance the organiser records, whose entry appears in the record, whose
// evaluation the attendee gives, and whose cost reaches the spend report.
const { test, expect } = require('@playwright/test');
const { expectAccessible, signIn } = require('./a11y');

// Each project (phone, desktop) uses its own practitioner, both supervised by Morag.
const practitioner = (project) => (project === 'phone'
  ? { email: 'eilidh@demo.cairn.test', name: 'Eilidh Munro' }
  : { email: 'ailsa@demo.cairn.test', name: 'Ailsa MacLeod' });

test('a place that needs approval is asked for, refused without a reason is explained, then approved', async ({ browser }, testInfo) => {
  const who = practitioner(testInfo.project.name);
  const person = await (await browser.newContext()).newPage();
  await signIn(person, who.email);
  await person.getByRole('link', { name: 'Find learning' }).click();
  await person.getByLabel('Topic').selectOption('trauma-informed-practice');
  await person.getByRole('button', { name: 'Find' }).click();
  await person.getByRole('link', { name: 'Trauma-informed conversations' }).last().click();
  await expect(person.getByText("A place needs your line manager's approval.")).toBeVisible();
  await person.getByRole('button', { name: /^Ask for a place/ }).click();
  await expect(person.getByRole('status')).toContainText('Your request was sent for approval');
  await expect(person.getByText("Waiting for your line manager's approval")).toBeVisible();
  await expectAccessible(person);

  const morag = await (await browser.newContext()).newPage();
  await signIn(morag, 'morag@demo.cairn.test');
  await expect(morag.getByRole('region', { name: 'New for you' })).toContainText(`${who.name} asks for a place on Trauma-informed conversations`);
  await morag.getByRole('link', { name: 'Find learning' }).click();
  await morag.getByRole('link', { name: 'Requests to approve' }).click();
  const request = morag.locator('li').filter({ hasText: `${who.name}: Trauma-informed conversations` });
  await request.getByRole('button', { name: /^Refuse/ }).click();
  await expect(morag.getByRole('alert')).toContainText('Say why the request is refused');
  await expectAccessible(morag);
  await morag.locator('li').filter({ hasText: `${who.name}: Trauma-informed conversations` }).getByRole('button', { name: /^Approve/ }).click();
  await expect(morag.getByRole('status')).toContainText('Approved: they have a place');

  await person.goto('/');
  await expect(person.getByRole('region', { name: 'New for you' })).toContainText('Your request for Trauma-informed conversations was approved: you have a place');
  await person.goto('/bookings');
  await person.getByRole('link', { name: 'Trauma-informed conversations' }).click();
  await expect(person.getByText('Line manager: approved by Morag Campbell')).toBeVisible();
  await expect(person.getByRole('link', { name: 'Add it to my calendar (.ics)' })).toBeVisible();
  await expectAccessible(person);
});

test('attendance makes the entry, the attendee evaluates it, and its cost reaches the spend report', async ({ browser }, testInfo) => {
  const who = practitioner(testInfo.project.name);
  const iain = await (await browser.newContext()).newPage();
  await signIn(iain, 'iain@demo.cairn.test');
  await iain.getByRole('link', { name: 'Find learning' }).click();
  await iain.getByRole('link', { name: 'Reflective supervision skills' }).click();
  await iain.getByRole('link', { name: /^Bookings and attendance/ }).click();
  await iain.getByRole('button', { name: new RegExp(`^Attended\\W+${who.name}`) }).click();
  await expect(iain.locator('.entry-list li').filter({ hasText: who.name })).toContainText('Attended');
  await expectAccessible(iain);

  const person = await (await browser.newContext()).newPage();
  await signIn(person, who.email);
  // The evaluation arrives with the news that the entry is in their record.
  const news = person.getByRole('region', { name: 'New for you' });
  await news.getByRole('link', { name: /^Reflective supervision skills is in your record/ }).click();
  await expect(person.getByText('You attended: it is in your record')).toBeVisible();
  // The evaluation: a missing answer is named, what was chosen is kept.
  await person.getByRole('group', { name: /^Overall, how good was it/ }).getByLabel('5').check();
  await person.getByRole('button', { name: 'Send my evaluation' }).click();
  await expect(person.getByRole('alert')).toContainText('Choose a rating from 1 to 5');
  await expect(person.getByRole('group', { name: /^Overall, how good was it/ }).getByLabel('5')).toBeChecked();
  await expectAccessible(person);
  await person.getByRole('group', { name: /^How relevant was it/ }).getByLabel('4').check();
  await person.getByRole('group', { name: /Self-awareness and reflexivity/ }).getByLabel('4').check();
  await person.getByRole('group', { name: /Knowledge for your role/ }).getByLabel('3').check();
  await person.getByLabel('Anything to tell the organiser? (optional)').fill('The case discussion was the best part.');
  await person.getByRole('button', { name: 'Send my evaluation' }).click();
  await expect(person.getByRole('status')).toContainText('your evaluation was saved');
  // The travel from their base.
  await person.getByLabel('Travel, pounds').fill('64.80');
  await person.getByRole('button', { name: 'Save the costs' }).click();
  await expect(person.getByRole('status')).toContainText('The costs were saved');
  await expect(person.getByText('Total £124.80.')).toBeVisible();
  await expectAccessible(person);

  // The organiser sees the evaluation (without names) and the spend.
  await iain.goto('/learning');
  await iain.getByRole('link', { name: 'Evaluation' }).click();
  await expectAccessible(iain);
  await iain.getByRole('link', { name: 'Reflective supervision skills' }).click();
  await expect(iain.getByText('The case discussion was the best part.').first()).toBeVisible();
  await expect(iain.getByRole('heading', { name: 'Level 3: what changed in practice' })).toBeVisible();
  await expectAccessible(iain);
  await iain.goto('/learning');
  await iain.getByRole('link', { name: 'Spend' }).click();
  const services = iain.getByRole('table', { name: /Spend by service/ });
  await expect(services).toContainText('Adults');
  await expect(iain.getByRole('table', { name: /Spend by locality/ })).toContainText('£64.80');
  await expectAccessible(iain);
  // A budget typed wrongly is named and kept.
  await iain.getByLabel('Justice').fill('lots');
  await iain.getByRole('button', { name: 'Save budgets and allowance' }).click();
  await expect(iain.getByRole('alert')).toContainText('must be an amount in pounds');
  await expect(iain.getByLabel('Justice')).toHaveValue('lots');
  await expectAccessible(iain);
});
