/**
 * Saved views of My work (domain/saved-views.ts): what a save keeps, and what it refuses, table-driven.
 */
import { isDomainError } from '../../../plugins/complaints/server/src/domain/errors';
import { parseSavedViews, storedViews } from '../../../plugins/complaints/server/src/domain/saved-views';

const codeOf = (body: unknown): string | null => {
  try {
    parseSavedViews(body);
    return null;
  } catch (e) {
    return isDomainError(e) ? e.code : `not a domain error: ${(e as Error).message}`;
  }
};

describe('parseSavedViews', () => {
  it.each<[string, unknown, Array<{ name: string; search: string }>]>([
    ['no view', { views: [] }, []],
    ['a queue and a town, the name trimmed, the query as URLSearchParams writes it', { views: [{ name: ' 城关 ', search: 'queue=rectifying&town=城关镇' }] }, [{ name: '城关', search: 'queue=rectifying&town=%E5%9F%8E%E5%85%B3%E9%95%87' }]],
    ['a filter without a queue, and a page', { views: [{ name: '红色', search: 'warningLevel=red&page=3' }] }, [{ name: '红色', search: 'warningLevel=red&page=3' }]],
    ['a name of exactly 40 characters', { views: [{ name: '名'.repeat(40), search: '' }] }, [{ name: '名'.repeat(40), search: '' }]],
  ])('keeps %s', (_what, body, expected) => expect(parseSavedViews(body)).toEqual(expected));

  it.each<[string, unknown, string]>([
    ['null', null, 'views_missing'],
    ['an array', [], 'views_missing'],
    ['views not a list', { views: 'a' }, 'views_missing'],
    ['21 views', { views: Array.from({ length: 21 }, (_, i) => ({ name: `v${i}`, search: '' })) }, 'too_many_views'],
    ['a view without a search', { views: [{ name: 'a' }] }, 'view_malformed'],
    ['a name of 41 characters', { views: [{ name: '名'.repeat(41), search: '' }] }, 'view_bad_name'],
    ['a name with a line break', { views: [{ name: 'a\nb', search: '' }] }, 'view_bad_name'],
    ['the same name twice', { views: [{ name: 'a', search: '' }, { name: ' a', search: '' }] }, 'view_repeated_name'],
    ['a search of 2,001 characters', { views: [{ name: 'a', search: `keyword=${'x'.repeat(1993)}` }] }, 'view_too_long'],
    ['a parameter twice', { views: [{ name: 'a', search: 'state=closed&state=invalid' }] }, 'view_repeated_parameter'],
    ['an unknown queue', { views: [{ name: 'a', search: 'queue=all' }] }, 'view_unknown_queue'],
    ['page 0', { views: [{ name: 'a', search: 'page=0' }] }, 'view_bad_page'],
    ['an unknown filter', { views: [{ name: 'a', search: 'colour=red' }] }, 'unknown_filter'],
    ['a personal field', { views: [{ name: 'a', search: 'address=x' }] }, 'private_filter'],
    ['a bad state', { views: [{ name: 'a', search: 'state=open' }] }, 'bad_filter_value'],
  ])('refuses %s', (_what, body, code) => expect(codeOf(body)).toBe(code));
});

describe('storedViews', () => {
  it('keeps the well-formed views of whatever was stored', () => {
    expect(storedViews([{ name: 'a', search: 'b' }, { name: 1 }, null, 'x'])).toEqual([{ name: 'a', search: 'b' }]);
    expect(storedViews(null)).toEqual([]);
    expect(storedViews({ views: [] })).toEqual([]);
  });
});
