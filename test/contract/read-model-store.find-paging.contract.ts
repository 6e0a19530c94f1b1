/**
 * The ReadModelStore contract, continued: case-insensitive `contains` and keyset paging (`after`),
 * which the API's lists page with. Called from readModelStoreContract with its fresh store.
 */
import { beforeEach, describe, expect, it } from '@jest/globals';
import { sortKeyOf, type FindQuery, type ReadModelStore, type ViewChange, type ViewDocument } from '#read-models';

type Launch = ViewDocument & { name: string; product: string; targetDate?: string | null; percent?: number };

const launch = (id: string, name: string, product: string, targetDate: string | null | undefined, percent?: number): Launch => ({
  id,
  position: 1,
  name,
  product,
  ...(targetDate !== undefined && { targetDate }),
  ...(percent !== undefined && { percent }),
});

const put = (doc: ViewDocument): ViewChange => ({ kind: 'put', collection: 'launches', doc });
const ids = (docs: ViewDocument[]): string[] => docs.map((d) => d.id);

export function findPagingContract(context: { store: () => ReadModelStore; commit: (changes: ViewChange[]) => Promise<void> }): void {
  const find = (query: FindQuery) => context.store().find<Launch>('launches', query);

  /** Every page of `query` with `limit`, each continued after the last document of the one before. */
  async function pages(query: FindQuery, limit: number): Promise<string[][]> {
    const result: string[][] = [];
    let after: FindQuery['after'];
    for (let guard = 0; guard < 50; guard++) {
      const page = await find({ ...query, limit, ...(after && { after }) });
      if (page.length === 0) return result;
      result.push(ids(page));
      after = sortKeyOf(page.at(-1)!, query.orderBy);
    }
    throw new Error('paging did not end');
  }

  describe('find: contains and keyset paging', () => {
    beforeEach(async () => {
      await context.commit([
        put(launch('a', 'Aurora GA', 'Aurora', '2030-03-01', 40)),
        put(launch('b', 'Borealis beta', 'Sky Platform', '2030-01-15', 100)),
        put(launch('c', 'Café launch', 'CAFÉ Suite', '2030-01-15', 40)),
        put(launch('d', 'Delta', 'aurora add-on', '2030-02-01', 0)),
        put(launch('e', 'Echo [100%] (x)', 'Echo', null, 75)),
        put(launch('f', 'Foxtrot', 'Fox', undefined, 40)),
        put({ id: 'n', position: 1, name: 'November', product: 7 } as unknown as Launch),
      ]);
    });

    it('contains: a case-insensitive substring of any of the fields, regex characters taken literally', async () => {
      const matching = (text: string) => find({ contains: { fields: ['name', 'product'], text }, orderBy: [{ field: 'id' }] });
      expect(ids(await matching('AURORA'))).toEqual(['a', 'd']);
      expect(ids(await matching('sky'))).toEqual(['b']);
      expect(ids(await matching('café'))).toEqual(['c']);
      expect(ids(await matching('[100%] (X)'))).toEqual(['e']);
      expect(ids(await matching('.*'))).toEqual([]);
      expect(ids(await matching('nothing like it'))).toEqual([]);
      expect(ids(await find({ contains: { fields: ['product'], text: 'fox' } }))).toEqual(['f']);
      await context.store().ensureIndexes('launches', [['name'], ['product']]);
      expect(ids(await matching('AURORA'))).toEqual(['a', 'd']);
      // combined with equality, order and limit
      expect(ids(await find({ where: { percent: 40 }, contains: { fields: ['name', 'product'], text: 'A' }, orderBy: [{ field: 'name' }], limit: 1 }))).toEqual(
        ['a'],
      );
    });

    it('after: each document exactly once, in order, for every direction and with ties', async () => {
      const queries: FindQuery[] = [
        { orderBy: [{ field: 'targetDate' }, { field: 'name' }] },
        { orderBy: [{ field: 'targetDate', direction: 'desc' }] },
        { orderBy: [{ field: 'percent' }] },
        {
          orderBy: [
            { field: 'percent', direction: 'desc' },
            { field: 'name', direction: 'desc' },
          ],
        },
        { orderBy: [{ field: 'id', direction: 'desc' }] },
        { where: { percent: 40 }, orderBy: [{ field: 'name', direction: 'desc' }] },
        {},
      ];
      for (const indexed of [false, true]) {
        // With the sort fields indexed the SQLite adapter reads them from columns: the same answers.
        if (indexed) await context.store().ensureIndexes('launches', [['targetDate', 'name'], ['percent'], ['name']]);
        for (const query of queries) {
          const whole = ids(await find(query));
          for (const limit of [1, 2, 3, 100]) {
            const paged = await pages(query, limit);
            expect(paged.flat()).toEqual(whole);
            expect(paged.every((page) => page.length <= limit)).toBe(true);
          }
        }
      }
      // null and missing sort first ascending, last descending
      expect(
        ids(await find({ orderBy: [{ field: 'targetDate' }] }))
          .slice(0, 3)
          .sort(),
      ).toEqual(['e', 'f', 'n']);
      expect(ids(await find({ orderBy: [{ field: 'targetDate', direction: 'desc' }] })).slice(0, 2)).toEqual(['a', 'd']);
    });

    it('after: a document added before the cursor is not seen, one added after it is, none twice', async () => {
      const orderBy: FindQuery['orderBy'] = [{ field: 'targetDate' }, { field: 'name' }];
      const first = await find({ where: { percent: 40 }, orderBy, limit: 2 });
      expect(ids(first)).toEqual(['f', 'c']);
      await context.commit([put(launch('g', 'Golf', 'Golf', '2000-01-01', 40)), put(launch('h', 'Hotel', 'Hotel', '2031-01-01', 40))]);
      const rest = await find({ where: { percent: 40 }, orderBy, after: sortKeyOf(first[1]!, orderBy) });
      expect(ids(rest)).toEqual(['a', 'h']);
    });

    it('after: the key of a document that no longer exists still continues in place', async () => {
      const orderBy: FindQuery['orderBy'] = [{ field: 'name' }];
      expect(ids(await find({ orderBy, after: ['Charlie', 'zz'] }))).toEqual(['d', 'e', 'f', 'n']);
      expect(ids(await find({ orderBy: [{ field: 'name', direction: 'desc' }], after: ['Charlie', 'zz'] }))).toEqual(['c', 'b', 'a']);
    });

    it('rejects a malformed contains or after', async () => {
      await expect(find({ contains: { fields: [], text: 'x' } })).rejects.toThrow(TypeError);
      await expect(find({ contains: { fields: ['name'], text: 1 as never } })).rejects.toThrow(TypeError);
      await expect(find({ contains: { fields: ["a') OR 1=1 --"], text: 'x' } })).rejects.toThrow();
      await expect(find({ orderBy: [{ field: 'name' }], after: ['x'] })).rejects.toThrow(TypeError);
      await expect(find({ orderBy: [{ field: 'name' }], after: [{}, 'x'] as never })).rejects.toThrow(TypeError);
      await expect(find({ after: [Number.NaN] })).rejects.toThrow(TypeError);
    });
  });
}
