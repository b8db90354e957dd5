/**
 * Demo units: the 34 lead units of the taxonomy plus 87 more responsible units (townships,
 * public enterprises and county institutions): 121 responsible units in all, 34 of them leads.
 */
import { DEMO_LEAD_UNITS } from './taxonomy';

export const DEMO_TOWNS: string[] = [
  '城关镇', '东坝镇', '西河镇', '南山乡', '北岭镇', '青石镇', '白沙镇', '桃源乡', '龙泉镇', '金溪镇',
  '柳湾乡', '石门镇', '高桥镇', '马坪镇', '清水乡', '长岭镇', '新华镇', '双河镇', '花园乡', '太平镇',
];

const ENTERPRISES = [
  '国网县供电公司', '县自来水有限公司', '县燃气有限公司', '中国移动县分公司', '中国电信县分公司',
  '中国联通县分公司', '县公共交通有限公司', '县城市建设投资有限公司', '县广电网络有限公司', '县邮政分公司',
];

const INSTITUTIONS = [
  '县消防救援大队', '县档案馆', '县人民医院', '县中医院', '县妇幼保健院', '县疾病预防控制中心',
  '县第一中学', '县实验小学', '县职业技术学校', '县公路事业发展中心', '县交通运输综合行政执法大队',
  '县农业综合行政执法大队', '县市场监管综合行政执法大队', '县城市管理综合行政执法大队',
  '县生态环境保护综合行政执法大队', '县文化市场综合行政执法大队', '县住房公积金管理中心',
  '县不动产登记中心', '县医疗保障事务中心', '县社会保险事业中心', '县就业服务中心',
  '县劳动人事争议仲裁院', '县公共资源交易中心', '县融媒体中心', '县图书馆', '县文化馆', '县体育中心',
  '县林业技术推广站', '县水利工程管理站', '县农业技术推广中心', '县动物疫病预防控制中心',
  '县自然资源执法大队', '县公安局交通警察大队', '县公安局城关派出所', '县公安局出入境管理大队',
  '县救助管理站', '县社会福利院', '县殡仪馆', '县残疾人联合会', '县共青团委员会', '县科学技术协会',
  '县工商业联合会', '县财政局', '县民族宗教事务局', '县人民法院诉讼服务中心', '县法律援助中心',
  '县公证处', '县烟草专卖局', '县粮食和物资储备中心', '县经济开发区管理委员会', '县园区建设服务中心',
  '县城乡规划设计院', '县环境卫生管理所', '县园林绿化中心', '县排水管理所', '县路灯管理所', '县第二中学',
];

export interface DemoUnit {
  code: string;
  name: string;
  kind: 'department' | 'township' | 'enterprise' | 'other';
  isLead: boolean;
  town?: string;
}

export const DEMO_UNITS: DemoUnit[] = [
  ...DEMO_LEAD_UNITS.map((name, i) => ({
    code: `D${String(i + 1).padStart(3, '0')}`,
    name,
    kind: (name.includes('公司') ? 'enterprise' : 'department') as DemoUnit['kind'],
    isLead: true,
  })),
  ...DEMO_TOWNS.map((name, i) => ({ code: `T${String(i + 1).padStart(3, '0')}`, name: `${name}人民政府`, kind: 'township' as const, isLead: false, town: name })),
  ...ENTERPRISES.map((name, i) => ({ code: `E${String(i + 1).padStart(3, '0')}`, name, kind: 'enterprise' as const, isLead: false })),
  ...INSTITUTIONS.map((name, i) => ({ code: `I${String(i + 1).padStart(3, '0')}`, name, kind: 'other' as const, isLead: false })),
];
