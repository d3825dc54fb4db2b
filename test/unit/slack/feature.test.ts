import { mergeSubcommands } from '../../../src/slack/feature';

const handler = () => Promise.resolve();

describe('the /certs table built from the features', () => {
  it('holds every word of every feature, each with its own handler', () => {
    const status = () => Promise.resolve();
    const table = mergeSubcommands([{ subcommands: { csr: handler } }, {}, { subcommands: { status } }]);
    expect(Object.keys(table).sort()).toEqual(['csr', 'status']);
    expect(table.status).toBe(status);
  });

  it('refuses two features answering the same word instead of letting the later one win', () => {
    expect(() => mergeSubcommands([{ subcommands: { audit: handler } }, { subcommands: { audit: handler } }])).toThrow(
      'two features answer /certs audit',
    );
  });
});
