import { join } from 'node:path';
import { PERSONAS } from '../../src/sandbox/demo/personas';
import { ApprovalBlockIds } from '../../src/slack/ids';
import { DemoBrowser, browserMissing } from '../helpers/demo-browser';

// The README's demo steps, walked in the orders a new user might take them, each order on its own `certops demo`.
// Every step checks what it changed; at the end every card must show its final state, whatever came before.
// Screenshots land in artifacts/screenshots/<order>/ (kept by CI).

const SCREENSHOTS = join(__dirname, '../../artifacts/screenshots');
const STEP_MS = 60_000;
const FINISHED = /succeeded|completed|rotated|finished|done/i;

type Step = (demo: DemoBrowser) => Promise<void>;

// The few browser shapes the page checks use (the project compiles without the DOM library).
interface BrowserImage {
  complete: boolean;
  naturalWidth: number;
  alt: string;
  decode(): Promise<void>;
}
interface BrowserGlobals {
  document: {
    getElementById(id: string): { options: ArrayLike<{ text: string }>; clientWidth: number };
    createElement(tag: 'canvas'): {
      getContext(kind: '2d'): { font: string; measureText(text: string): { width: number } };
    };
  };
  getComputedStyle(element: unknown): { font: string };
}

async function approveAs(demo: DemoBrowser, card: ReturnType<DemoBrowser['card']>, ...people: string[]): Promise<void> {
  for (const person of people) {
    await demo.actAs(person);
    expect(await demo.press(card.locator('button', { hasText: /^Approve/ }).first())).toMatchObject({ ok: true });
  }
}

/** Opens the thread under the newest message matching `text` and waits until a reply matches `done`. */
async function threadFinishes(demo: DemoBrowser, text: RegExp, done: RegExp): Promise<void> {
  const replies = demo.message(text).locator('[data-open-thread]').last();
  await replies.waitFor({ timeout: STEP_MS });
  await replies.click();
  await demo.page.locator('#thread-messages').filter({ hasText: done }).waitFor({ timeout: STEP_MS });
  await demo.page.locator('#thread-close').click();
}

/** The newest request card matching `header`, approved by alice and bob, its job followed in the thread to the end. */
async function approvedToTheEnd(demo: DemoBrowser, header: RegExp, shot: string): Promise<void> {
  const request = demo
    .card(header)
    .filter({ has: demo.page.locator('button', { hasText: /^Approve/ }) })
    .last();
  await request.waitFor({ timeout: STEP_MS });
  await approveAs(demo, request, PERSONAS.approver.id, PERSONAS.secondApprover.id);
  await threadFinishes(demo, header, FINISHED);
  await demo.shot(shot);
}

/** The AKS rotation's summary in its thread: the client certificate was renewed with the CA, as a real rotate-certs does. */
async function clientCertificateRenewed(demo: DemoBrowser): Promise<void> {
  await demo.message(AKS_REQUEST).locator('[data-open-thread]').last().click();
  const thread = demo.page.locator('#thread-messages').filter({ hasText: /client certificate expires/ });
  await thread.waitFor({ timeout: STEP_MS });
  const line = (await thread.innerText()).split('\n').find((l) => l.includes('client certificate expires'));
  expect(line).toMatch(/→/);
  expect(line).not.toMatch(/unchanged/);
  await demo.page.locator('#thread-close').click();
}

const AKS_REQUEST = /Request: aks-rotate-certs/;
const KMS_REQUEST = /Request: kms-rotate-key/;

