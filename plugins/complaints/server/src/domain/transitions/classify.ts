/**
 * 分类: the county office files a demand under a minor category, at a level, with a responsible
 * unit (chosen, or the routing table's default); the lead unit comes from the category.
 */
import { LEVELS, type Level } from '../terms';
import { invalid, oneOf, parseFields } from './input';
import type { Verb } from './types';

const fields = { level: oneOf('level', '解决层级', LEVELS) };

export const classify: Verb<{ level: Level }> = {
  action: 'classify',
  input: (raw) => parseFields(raw, fields),
  plan(_c, { level }, facts) {
    const cat = facts.category;
    if (!cat) throw invalid('invalid_input', '诉求小类不存在', 'Unknown minor category', { field: 'categoryCode' });
    if (cat.tier !== 'minor') throw invalid('invalid_input', `类别 ${cat.code} 是大类，请选择小类`, `Category ${cat.code} is a major category; choose a minor one`, { field: 'categoryCode' });
    const unit = facts.responsibleUnit;
    if (!unit) throw invalid('missing_input', '缺少责任单位，且交办规则中没有对应的单位', 'No responsible unit given, and no routing rule matches', { field: 'responsibleUnitId' });
    if (!unit.isResponsible) throw invalid('invalid_input', '所选单位不是责任单位', 'The chosen unit is not a responsible unit', { field: 'responsibleUnitId' });
    if (!cat.leadUnitId) throw invalid('invalid_input', `类别 ${cat.code} 未设置牵头单位`, `Category ${cat.code} has no lead unit`, { field: 'categoryCode' });
    return {
      patch: {
        categoryCode: cat.code,
        majorCategoryCode: cat.majorCode,
        level,
        responsibleUnitId: unit.id,
        leadUnitId: cat.leadUnitId,
        invalidReason: null,
      },
      relations: { category: cat.id, responsibleUnit: unit.id, leadUnit: cat.leadUnitId },
      eventData: { categoryCode: cat.code, level, responsibleUnitId: unit.id, leadUnitId: cat.leadUnitId },
    };
  },
};
