/** Korean strings of the Timeline view. */
import type { MessageSchema } from '../en';

export const timelineKo: MessageSchema['timeline'] = {
  title: '타임라인',
  intro: '클러스터에서 일어난 모든 일을 최신순으로, Kafka 로그의 표현 그대로 보여 줍니다.',
  filters: '표시',
  filter: {
    faults: '장애',
    elections: '리더 선출',
    isr: 'ISR',
    rebalances: '리밸런스',
    scaling: '스케일링',
    config: '설정',
    loss: '데이터 유실',
    other: '기타',
  },
  search: '검색',
  searchPlaceholder: 'orders-0, broker 2, inventory…',
  shown: '전체 {total}개 중 {shown}개',
  empty: '이 필터에 맞는 항목이 없습니다.',
  nothingYet: '아직 일어난 일이 없습니다.',
  ongoing: '진행 중',
  lasted: '{seconds}초 동안',
  showOnCharts: '차트에서 보기',
  severity: {
    info: '정보',
    warn: '경고',
    error: '오류',
  },
};
