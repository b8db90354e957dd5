/**
 * How the Content Manager shows Minyi's types: useful list columns, bilingual labels, and the
 * original ledger fields (plus fields only the workflow may change, domain/workflow-fields.ts)
 * shown read-only.
 *
 * Layouts and labels are applied once per CONFIG_VERSION, so a county's own later changes to
 * columns survive restarts; the read-only flags are enforced on every boot.
 */
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { ORIGINAL_FIELDS } from '../domain/original-fields';
import { WORKFLOW_FIELDS } from '../domain/workflow-fields';

// 2: an event's edit view is titled by its ledger number, not by its type's code; surveys and
// SMS get a list and a main field (Strapi's default, the phone, is a field the county leader may
// not read, so its list could not sort by it).
const CONFIG_VERSION = 2;

const LABELS: Record<string, Record<string, string>> = {
  [UID.complaint]: {
    ledgerNo: '诉求编号 Ledger No.', receivedAt: '反映时间 Received', channel: '来源 Channel', complainantName: '反映人 Name',
    phone: '联系电话 Phone', town: '乡镇 Town', village: '村(社区) Village', address: '详细地址 Address', content: '诉求内容 Content',
    importBatch: '导入批次 Import batch', rawRow: '原始行 Raw row', state: '状态 State', summary: '公开摘要 Public summary',
    traceable: '可追溯 Traceable', invalidReason: '无效原因 Invalid reason', invalidNote: '无效说明 Note', duplicateOf: '重复于 Duplicate of',
    category: '诉求类别 Category', categoryCode: '类别代码 Category code', level: '解决层级 Level', responsibleUnit: '责任单位 Responsible unit',
    leadUnit: '牵头单位 Lead unit', problemGroup: '共性问题小类 Problem group', nature: '个性/共性 Nature', mode: '整改方式 Mode',
    assignedAt: '交办时间 Assigned', responseDeadline: '响应期限 Response deadline', acceptedAt: '受理时间 Accepted',
    deadline: '整改期限 Deadline', completedAt: '完成时间 Completed', closedAt: '办结时间 Closed', warningLevel: '预警 Warning',
    reopenCount: '重新整改次数 Reopens', satisfaction: '满意度 Satisfaction', chainSeq: '履历条数 Events', chainHash: '履历链头 Chain head',
  },
  [UID.category]: { code: '代码 Code', name: '名称 Name', tier: '层级 Tier', parent: '上级大类 Major', leadUnit: '牵头单位 Lead unit', responseDays: '响应天数 Response days' },
  [UID.unit]: { code: '代码 Code', name: '名称 Name', kind: '类型 Kind', isLead: '牵头单位 Lead', isResponsible: '责任单位 Responsible', town: '乡镇 Town', members: '成员 Members' },
};

interface TypeLayout {
  list: string[];
  mainField: string;
  sortBy: string;
  sortOrder: 'ASC' | 'DESC';
  relationMainFields?: Record<string, string>;
}

const LAYOUTS: Record<string, TypeLayout> = {
  [UID.complaint]: {
    list: ['ledgerNo', 'receivedAt', 'town', 'state', 'warningLevel', 'categoryCode', 'responsibleUnit', 'deadline'],
    mainField: 'ledgerNo', sortBy: 'receivedAt', sortOrder: 'DESC',
    relationMainFields: { category: 'name', responsibleUnit: 'name', leadUnit: 'name', problemGroup: 'name' },
  },
  [UID.category]: { list: ['code', 'name', 'tier', 'parent', 'leadUnit'], mainField: 'name', sortBy: 'code', sortOrder: 'ASC', relationMainFields: { parent: 'name', leadUnit: 'name', children: 'name' } },
  [UID.unit]: { list: ['code', 'name', 'kind', 'isLead', 'town'], mainField: 'name', sortBy: 'code', sortOrder: 'ASC', relationMainFields: { members: 'email', ledCategories: 'name' } },
  [UID.event]: { list: ['ledgerNo', 'seq', 'type', 'actorName', 'at', 'toState'], mainField: 'ledgerNo', sortBy: 'at', sortOrder: 'DESC' },
  [UID.problemGroup]: { list: ['code', 'name', 'categoryCode', 'unit'], mainField: 'name', sortBy: 'code', sortOrder: 'ASC', relationMainFields: { unit: 'name', category: 'name' } },
  [UID.routingRule]: { list: ['categoryCode', 'town', 'unit'], mainField: 'categoryCode', sortBy: 'categoryCode', sortOrder: 'ASC', relationMainFields: { unit: 'name' } },
  [UID.importBatch]: { list: ['code', 'fileName', 'status', 'importedCount', 'errorCount', 'startedAt'], mainField: 'code', sortBy: 'startedAt', sortOrder: 'DESC' },
  [UID.survey]: { list: ['complaintId', 'round', 'status', 'answer', 'sentAt', 'answeredAt'], mainField: 'complaintId', sortBy: 'sentAt', sortOrder: 'DESC' },
  [UID.smsMessage]: { list: ['complaintId', 'direction', 'template', 'status', 'attempts', 'sentAt'], mainField: 'complaintId', sortBy: 'createdAt', sortOrder: 'DESC' },
  [UID.jobRun]: { list: ['job', 'slot', 'instance', 'status', 'durationMs', 'changedCount'], mainField: 'slot', sortBy: 'startedAt', sortOrder: 'DESC' },
};

