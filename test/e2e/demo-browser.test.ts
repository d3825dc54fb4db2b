import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { freePort } from '../../src/sandbox/harness/free-port';
import { PERSONAS } from '../../src/sandbox/demo/personas';

const CHROMIUM = '/usr/bin/chromium';
const CLI = join(__dirname, '../../dist/cli.js');
const ARTIFACTS = join(__dirname, '../../test-artifacts/demo');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const STEP_MS = 60_000;

const missing = !existsSync(CHROMIUM) ? `${CHROMIUM} is not installed` : !existsSync(CLI) ? 'dist/cli.js is not built (npx tsc -p tsconfig.build.json)' : undefined;
const suite = missing ? describe.skip : describe;

suite(`certops demo in a browser${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let demo: ChildProcess;
  let demoOutput = '';
  let url: string;
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  const actAs = async (userId: string) => {
    // Listen before switching: the page fetches the new user's state at once.
    const loaded = page.waitForResponse((r) => r.url().includes('/api/state') && r.url().includes(encodeURIComponent(userId)));
    await page.selectOption('#user-switch', userId);
    await loaded;
  };

  const openChannel = (name: string) => page.locator('#nav-channels a', { hasText: name }).click();

  /** Clicks a Block Kit button and answers its confirm dialog when it has one. */
  const press = async (button: Locator) => {
    const delivered = page.waitForResponse((r) => r.url().endsWith('/api/action'));
    await button.click();
    const confirm = page.locator('#confirm-backdrop');
    await Promise.race([delivered, confirm.waitFor({ state: 'visible' })]);
    if (await confirm.isVisible()) await page.locator('#confirm-ok').click();
    const response = await delivered;
    return (await response.json()) as { ok: boolean; error?: string };
  };

  const card = (text: string | RegExp) => page.locator('#messages .message').filter({ hasText: text }).filter({ has: page.locator('button') });

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    const port = await freePort();
    demo = spawn(process.execPath, [CLI, 'demo', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'debug' } });
    demo.stdout?.on('data', (chunk: Buffer) => (demoOutput += chunk.toString()));
    demo.stderr?.on('data', (chunk: Buffer) => (demoOutput += chunk.toString()));
    url = await new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(demoOutput);
        if (found?.[1]) resolve(found[1]);
      };
      demo.stdout?.on('data', check);
      demo.once('exit', (code) => reject(new Error(`certops demo exited with ${code} before printing its URL:\n${demoOutput}`)));
    });
    userDataDir = await mkdtemp(join(tmpdir(), 'certops-demo-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 900 } });
    page = context.pages()[0] ?? (await context.newPage());
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    if (demo && demo.exitCode === null) {
      demo.kill('SIGTERM');
      await once(demo, 'exit');
    }
  }, 30_000);

  it('prints one URL and serves a Slack-like page with the seeded expiry warnings', async () => {
    expect(demoOutput.match(/https?:\/\//g)).toHaveLength(1);
    await page.goto(url);
    await page.locator('#nav-channels a', { hasText: 'platform-ops' }).waitFor();
    await expect(page.locator('#user-switch option').allTextContents()).resolves.toEqual([
      expect.stringContaining('operator'),
      expect.stringContaining('approver'),
      expect.stringContaining('second approver'),
      expect.stringContaining('guest'),
    ]);
    await page.locator('#messages .message').first().waitFor({ timeout: STEP_MS });
    await expect(page.locator('#messages').textContent()).resolves.toMatch(/apiserver|shop-tls/);
    await shot('01-overview');
  }, STEP_MS);

  it('lets an operator approve the good CSR and shows the card turn Approved, then Issued', async () => {
    await actAs(PERSONAS.operator.id);
    await openChannel('platform-ops');
    const good = card('worker-2').filter({ has: page.locator('button', { hasText: /Approve/ }) }).last();
    await good.waitFor({ timeout: STEP_MS });
    await shot('02-csr-cards');
    const answer = await press(good.locator('button', { hasText: /Approve/ }).first());
    expect(answer).toMatchObject({ ok: true });
    const decided = page.locator('#messages .message').filter({ hasText: 'worker-2' }).filter({ hasText: /Approved/i });
    await decided.first().waitFor({ timeout: STEP_MS });
    await page.locator('#messages .message').filter({ hasText: 'worker-2' }).filter({ hasText: /Issued/i }).first().waitFor({ timeout: STEP_MS });
    await shot('03-csr-approved-issued');
  }, STEP_MS * 2);

  it('tells an approver acting alone that the suspicious CSR needs a second approver', async () => {
    await actAs(PERSONAS.approver.id);
    const suspicious = card('worker-3').filter({ has: page.locator('button', { hasText: /Approve/ }) }).last();
    await suspicious.waitFor({ timeout: STEP_MS });
    const answer = await press(suspicious.locator('button', { hasText: /Approve/ }).first());
    expect(answer).toMatchObject({ ok: true });
    // Message text and ephemerals only: the button's own label may already mention two approvers.
    const told = page.locator('#messages .message .text, #messages .message .context, #messages .message.ephemeral').filter({ hasText: /second approv|another approv|1 of 2|1\/2/i });
    await told.first().waitFor({ timeout: STEP_MS });
    await shot('04-csr-needs-second-approver');
  }, STEP_MS * 2);

  it('runs aks-rotate-certs after two other people approve, with progress in the thread to the end', async () => {
    await actAs(PERSONAS.operator.id);
    await openChannel('aks-prod');
    await page.fill('#composer-input', '/certs rotate aks-rotate-certs aks-prod certificates were issued by the old CA');
    await page.locator('#composer button[type=submit]').click();
    const request = card(/aks-rotate-certs|Rotate AKS|rotate-certs/i).filter({ has: page.locator('button', { hasText: /Approve/ }) }).last();
    await request.waitFor({ timeout: STEP_MS });
    await shot('05-rotation-requested');

    for (const approver of [PERSONAS.approver.id, PERSONAS.secondApprover.id]) {
      await actAs(approver);
      const answer = await press(request.locator('button', { hasText: /Approve/ }).first());
      expect(answer).toMatchObject({ ok: true });
    }
    await shot('06-rotation-approved');

    const replies = page.locator('#messages .message').filter({ hasText: /aks-rotate-certs|rotate-certs/i }).locator('[data-open-thread]').last();
    await replies.waitFor({ timeout: STEP_MS });
    await replies.click();
    await page.locator('#thread-messages').filter({ hasText: /succeeded|completed|rotated|finished|done/i }).waitFor({ timeout: STEP_MS });
    await shot('07-rotation-progress-finished');
  }, STEP_MS * 3);

  it('stops cleanly on SIGTERM', async () => {
    await context.close();
    demo.kill('SIGTERM');
    const [code] = (await once(demo, 'exit')) as [number | null];
    expect(code).toBe(0);
  }, 30_000);
});
