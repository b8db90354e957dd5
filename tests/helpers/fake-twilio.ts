/**
 * A local imitation of Twilio's Messages API (create and list), and a RequestClient that sends
 * the SDK's requests to it instead of api.twilio.com. Nothing leaves the machine.
 */
import http from 'http';
import { AddressInfo } from 'net';
import twilio from 'twilio';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  form: URLSearchParams;
  authorization: string;
}

export interface FakeTwilio {
  url: string;
  requests: FakeRequest[];
  /** Answers the next create with this status and body instead of accepting it. */
  failNext: (status: number, body?: Record<string, unknown>) => void;
  /** Messages the list endpoint returns (as Twilio stores them). */
  stored: Array<{ sid: string; to: string; body: string; date_created: string; status: string }>;
  close: () => Promise<void>;
  requestClient: () => InstanceType<typeof twilio.RequestClient>;
}

export const startFakeTwilio = async (): Promise<FakeTwilio> => {
  const requests: FakeRequest[] = [];
  const stored: FakeTwilio['stored'] = [];
  const failures: Array<{ status: number; body?: Record<string, unknown> }> = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://fake');
      const r: FakeRequest = { method: req.method ?? '', path: u.pathname, query: u.searchParams, form: new URLSearchParams(raw), authorization: String(req.headers.authorization ?? '') };
      requests.push(r);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const m = /^\/2010-04-01\/Accounts\/(AC\w+)\/Messages\.json$/.exec(u.pathname);
      if (!m) return json(404, { code: 20404, message: 'not found', status: 404 });
      if (req.method === 'POST') {
        const f = failures.shift();
        if (f) return json(f.status, f.body ?? { code: 30001, message: 'failure', status: f.status });
        n += 1;
        const msg = { sid: `SM${String(n).padStart(32, '0')}`, to: r.form.get('To') ?? '', body: r.form.get('Body') ?? '', date_created: new Date().toUTCString(), status: 'queued' };
        stored.push(msg);
        return json(201, { ...msg, account_sid: m[1], messaging_service_sid: r.form.get('MessagingServiceSid'), uri: `${u.pathname.replace('.json', '')}/${msg.sid}.json` });
      }
      const to = u.searchParams.get('To');
      const messages = stored.filter((s) => !to || s.to === to);
      return json(200, { messages, next_page_uri: null, page: 0, page_size: 50, uri: u.pathname, first_page_uri: u.pathname, previous_page_uri: null });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  class LocalClient extends twilio.RequestClient {
    request<TData>(opts: InstanceType<typeof twilio.RequestClient> extends { request(o: infer O): unknown } ? O & { data?: TData } : never) {
      return super.request<TData>({ ...opts, uri: String(opts.uri).replace(/^https:\/\/api\.twilio\.com/, url) });
    }
  }

  return {
    url,
    requests,
    stored,
    failNext: (status, body) => failures.push({ status, body }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
    requestClient: () => new LocalClient(),
  };
};
