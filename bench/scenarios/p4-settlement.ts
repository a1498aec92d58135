export const p4 = {
  name: 'p4',
  title: 'settling an event with many matched bets',
  async run(): Promise<never> {
    throw new Error('not written yet');
  },
};
