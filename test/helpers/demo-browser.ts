import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { freePort } from '../../src/sandbox/harness/free-port';

export const CHROMIUM = '/usr/bin/chromium';
const CLI = join(__dirname, '../../dist/cli.js');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the browser tests cannot run here, if they cannot. */
export const browserMissing = !existsSync(CHROMIUM)
  ? `${CHROMIUM} is not installed`
  : !existsSync(CLI)
    ? 'dist/cli.js is not built (npx tsc -p tsconfig.build.json)'
    : undefined;

/** `certops demo` as a child process and one Chromium page on it, driven as a person would. */
export class DemoBrowser {
  private output = '';
  /** Put before every screenshot's name (the step's number). */
  prefix = '';

  private constructor(
    readonly demo: ChildProcess,
    readonly url: string,
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly userDataDir: string,
    private readonly screenshots: string,
  ) {}

  static async start(screenshots: string): Promise<DemoBrowser> {
    await mkdir(screenshots, { recursive: true });
    const port = await freePort();
    const demo = spawn(process.execPath, [CLI, 'demo', '--port', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'debug' },
    });
    let output = '';
    demo.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    demo.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
        if (found?.[1]) resolve(found[1]);
      };
      demo.stdout?.on('data', check);
      demo.once('exit', (code) =>
        reject(new Error(`certops demo exited with ${code} before printing its URL:\n${output}`)),
      );
    });
    const userDataDir = await mkdtemp(join(tmpdir(), 'certops-demo-chromium-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const session = new DemoBrowser(demo, url, context, page, userDataDir, screenshots);
    session.output = output;
    demo.stdout?.on('data', (chunk: Buffer) => (session.output += chunk.toString()));
    return session;
  }

  /** Everything the demo printed so far. */
  printed(): string {
    return this.output;
  }

  shot(name: string): Promise<Buffer> {
    return this.page.screenshot({ path: join(this.screenshots, `${this.prefix}${name}.png`), fullPage: true });
  }

  async actAs(userId: string): Promise<void> {
    // Listen before switching: the page fetches the new user's state at once.
    const loaded = this.page.waitForResponse(
      (r) => r.url().includes('/api/state') && r.url().includes(encodeURIComponent(userId)),
    );
    await this.page.selectOption('#user-switch', userId);
    await loaded;
  }

  async openChannel(name: string): Promise<void> {
    const loaded = this.page.waitForResponse((r) => r.url().includes('/api/state'));
    await this.page.locator('#nav-channels a', { hasText: name }).click();
    await loaded;
  }

  /** Clicks a Block Kit button and answers its confirm dialog when it has one. */
  async press(button: Locator): Promise<{ ok: boolean; error?: string }> {
    const delivered = this.page.waitForResponse((r) => r.url().endsWith('/api/action'));
    await button.click();
    const confirm = this.page.locator('#confirm-backdrop');
    await Promise.race([delivered, confirm.waitFor({ state: 'visible' })]);
    if (await confirm.isVisible()) await this.page.locator('#confirm-ok').click();
    const response = await delivered;
    return (await response.json()) as { ok: boolean; error?: string };
  }

  /** Types a slash command in the composer of the open channel. */
  async command(text: string): Promise<void> {
    const sent = this.page.waitForResponse((r) => r.url().endsWith('/api/command'));
    await this.page.fill('#composer-input', text);
    await this.page.locator('#composer button[type=submit]').click();
    await sent;
  }

  /** Messages in the open channel with buttons, whose text matches. */
  card(text: string | RegExp): Locator {
    return this.page
      .locator('#messages .message')
      .filter({ hasText: text })
      .filter({ has: this.page.locator('button') });
  }

  message(text: string | RegExp): Locator {
    return this.page.locator('#messages .message').filter({ hasText: text });
  }

  async stop(): Promise<number | null> {
    await this.context.close().catch(() => undefined);
    await rm(this.userDataDir, { recursive: true, force: true });
    if (this.demo.exitCode !== null) return this.demo.exitCode;
    this.demo.kill('SIGTERM');
    const [code] = (await once(this.demo, 'exit')) as [number | null];
    return code;
  }
}
