/**
 * A local imitation of Twilio's Messages API (create and list), and a RequestClient that sends
 * the SDK's requests to it instead of api.twilio.com. Nothing leaves the machine.
 *
 * For crash tests it can hold its answer to a create (the message is accepted and listed, the
 * sender never hears back), fail the list call (the provider cannot tell), and slow its answers
 * (so two senders overlap).
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
  /** While on, a create is accepted and listed but never answered (until close). */
  holdCreates: (on: boolean) => void;
  /** Answers every list call with this status (null: list normally). */
  failList: (status: number | null) => void;
  /** Waits this long before answering a create. */
  delayCreates: (ms: number) => void;
  /** Resolves once `n` creates have reached the server in total. */
  waitForCreates: (n: number, timeoutMs?: number) => Promise<void>;
  /** Creates that reached the server, per To (E.164). */
  createsTo: (to: string) => number;
  close: () => Promise<void>;
  requestClient: () => InstanceType<typeof twilio.RequestClient>;
}

/** Credentials of the imitated account (the provider checks their shape only). */
export const FAKE_ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const FAKE_MESSAGING_SERVICE_SID = `MG${'a'.repeat(32)}`;

/** A Twilio RequestClient that sends every request to `url` instead of https://api.twilio.com. */
export const localRequestClient = (url: string): InstanceType<typeof twilio.RequestClient> => {
  class LocalClient extends twilio.RequestClient {
    request<TData>(opts: InstanceType<typeof twilio.RequestClient> extends { request(o: infer O): unknown } ? O & { data?: TData } : never) {
      return super.request<TData>({ ...opts, uri: String(opts.uri).replace(/^https:\/\/api\.twilio\.com/, url) });
    }
  }
  return new LocalClient();
};

export const startFakeTwilio = async (): Promise<FakeTwilio> => {
  const requests: FakeRequest[] = [];
  const stored: FakeTwilio['stored'] = [];
  const failures: Array<{ status: number; body?: Record<string, unknown> }> = [];
  const held: http.ServerResponse[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  let hold = false;
  let listStatus: number | null = null;
  let delay = 0;
  let n = 0;
  const createCount = () => requests.filter((r) => r.method === 'POST').length;
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
        for (const w of waiters.filter((x) => createCount() >= x.n)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
        const f = failures.shift();
        if (f) return json(f.status, f.body ?? { code: 30001, message: 'failure', status: f.status });
        n += 1;
        const msg = { sid: `SM${String(n).padStart(32, '0')}`, to: r.form.get('To') ?? '', body: r.form.get('Body') ?? '', date_created: new Date().toUTCString(), status: 'queued' };
        stored.push(msg);
        if (hold) {
          held.push(res);
          return undefined;
        }
        const answer = () => json(201, { ...msg, account_sid: m[1], messaging_service_sid: r.form.get('MessagingServiceSid'), uri: `${u.pathname.replace('.json', '')}/${msg.sid}.json` });
        if (delay > 0) setTimeout(answer, delay);
        else answer();
        return undefined;
      }
      if (listStatus !== null) return json(listStatus, { code: 20500, message: 'list unavailable', status: listStatus });
      const to = u.searchParams.get('To');
      const messages = stored.filter((s) => !to || s.to === to);
      return json(200, { messages, next_page_uri: null, page: 0, page_size: 50, uri: u.pathname, first_page_uri: u.pathname, previous_page_uri: null });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    stored,
    failNext: (status, body) => failures.push({ status, body }),
    holdCreates: (on) => {
      hold = on;
    },
    failList: (status) => {
      listStatus = status;
    },
    delayCreates: (ms) => {
      delay = ms;
    },
    waitForCreates: (count, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        if (createCount() >= count) return resolve();
        const timer = setTimeout(() => reject(new Error(`the fake Twilio received ${createCount()} creates, not ${count}, within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          n: count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
    createsTo: (to) => requests.filter((r) => r.method === 'POST' && r.form.get('To') === to).length,
    close: () =>
      new Promise((resolve) => {
        for (const res of held.splice(0)) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    requestClient: () => localRequestClient(url),
  };
};
