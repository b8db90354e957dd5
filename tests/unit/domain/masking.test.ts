import { maskName, maskPhone } from '../../../plugins/complaints/server/src/domain/masking';

describe('masking', () => {
  it.each([
    ['13812341234', '138****1234'],
    ['138 1234 1234', '138****1234'],
    ['0571-88001234', '057****1234'],
    ['12345', '****'],
    [null, null],
  ])('phone %s → %s', (input, out) => {
    expect(maskPhone(input)).toBe(out);
  });

  it.each([
    ['张三', '张某'],
    ['欧阳小明', '欧阳某'],
    ['李', '李某'],
    ['Alice Smith', 'A.'],
    ['', null],
  ])('name %s → %s', (input, out) => {
    expect(maskName(input)).toBe(out);
  });
});
