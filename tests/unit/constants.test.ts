/** The TABLE map names each content type's table exactly as its schema does (one map, no drift). */
import fs from 'fs';
import path from 'path';
import { TABLE, UID } from '../../plugins/complaints/server/src/constants';

const CT = path.resolve(__dirname, '../../plugins/complaints/server/src/content-types');

describe('TABLE and the content-type schemas', () => {
  it.each(Object.entries(UID))('%s: TABLE holds its collectionName', (key, uid) => {
    const folder = uid.replace('plugin::complaints.', '');
    const schema = JSON.parse(fs.readFileSync(path.join(CT, folder, 'schema.json'), 'utf8')) as { collectionName: string };
    expect(TABLE[key as keyof typeof TABLE]).toBe(schema.collectionName);
  });

  it('every content type has a UID', () => {
    const folders = fs.readdirSync(CT).filter((f) => fs.existsSync(path.join(CT, f, 'schema.json')));
    expect(folders.sort()).toEqual(Object.values(UID).map((u) => u.replace('plugin::complaints.', '')).sort());
  });
});