/** Internal keys not shown in the edit view (of a send, of its claim, of the provider's template). */
const HIDDEN_IN_EDIT: Record<string, readonly string[]> = {
  [UID.smsMessage]: ['idempotencyKey', 'claimedBy', 'templateKey'],
};

/** Read-only in the edit view, per type. Complaint events are written only by the ledger. */
const READ_ONLY: Record<string, readonly string[]> = {
  [UID.complaint]: [...ORIGINAL_FIELDS, ...WORKFLOW_FIELDS],
  [UID.category]: ['leadUnitId'],
};

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async apply(): Promise<void> {
    const cm = strapi.plugin('content-manager');
    if (!cm) return;
    const service = cm.service('content-types') as any;
    const store = strapi.store({ type: 'plugin', name: 'complaints' });
    const applied = Number((await store.get({ key: 'cm-config-version' })) ?? 0);

    for (const uid of new Set([...Object.keys(LAYOUTS), ...Object.keys(READ_ONLY), ...Object.keys(HIDDEN_IN_EDIT)])) {
      const contentType = strapi.contentType(uid as any);
      if (!contentType) continue;
      const current = await service.findConfiguration(contentType);
      const config = { settings: { ...current.settings }, metadatas: { ...current.metadatas }, layouts: { ...current.layouts } };
      const attrs = Object.keys((contentType as any).attributes);

      if (applied < CONFIG_VERSION && LAYOUTS[uid]) {
        const l = LAYOUTS[uid];
        config.layouts.list = l.list.filter((f) => attrs.includes(f));
        config.settings.mainField = l.mainField;
        config.settings.defaultSortBy = l.sortBy;
        config.settings.defaultSortOrder = l.sortOrder;
        config.settings.pageSize = 20;
        for (const [field, label] of Object.entries(LABELS[uid] ?? {})) {
          if (!config.metadatas[field]) continue;
          config.metadatas[field] = {
            ...config.metadatas[field],
            edit: { ...config.metadatas[field].edit, label },
            list: { ...config.metadatas[field].list, label },
          };
        }
        for (const [field, mainField] of Object.entries(l.relationMainFields ?? {})) {
          if (!config.metadatas[field]) continue;
          config.metadatas[field] = { ...config.metadatas[field], edit: { ...config.metadatas[field].edit, mainField } };
        }
      }
      for (const field of READ_ONLY[uid] ?? []) {
        if (!config.metadatas[field]) continue;
        config.metadatas[field] = { ...config.metadatas[field], edit: { ...config.metadatas[field].edit, editable: false } };
      }
      for (const field of HIDDEN_IN_EDIT[uid] ?? []) {
        if (!config.metadatas[field]) continue;
        config.metadatas[field] = { ...config.metadatas[field], edit: { ...config.metadatas[field].edit, visible: false } };
      }
      await service.updateConfiguration(contentType, config);
    }
    if (applied < CONFIG_VERSION) await store.set({ key: 'cm-config-version', value: CONFIG_VERSION });
  },
});
