/**
 * The admin's two languages hold the same keys, and every field and every enum value of every
 * Minyi content type has a label in both (cm/labels.ts): the Content Manager never falls back to
 * a field's name or a value's code.
 */
import fs from 'fs';
import path from 'path';
import en from '../../plugins/complaints/admin/src/translations/en.json';
import zh from '../../plugins/complaints/admin/src/translations/zh-Hans.json';
import { contentManagerMessages, DISPLAY_NAMES, fieldKey, fieldsFromMessages, valueKey } from '../../plugins/complaints/admin/src/cm/labels';

const CT = path.resolve(__dirname, '../../plugins/complaints/server/src/content-types');
interface Schema {
  info: { singularName: string; displayName: string };
  attributes: Record<string, { type: string; enum?: string[] }>;
  pluginOptions?: { complaints?: { listView?: string } };
}
const schemas: Schema[] = fs
  .readdirSync(CT)
  .filter((f) => fs.existsSync(path.join(CT, f, 'schema.json')))
  .map((f) => JSON.parse(fs.readFileSync(path.join(CT, f, 'schema.json'), 'utf8')) as Schema);
const languages: Array<[string, Record<string, string>]> = [
  ['en', en as Record<string, string>],
  ['zh-Hans', zh as Record<string, string>],
];

describe('the admin translations', () => {
  it('en and zh-Hans hold the same keys', () => {
    expect(Object.keys(zh).filter((k) => !(k in en))).toEqual([]);
    expect(Object.keys(en).filter((k) => !(k in zh))).toEqual([]);
  });

  it.each(schemas.map((s) => [s.info.singularName, s] as const))('%s: a name, a label for every field and every enum value, in both languages', (type, s) => {
    expect(DISPLAY_NAMES[type]).toBe(s.info.displayName);
    // The list hooks find the type from its schema (cm/minyi-lists.tsx).
    expect(s.pluginOptions?.complaints?.listView).toBe(type);
    for (const [lang, messages] of languages) {
      const missing: string[] = [];
      if (!messages[`cm.type.${type}.name`]) missing.push(`cm.type.${type}.name`);
      for (const [field, a] of Object.entries(s.attributes)) {
        if (!messages[fieldKey(type, field)]) missing.push(fieldKey(type, field));
        for (const v of a.enum ?? []) {
          const key = valueKey(type, field, v);
          if (!key || !messages[key]) missing.push(key ?? `${type}.${field}: no key for its values`);
        }
      }
      expect([lang, missing]).toEqual([lang, []]);
    }
  });

  it("gives the Content Manager's own keys: a field label and a type's name", () => {
    const m = contentManagerMessages(zh as Record<string, string>, fieldsFromMessages(zh as Record<string, string>));
    expect(m['content-manager.content-types.plugin::complaints.complaint.channel']).toBe('来源渠道');
    expect(m['content-manager.content-types.plugin::complaints.unit.createdAt']).toBe('创建时间');
    expect(m['Complaint 诉求']).toBe('诉求');
  });
});
