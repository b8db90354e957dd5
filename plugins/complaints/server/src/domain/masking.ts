/** How personal data appears on staff screens and public pages (DOMAIN.md, "Citizens' personal data"). */

/** 13812341234 → 138****1234; landlines keep their area code and last four digits. */
export const maskPhone = (phone: string | null | undefined): string | null => {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '****';
  if (digits.length === 11 && digits.startsWith('1')) return `${digits.slice(0, 3)}****${digits.slice(7)}`;
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
};

/** 张三 → 张某; 欧阳小明 → 欧阳某 for the common two-character surnames; Latin names → initial. */
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '长孙', '宇文', '司徒', '夏侯'];

export const maskName = (name: string | null | undefined): string | null => {
  if (!name) return null;
  const n = name.trim();
  if (!n) return null;
  if (/^[\u4e00-\u9fff]/.test(n)) {
    const compound = COMPOUND_SURNAMES.find((s) => n.startsWith(s) && n.length > s.length);
    return `${compound ?? n[0]}某`;
  }
  return `${n[0].toUpperCase()}.`;
};
