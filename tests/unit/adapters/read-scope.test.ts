/**
 * The read scope (Document Service middleware on admin reads): a masked role (unit head) sorting, filtering
 * or searching on the phone is a 400 naming the field; the county office making the same read
 * passes (positive control). Homepage widgets show a unit role no Minyi document.
 */
import { errors } from '@strapi/utils';
import { createReadScope } from '../../../plugins/complaints/server/src/document-middlewares/read-scope';
import { asLedgerWriter } from '../../../plugins/complaints/server/src/utils/ledger-writer';
import { adminRequest, fakeStrapi, refusal, type FakeStrapi } from './fake-strapi';

const COMPLAINT = 'plugin::complaints.complaint';
const OPERATOR = 'minyi-unit-operator';
const HEAD = 'minyi-unit-head';
const COUNTY = 'minyi-county-office';

let fake: FakeStrapi;
let scope: ReturnType<typeof createReadScope>;
let next: jest.Mock;

beforeEach(() => {
  fake = fakeStrapi();
  scope = createReadScope(fake.strapi);
  next = jest.fn(async () => [{ id: 1 }]);
});

const sortByPhone = () => ({ uid: COMPLAINT, action: 'findMany', params: { sort: [{ phone: 'asc' }] } });

describe('reads on a hidden field', () => {
  it('refuses a unit head sorting complaints by phone (400, zh / en)', async () => {
    fake.request = adminRequest([HEAD]);
    const e = await refusal(() => scope(sortByPhone(), next));
    expect(e).toBeInstanceOf(errors.ValidationError);
    expect(e.details).toEqual({ code: 'hidden_field_query', fields: ['phone'] });
    expect(e.message).toBe(
      '不能按您无权查看的字段排序、筛选或搜索：phone（搜索请勿输入连续 4 位以上数字，诉求编号请用筛选条件） / You cannot sort, filter or search on fields you cannot see: phone (a search may not contain 4 or more digits in a row; filter on the ledger number instead)'
    );
    expect(next).not.toHaveBeenCalled();
  });

  it('refuses a phone filter that only the raw query still carries', async () => {
    fake.request = adminRequest([HEAD], { query: { filters: { phone: { $eq: '19900001234' } } } });
    const e = await refusal(() => scope({ uid: COMPLAINT, action: 'count', params: {} }, next));
    expect(e).toBeInstanceOf(errors.ValidationError);
    expect(e.details).toEqual({ code: 'hidden_field_query', fields: ['phone'] });
    expect(next).not.toHaveBeenCalled();
  });

  it('positive control: the county office sorts by phone', async () => {
    fake.request = adminRequest([COUNTY]);
    await expect(scope(sortByPhone(), next)).resolves.toEqual([{ id: 1 }]);
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('positive control: the unit head sorts by ledger number', async () => {
    fake.request = adminRequest([HEAD]);
    await expect(scope({ uid: COMPLAINT, action: 'findMany', params: { sort: [{ ledgerNo: 'asc' }] } }, next)).resolves.toEqual([{ id: 1 }]);
  });

  it('leaves Minyi’s own services and reads outside an admin request alone', async () => {
    fake.request = adminRequest([HEAD]);
    await expect(asLedgerWriter(() => scope(sortByPhone(), next))).resolves.toEqual([{ id: 1 }]);
    fake.request = undefined;
    await expect(scope(sortByPhone(), next)).resolves.toEqual([{ id: 1 }]);
    expect(next).toHaveBeenCalledTimes(2);
  });
});

describe('homepage widgets', () => {
  const homepage = (codes: string[]) => adminRequest(codes, { path: '/content-manager/homepage/recent-documents' });

  it.each([
    ['findMany', []],
    ['count', 0],
    ['findOne', null],
  ])('a unit operator’s %s answers %p without reading', async (action, empty) => {
    fake.request = homepage([OPERATOR]);
    await expect(scope({ uid: COMPLAINT, action, params: {} }, next)).resolves.toEqual(empty);
    expect(next).not.toHaveBeenCalled();
  });

  it('positive control: the county office’s widget reads', async () => {
    fake.request = homepage([COUNTY]);
    await expect(scope({ uid: COMPLAINT, action: 'findMany', params: {} }, next)).resolves.toEqual([{ id: 1 }]);
    expect(next).toHaveBeenCalledTimes(1);
  });
});
