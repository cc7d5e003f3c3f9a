import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { loadCatalog } from '../../src/catalog/load.js';
import { parseMapping } from '../../src/catalog/csv.js';
import { QuiverError } from '../../src/errors.js';
import { tempDir } from '../helpers/tmp.js';

const GOOD = [
  { id: 'a:1', type: 'artist', title: 'Taylor Swift', popularity: 0.9 },
  {
    id: 't:1', type: 'track', title: 'Love Story', fields: { artist: 'Taylor Swift', album: 'Fearless' },
    attributes: { genre: { country: 0.8, pop: 0.6 }, mood: 'romantic' }, popularity: 0.87, released: '2008-09-12',
    relations: { artist: ['a:1'] },
  },
];

function file(name: string, content: string | Buffer): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}
const jsonl = (rows: unknown[]) => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n');

function refusal(path: string): QuiverError & { issues: Array<{ where: string; field: string; message: string }> } {
  try {
    loadCatalog(path);
  } catch (err) {
    assert.ok(err instanceof QuiverError);
    return err as never;
  }
  assert.fail('the catalogue should have been refused');
}

test('a valid JSONL catalogue loads, gzipped or not', () => {
  assert.deepEqual(loadCatalog(file('c.jsonl', jsonl(GOOD))).entities, GOOD);
  assert.deepEqual(loadCatalog(file('c.jsonl.gz', gzipSync(jsonl(GOOD)))).entities, GOOD);
});

test('each kind of bad row is named by file, line and field, and nothing is loaded', () => {
  const cases: Array<[unknown, string, RegExp]> = [
    ['{"id": "x", ', '(row)', /not valid JSON/],
    [{ type: 'track', title: 'No id' }, 'id', /required/],
    [{ id: 'x', type: 'track', title: '' }, 'title', /non-empty string/],
    [{ id: 'x', type: 'track', title: 'T', popularity: -1 }, 'popularity', /≥ 0/],
    [{ id: 'x', type: 'track', title: 'T', popularity: '5' }, 'popularity', /number/],
    [{ id: 'x', type: 'track', title: 'T', released: '2008-13-01' }, 'released', /ISO date/],
    [{ id: 'x', type: 'track', title: 'T', fields: { artist: 3 } }, 'fields.artist', /string/],
    [{ id: 'x', type: 'track', title: 'T', attributes: { genre: { pop: 1.5 } } }, 'attributes.genre', /\[0, 1\]/],
    [{ id: 'x', type: 'track', title: 'T', relations: { artist: 'a:1' } }, 'relations.artist', /array/],
    [{ id: 'x', type: 'track', title: 'T', popularty: 1 }, 'popularty', /not a catalogue field/],
    [{ id: 'a:1', type: 'track', title: 'Dup' }, 'id', /duplicates "a:1" \(first seen at c.jsonl:1\)/],
    [{ id: 'x', type: 'track', title: 'T', relations: { album: ['al:404'] } }, 'relations.album', /"al:404".*not in the catalogue/],
  ];
  for (const [row, field, message] of cases) {
    const err = refusal(file('c.jsonl', jsonl([...GOOD, row])));
    assert.equal(err.code, 'CATALOG_INVALID');
    assert.match(err.message, /nothing was loaded/);
    assert.equal(err.issues.length, 1, JSON.stringify(err.issues));
    assert.equal(err.issues[0].where, 'c.jsonl:3');
    assert.equal(err.issues[0].field, field);
    assert.match(err.issues[0].message, message);
  }
});

test('--skip-invalid loads the rest, and drops rows whose relations point at skipped rows', () => {
  const rows = [...GOOD, { id: 'al:1', type: 'album', title: 42 }, { id: 't:2', type: 'track', title: 'On Album', relations: { album: ['al:1'] } }];
  const { entities, skipped } = loadCatalog(file('c.jsonl', jsonl(rows)), { skipInvalid: true });
  assert.deepEqual(entities.map((e) => e.id), ['a:1', 't:1']);
  assert.deepEqual(skipped.map((s) => `${s.where} ${s.field}`), ['c.jsonl:3 title', 'c.jsonl:4 relations.album']);
});

test('CSV with a column mapping, constants, lists and weighted maps', () => {
  const csv = 'track_id,name,artist,genres,pop,year\n1,"Love Story, Pt. 2",Taylor Swift,country:0.8|pop:0.6,87,2008\n2,Shake It Off,Taylor Swift,pop,90,2014-08\n';
  const mapping = parseMapping("id=track_id,type='track',title=name,fields.artist=artist,attributes.genre=genres,popularity=pop,released=year");
  const { entities } = loadCatalog(file('songs.csv', csv), { csvMapping: mapping });
  assert.deepEqual(entities[0], {
    id: '1', type: 'track', title: 'Love Story, Pt. 2', fields: { artist: 'Taylor Swift' },
    attributes: { genre: { country: 0.8, pop: 0.6 } }, popularity: 87, released: '2008',
  });
  assert.equal(entities[1].released, '2014-08');
});

test('CSV errors name the line, and a mapping to a missing column is refused', () => {
  const csv = 'id,type,title,popularity\n1,track,Fine,1\n2,track,Bad,lots\n';
  const err = refusal(file('c.csv', csv));
  assert.equal(err.issues[0].where, 'c.csv:3');
  assert.equal(err.issues[0].field, 'popularity');
  assert.throws(() => loadCatalog(file('c.csv', csv), { csvMapping: parseMapping('id=nope,type=type,title=title') }), /column "nope"/);
  assert.throws(() => parseMapping('colour=x'), /not id, type, title/);
});

test('an unknown file format is refused', () => {
  assert.throws(() => loadCatalog(file('c.xml', '<x/>')), (e: QuiverError) => e.code === 'CATALOG_UNKNOWN_FORMAT');
});
