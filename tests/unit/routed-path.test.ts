import { routedPath } from '../../plugins/complaints/server/src/utils';

/** [raw ctx.path, what the router matches]: written by hand. */
const CASES: Array<[string, string]> = [
  ['/content-manager/homepage/recent-documents', '/content-manager/homepage/recent-documents'],
  ['/CONTENT-MANAGER/homepage/recent-documents', '/content-manager/homepage/recent-documents'],
  ['/Content-Manager/HOMEPAGE/x', '/content-manager/homepage/x'],
  ['/content-manager/homepag%65/x', '/content-manager/homepage/x'],
  ['/content-manager/relations/plugin%3A%3Acomplaints.complaint/x', '/content-manager/relations/plugin::complaints.complaint/x'],
  ['/bad%E0%A4%A', '/bad%e0%a4%a'],
  ['', ''],
];

describe('routedPath', () => {
  it.each(CASES)('%s', (raw, expected) => {
    expect(routedPath(raw)).toBe(expected);
  });
});
