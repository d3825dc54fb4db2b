import { join } from 'node:path';
import { PERSONAS } from '../../src/sandbox/demo/personas';
import { DemoBrowser, browserMissing } from '../helpers/demo-browser';

const ARTIFACTS = join(__dirname, '../../artifacts/screenshots/demo');
const STEP_MS = 60_000;

const suite = browserMissing ? describe.skip : describe;

suite(`certops demo in a browser${browserMissing ? ` (skipped: ${browserMissing})` : ''}`, () => {
  let demo: DemoBrowser;
  const page = () => demo.page;
  const shot = (name: string) => demo.shot(name);
  const actAs = (userId: string) => demo.actAs(userId);
  const openChannel = (name: string) => demo.openChannel(name);
  const press = (button: Parameters<DemoBrowser['press']>[0]) => demo.press(button);
  const card = (text: string | RegExp) => demo.card(text);

  beforeAll(async () => {
    demo = await DemoBrowser.start(ARTIFACTS);
  }, 90_000);

  afterAll(async () => {
    await demo?.stop();
  }, 30_000);

  it(
    'prints one URL and serves a Slack-like page with the seeded expiry warnings',
    async () => {
      expect(demo.printed().match(/https?:\/\//g)).toHaveLength(1);
      await page().goto(demo.url);
      await page().locator('#nav-channels a', { hasText: 'platform-ops' }).waitFor();
      await expect(page().locator('#user-switch option').allTextContents()).resolves.toEqual([
        expect.stringContaining('operator'),
        expect.stringContaining('approver'),
        expect.stringContaining('second approver'),
        expect.stringContaining('guest'),
      ]);
      await page().locator('#messages .message').first().waitFor({ timeout: STEP_MS });
      await expect(page().locator('#messages').textContent()).resolves.toMatch(/apiserver|shop-tls/);
      await shot('01-overview');
    },
    STEP_MS,
  );

  it(
    'lets an operator approve the good CSR and shows the card turn Approved, then Issued',
    async () => {
      await actAs(PERSONAS.operator.id);
      await openChannel('platform-ops');
      const good = card('worker-2')
        .filter({ has: page().locator('button', { hasText: /Approve/ }) })
        .last();
      await good.waitFor({ timeout: STEP_MS });
      await shot('02-csr-cards');
      const answer = await press(good.locator('button', { hasText: /Approve/ }).first());
      expect(answer).toMatchObject({ ok: true });
      const decided = page()
        .locator('#messages .message')
        .filter({ hasText: 'worker-2' })
        .filter({ hasText: /Approved/i });
      await decided.first().waitFor({ timeout: STEP_MS });
      await page()
        .locator('#messages .message')
        .filter({ hasText: 'worker-2' })
        .filter({ hasText: /Issued/i })
        .first()
        .waitFor({ timeout: STEP_MS });
      await shot('03-csr-approved-issued');
    },
    STEP_MS * 2,
  );

  it(
    'tells an approver acting alone that the suspicious CSR needs a second approver',
    async () => {
      await actAs(PERSONAS.approver.id);
      const suspicious = card('worker-3')
        .filter({ has: page().locator('button', { hasText: /Approve/ }) })
        .last();
      await suspicious.waitFor({ timeout: STEP_MS });
      const answer = await press(suspicious.locator('button', { hasText: /Approve/ }).first());
      expect(answer).toMatchObject({ ok: true });
      // Message text and ephemerals only: the button's own label may already mention two approvers.
      const told = page()
        .locator('#messages .message .text, #messages .message .context, #messages .message.ephemeral')
        .filter({ hasText: /second approv|another approv|1 of 2|1\/2/i });
      await told.first().waitFor({ timeout: STEP_MS });
      await shot('04-csr-needs-second-approver');
    },
    STEP_MS * 2,
  );

  it(
    'runs aks-rotate-certs after two other people approve, with progress in the thread to the end',
    async () => {
      await actAs(PERSONAS.operator.id);
      await openChannel('aks-prod');
      await page().fill(
        '#composer-input',
        '/certs rotate aks-rotate-certs aks-prod certificates were issued by the old CA --confirm aks-prod',
      );
      await page().locator('#composer button[type=submit]').click();
      const request = card(/aks-rotate-certs|Rotate AKS|rotate-certs/i)
        .filter({ has: page().locator('button', { hasText: /Approve/ }) })
        .last();
      await request.waitFor({ timeout: STEP_MS });
      await shot('05-rotation-requested');

      for (const approver of [PERSONAS.approver.id, PERSONAS.secondApprover.id]) {
        await actAs(approver);
        const answer = await press(request.locator('button', { hasText: /Approve/ }).first());
        expect(answer).toMatchObject({ ok: true });
      }
      await shot('06-rotation-approved');

      const replies = page()
        .locator('#messages .message')
        .filter({ hasText: /aks-rotate-certs|rotate-certs/i })
        .locator('[data-open-thread]')
        .last();
      await replies.waitFor({ timeout: STEP_MS });
      await replies.click();
      await page()
        .locator('#thread-messages')
        .filter({ hasText: /succeeded|completed|rotated|finished|done/i })
        .waitFor({ timeout: STEP_MS });
      await shot('07-rotation-progress-finished');
    },
    STEP_MS * 3,
  );

  it('stops cleanly on SIGTERM', async () => {
    expect(await demo.stop()).toBe(0);
  }, 30_000);
});