const steps: Record<string, Step> = {
  async warnings(demo) {
    await demo.page.goto(demo.url);
    await demo.actAs(PERSONAS.operator.id);
    await demo.openChannel('platform-ops');
    await demo
      .message(/apiserver/)
      .first()
      .waitFor({ timeout: STEP_MS });
    await demo
      .message(/shop-tls|shop\.example\.com/)
      .first()
      .waitFor({ timeout: STEP_MS });
    await demo.openChannel('aks-prod');
    await demo
      .card(/etcd-kms/)
      .filter({ has: demo.page.locator('button', { hasText: 'Rotate KMS key' }) })
      .first()
      .waitFor({ timeout: STEP_MS });
    await demo.shot('warnings');
  },

  async goodCsr(demo) {
    await demo.actAs(PERSONAS.operator.id);
    await demo.openChannel('platform-ops');
    const good = demo
      .card('worker-2')
      .filter({ has: demo.page.locator('button', { hasText: /^Approve/ }) })
      .last();
    await good.waitFor({ timeout: STEP_MS });
    expect(await demo.press(good.locator('button', { hasText: /^Approve/ }).first())).toMatchObject({ ok: true });
    await demo
      .message('worker-2')
      .filter({ hasText: /Issued/ })
      .first()
      .waitFor({ timeout: STEP_MS });
    await demo.shot('good-csr-issued');
  },

  async suspiciousCsr(demo) {
    await demo.actAs(PERSONAS.approver.id);
    await demo.openChannel('platform-ops');
    const suspicious = demo
      .card('worker-3')
      .filter({ has: demo.page.locator('button', { hasText: /^Approve/ }) })
      .last();
    await suspicious.waitFor({ timeout: STEP_MS });
    expect(await demo.press(suspicious.locator('button', { hasText: /^Approve/ }).first())).toMatchObject({ ok: true });
    await demo.page
      .locator('#messages .message.ephemeral')
      .filter({ hasText: /1 more authorised approver|second approv|1 of 2/i })
      .first()
      .waitFor({ timeout: STEP_MS });
    await approveAs(demo, suspicious, PERSONAS.secondApprover.id);
    await demo
      .message('worker-3')
      .filter({ hasText: /Issued/ })
      .first()
      .waitFor({ timeout: STEP_MS });
    await demo.shot('suspicious-csr-issued');
  },

  async aksRotation(demo) {
    await demo.actAs(PERSONAS.operator.id);
    await demo.openChannel('aks-prod');
    await demo.command('/certs rotate aks-rotate-certs aks-prod certificates expire soon --confirm aks-prod');
    await approvedToTheEnd(demo, AKS_REQUEST, 'aks-rotation-done');
    await clientCertificateRenewed(demo);
  },

  async kmsRotation(demo) {
    await demo.actAs(PERSONAS.operator.id);
    await demo.openChannel('aks-prod');
    const rotate = demo
      .card(/etcd-kms/)
      .locator('button', { hasText: 'Rotate KMS key' })
      .first();
    await rotate.waitFor({ timeout: STEP_MS });
    const modal = demo.page.locator('#modal-backdrop');
    await demo.press(rotate);
    await modal.waitFor({ state: 'visible', timeout: STEP_MS });
    // A reload is a new Slack client: the form does not come back.
    await demo.page.reload();
    await demo.page.locator('#nav-channels a').first().waitFor();
    await demo.actAs(PERSONAS.operator.id);
    await demo.openChannel('aks-prod');
    expect(await modal.isVisible()).toBe(false);
    await demo.press(rotate);
    await modal.waitFor({ state: 'visible', timeout: STEP_MS });
    await demo.page.fill(
      `#modal-body [data-block-id="${ApprovalBlockIds.rotateReason}"]`,
      'the key expires in 20 days',
    );
    const confirm = demo.page.locator(`#modal-body [data-block-id="${ApprovalBlockIds.rotateConfirm}"]`);
    if ((await confirm.count()) > 0) await confirm.fill('aks-prod');
    await demo.shot('kms-form');
    await demo.page.locator('#modal-submit').click();
    await modal.waitFor({ state: 'hidden', timeout: STEP_MS });
    await approvedToTheEnd(demo, KMS_REQUEST, 'kms-rotation-done');
  },

  async digest(demo) {
    await demo.actAs(PERSONAS.operator.id);
    await demo.openChannel('platform-ops');
    await demo.command('/certs digest now');
    const digest = demo
      .message(/digest/i)
      .filter({ has: demo.page.locator('[data-open-thread]') })
      .last();
    await digest.waitFor({ timeout: STEP_MS });
    // The chart is uploaded into the digest's thread: it must show as an image that loaded.
    await digest.locator('[data-open-thread]').click();
    const chart = demo.page.locator('#thread-messages img.file-image').first();
    await chart.waitFor({ timeout: STEP_MS });
    await expect(
      chart.evaluate((el) =>
        (el as unknown as BrowserImage).decode().then(() => (el as unknown as BrowserImage).naturalWidth),
      ),
    ).resolves.toBe(1200);
    await demo.shot('digest-chart');
    await demo.page.locator('#thread-close').click();
    await demo.page.locator('#nav-home').click();
    await demo.page.locator('#home').filter({ hasText: 'aks-prod' }).waitFor({ timeout: STEP_MS });
    await demo.shot('home');
  },
};

