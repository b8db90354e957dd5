/**
 * A local imitation of Alibaba Cloud's SMS API (SendSms and QuerySendDetails), for the SDK pointed
 * at it with `endpoint: '127.0.0.1:PORT'` and `protocol: 'http'`. The SDK (ACS3 signing, RPC
 * style) posts to `/` with the action in the `x-acs-action` header and the parameters in the
 * query string. Nothing leaves the machine.
 */
import http from 'http';
import { AddressInfo } from 'net';

export interface FakeAliyunRequest {
  method: string;
  action: string;
  query: URLSearchParams;
  authorization: string;
}

export interface StoredSms {
  bizId: string;
  phone: string;
  templateCode: string;
  templateParam: string;
  outId: string;
  /** Beijing time, as QuerySendDetails reports it: "2026-12-02 09:30:00". */
  sendDate: string;
}

export interface FakeAliyun {
  endpoint: string;
  requests: FakeAliyunRequest[];
  stored: StoredSms[];
  /** Answers the next SendSms with this HTTP status and body instead of accepting it. */
  failNextSend: (status: number, body: Record<string, unknown>) => void;
  /** Answers the next SendSms only after this many milliseconds (longer than the SDK waits: a timeout). */
  delayNextSend: (ms: number) => void;
  /** Answers the next QuerySendDetails with this HTTP status and body. */
  failNextQuery: (status: number, body: Record<string, unknown>) => void;
  close: () => Promise<void>;
}

const beijing = (d: Date): string => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

export const startFakeAliyun = async (): Promise<FakeAliyun> => {
  const requests: FakeAliyunRequest[] = [];
  const stored: StoredSms[] = [];
  const sendFailures: Array<{ status: number; body: Record<string, unknown> }> = [];
  const queryFailures: Array<{ status: number; body: Record<string, unknown> }> = [];
  const delays: number[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://fake');
      const action = String(req.headers['x-acs-action'] ?? '');
      requests.push({ method: req.method ?? '', action, query: u.searchParams, authorization: String(req.headers.authorization ?? '') });
      const json = (status: number, body: unknown) => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      const q = u.searchParams;
      if (action === 'SendSms') {
        const f = sendFailures.shift();
        if (f) return json(f.status, f.body);
        n += 1;
        const sms: StoredSms = {
          bizId: `${String(900000000000000000n + BigInt(n))}^0`,
          phone: q.get('PhoneNumbers') ?? '',
          templateCode: q.get('TemplateCode') ?? '',
          templateParam: q.get('TemplateParam') ?? '',
          outId: q.get('OutId') ?? '',
          sendDate: beijing(new Date()),
        };
        stored.push(sms);
        const delay = delays.shift();
        const answer = () => json(200, { Code: 'OK', Message: 'OK', BizId: sms.bizId, RequestId: `req-${n}` });
        return delay ? void setTimeout(answer, delay).unref() : answer();
      }
      if (action === 'QuerySendDetails') {
        const f = queryFailures.shift();
        if (f) return json(f.status, f.body);
        const day = q.get('SendDate') ?? '';
        const all = stored.filter((s) => s.phone === q.get('PhoneNumber') && s.sendDate.slice(0, 10).replace(/-/g, '') === day);
        const size = Number(q.get('PageSize'));
        const page = Number(q.get('CurrentPage'));
        const rows = all.slice((page - 1) * size, page * size).map((s) => ({
          PhoneNum: s.phone,
          SendStatus: 3,
          ErrCode: 'DELIVERED',
          TemplateCode: s.templateCode,
          Content: '【民意服务站】…',
          SendDate: s.sendDate,
          ReceiveDate: s.sendDate,
          OutId: s.outId,
        }));
        return json(200, { Code: 'OK', Message: 'OK', RequestId: 'req-q', TotalCount: String(all.length), SmsSendDetailDTOs: { SmsSendDetailDTO: rows } });
      }
      return json(404, { Code: 'InvalidAction.NotFound', Message: 'not found', RequestId: 'req-x' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    requests,
    stored,
    failNextSend: (status, body) => sendFailures.push({ status, body }),
    delayNextSend: (ms) => delays.push(ms),
    failNextQuery: (status, body) => queryFailures.push({ status, body }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
