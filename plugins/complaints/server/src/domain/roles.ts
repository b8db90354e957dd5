/**
 * The admin roles of DOMAIN.md. `code` is the stable key (admin roles have a unique code);
 * names and descriptions are what the county sees in Settings → Roles.
 */
export const ROLE_CODES = {
  countyOffice: 'minyi-county-office',
  leadUnit: 'minyi-lead-unit',
  unitOperator: 'minyi-unit-operator',
  unitHead: 'minyi-unit-head',
  countyLeader: 'minyi-county-leader',
} as const;
export type RoleKey = keyof typeof ROLE_CODES;
export type RoleCode = (typeof ROLE_CODES)[RoleKey];

export interface RoleDefinition {
  key: RoleKey;
  code: RoleCode;
  name: string;
  description: string;
  /** Whether the role sees full phone numbers (others see 138****1234). */
  seesFullPhone: boolean;
}

export const ROLE_DEFINITIONS: readonly RoleDefinition[] = [
  {
    key: 'countyOffice',
    code: ROLE_CODES.countyOffice,
    name: '县整治办 County office',
    description: '配置类别、单位与阈值，导入台账，甄别、分类、交办、抽查、重新整改。Configures categories, units and thresholds; imports, screens, classifies, assigns, spot-checks and reopens.',
    seesFullPhone: true,
  },
  {
    key: 'leadUnit',
    code: ROLE_CODES.leadUnit,
    name: '牵头单位 Lead unit reviewer',
    description: '审核所牵头类别的整改措施，以牵头单位身份验收，处理重新整改申请（电话号码脱敏）。Reviews measures in the categories it leads, signs as lead unit, decides reopen requests (phones masked).',
    seesFullPhone: false,
  },
  {
    key: 'unitOperator',
    code: ROLE_CODES.unitOperator,
    name: '责任单位操作员 Unit operator',
    description: '受理、退回、归类共性问题、提交整改措施、上传成效佐证；不能修改原始台账字段。Accepts, sends back, groups, submits measures and uploads evidence for its own unit; never edits original fields.',
    seesFullPhone: true,
  },
  {
    key: 'unitHead',
    code: ROLE_CODES.unitHead,
    name: '责任单位负责人 Unit head',
    description: '以责任单位负责人身份验收本单位诉求（电话号码脱敏）。Signs off its unit\'s complaints as unit head (phones masked).',
    seesFullPhone: false,
  },
  {
    key: 'countyLeader',
    code: ROLE_CODES.countyLeader,
    name: '责任县领导 County leader',
    description: '只读查看全部诉求与统计，最后验收签字（电话号码脱敏）。Reads everything, signs last and sees dashboards (phones masked).',
    seesFullPhone: false,
  },
];