/** What every order must end with, whichever way it got there. */
async function finalState(demo: DemoBrowser): Promise<void> {
  await demo.actAs(PERSONAS.approver.id);
  await demo.openChannel('platform-ops');
  for (const node of ['worker-2', 'worker-3']) {
    const card = demo.message(node).filter({ hasText: /Issued/ });
    await card.first().waitFor({ timeout: STEP_MS });
    expect(
      await card
        .first()
        .locator('button', { hasText: /^Approve/ })
        .count(),
    ).toBe(0);
  }
  await demo.openChannel('aks-prod');
  for (const request of [AKS_REQUEST, KMS_REQUEST]) {
    const card = demo.message(request).last();
    expect(await card.locator('button', { hasText: /^(Approve|Reject)$/ }).count()).toBe(0);
    await threadFinishes(demo, request, FINISHED);
  }
  // The KMS key's warning followed the rotation: it says which request resolved it, and "Rotate KMS key…" is gone.
  const resolvedWarning = demo
    .message(/etcd-kms/)
    .filter({ hasText: /Resolved by request R[0-9A-Z]+/ })
    .first();
  await resolvedWarning.waitFor({ timeout: STEP_MS });
  expect(await demo.page.locator('#messages button', { hasText: 'Rotate KMS key' }).count()).toBe(0);
  await resolvedWarning.scrollIntoViewIfNeeded();
  await demo.shot('kms-warning-resolved');
  // Emoji are images the page ships, all loaded; none is left as a `:code:`.
  const emoji = demo.page.locator('#messages img.emoji');
  expect(await emoji.count()).toBeGreaterThan(0);
  expect(
    await emoji.evaluateAll((els) =>
      (els as unknown as BrowserImage[]).filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.alt),
    ),
  ).toEqual([]);
  expect(await demo.page.locator('#messages').innerText()).not.toMatch(
    /:(white_check_mark|warning|x|red_circle|large_[a-z]+_circle|hourglass[a-z_]*|no_entry|gear|lock|unlock|key|zzz|arrow_forward):/,
  );
  // Every person's name and role fits the switch: nothing is cut off.
  // The select's own padding and its arrow take about 40 px.
  const cut = await demo.page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as BrowserGlobals;
    const select = document.getElementById('user-switch');
    const context = document.createElement('canvas').getContext('2d');
    context.font = getComputedStyle(select).font;
    return Array.from(select.options)
      .filter((o) => context.measureText(o.text).width > select.clientWidth - 40)
      .map((o) => o.text);
  });
  expect(cut).toEqual([]);
  await demo.shot('final');
}

const ORDERS: Record<string, Array<keyof typeof steps>> = {
  'as-written': ['warnings', 'goodCsr', 'suspiciousCsr', 'aksRotation', 'kmsRotation', 'digest'],
  'aks-then-kms': ['warnings', 'aksRotation', 'kmsRotation', 'digest', 'suspiciousCsr', 'goodCsr'],
  'kms-then-aks': ['warnings', 'kmsRotation', 'aksRotation', 'digest', 'goodCsr', 'suspiciousCsr'],
};

const suite = browserMissing ? describe.skip : describe;

suite(
  `the README's demo steps in the orders a new user takes them${browserMissing ? ` (skipped: ${browserMissing})` : ''}`,
  () => {
    // One order after the other: three demos starting at once overload a small machine.
    it.each(Object.entries(ORDERS))(
      '%s: every step works and every card ends in its final state',
      async (order, walk) => {
        const demo = await DemoBrowser.start(join(SCREENSHOTS, order));
        try {
          for (const [index, step] of walk.entries()) {
            demo.prefix = `${String(index + 1).padStart(2, '0')}-`;
            await steps[step]?.(demo);
          }
          demo.prefix = '';
          await finalState(demo);
        } catch (err) {
          await demo.shot('failure').catch(() => undefined);
          throw err;
        } finally {
          expect(await demo.stop()).toBe(0);
        }
      },
      STEP_MS * 6,
    );
  },
);
