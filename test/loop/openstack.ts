/** A small REST client for the loopback cloud: Keystone tokens, Heat, Gnocchi and Aodh calls. */
import type { CloudInfo } from './harness';

/** A failed HTTP call, with the service's answer. */
export class HttpError extends Error {
  constructor(
    public readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Calls the loopback services as the admin user of the admin project. */
export class OpenStack {
  private token = '';
  private tokenExpires = 0;
  public projectId = '';

  constructor(public readonly info: CloudInfo) {}

  /** A project-scoped token (renewed ahead of expiry). */
  public async authToken(): Promise<string> {
    if (this.token && Date.now() < this.tokenExpires - 60_000) return this.token;
    const res = await fetch(`${this.info.authUrl}/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { name: this.info.username, domain: { id: 'default' }, password: this.info.password } } },
          scope: { project: { name: this.info.project, domain: { id: 'default' } } },
        },
      }),
    });
    if (res.status !== 201) throw new HttpError(res.status, `keystone token: ${res.status} ${await res.text()}`);
    this.token = res.headers.get('x-subject-token')!;
    const body = (await res.json()) as { token: { expires_at: string; project: { id: string } } };
    this.tokenExpires = Date.parse(body.token.expires_at);
    this.projectId = body.token.project.id;
    return this.token;
  }

  /** A JSON call; returns the parsed body (or undefined when empty). */
  public async call<T = any>(method: string, url: string, body?: unknown, okStatus: number[] = [200, 201, 202, 204]): Promise<T> {
    const token = await this.authToken();
    const res = await fetch(url, {
      method,
      headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!okStatus.includes(res.status)) throw new HttpError(res.status, `${method} ${url}: ${res.status} ${text.slice(0, 2000)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Heat v1 URL of the admin project. */
  public async heatUrl(suffix: string): Promise<string> {
    await this.authToken();
    return `${this.info.heat}/v1/${this.projectId}${suffix}`;
  }
}
