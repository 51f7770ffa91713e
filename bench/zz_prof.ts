import { Store } from '../src/core/store/store';
import { RetrievalIndex } from '../src/core/retrieve/searchIndex';
import { packContext } from '../src/core/retrieve/pack';
import { diskReader } from '../src/core/ask';
(async () => {
  const root = '/tmp/h6/keep/typeorm_typeorm/src';
  let t = performance.now();
  const { store } = await Store.open('/tmp/h6/keep/typeorm_typeorm/store', { root });
  const notes = store.notes(); const files = store.files();
  console.log('open', Math.round(performance.now() - t), notes.length, files.size); t = performance.now();
  const idx = RetrievalIndex.build({ notes, files, readText: diskReader(root) });
  console.log('build', Math.round(performance.now() - t)); t = performance.now();
  const r = idx.rank('fix: guard metadata access in InsertQueryBuilder for raw-table upsert');
  console.log('rank', Math.round(performance.now() - t)); t = performance.now();
  const p = packContext('fix: guard metadata access in InsertQueryBuilder for raw-table upsert', idx, 2000);
  console.log('pack', Math.round(performance.now() - t), p.files.slice(0, 5)); t = performance.now();
  const body = notes.reduce((s, n) => s + n.body.length, 0); console.log('notes chars', body);
})();
