import { describe, expect, it } from 'vitest';
import { rejectCategory } from '../../../src/domain/reject-reason.js';

describe('the category of a rejection reason', () => {
  it('should read «not an appeal» from the first words, in any case and spacing', () => {
    for (const reason of ['спам', 'Спам: продажа гаража', '  НЕ   обращение, просто разговор', 'реклама услуг', 'Не жалоба — благодарность', 'флуд']) {
      expect(rejectCategory(reason), reason).toBe('not_appeal');
    }
  });

  it('should take any other reason as the rejection of a real appeal', () => {
    for (const reason of ['не по адресу', 'дубль №12', 'Решено, спасибо', 'спамеры опять пишут? нет, это жалоба на домофон', 'рекламации не принимаем', '']) {
      expect(rejectCategory(reason), reason).toBe('other');
    }
  });
});
