/**
 * Writes a tiny BERT-shaped sentence model into a directory, so the plugin's tests run offline with no
 * downloaded weights: a WordPiece tokenizer.json over a dozen words, and an ONNX graph (encoded here by hand,
 * protobuf wire format) whose "last hidden state" is each token's row of a fixed embedding table, masked by the
 * attention mask. Words of one topic share a direction, so mean pooling gives topical similarity.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Topic of each word: its embedding is the unit vector of that axis. */
const WORDS = { sad: 0, melancholy: 0, tears: 0, latin: 1, reggaeton: 1, salsa: 1, love: 2, heart: 2, dance: 3, party: 3 };
const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];
const HIDDEN = 4;

// Protobuf wire format, just what ONNX's ModelProto needs.
const varint = (n) => {
  const out = [];
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
};
const bytes = (field, data) => [...varint((field << 3) | 2), ...varint(data.length), ...data];
const str = (field, text) => bytes(field, [...Buffer.from(text, 'utf8')]);
const int = (field, n) => [...varint(field << 3), ...varint(n)];

const FLOAT = 1;
const INT64 = 7;
const tensorType = (elemType, dims) => bytes(1, [...int(1, elemType), ...bytes(2, dims.flatMap((d) => bytes(1, typeof d === 'string' ? str(2, d) : int(1, d))))]);
const valueInfo = (name, elemType, dims) => [...str(1, name), ...bytes(2, tensorType(elemType, dims))];
const tensor = (name, dataType, dims, raw) => [...dims.flatMap((d) => int(1, d)), ...int(2, dataType), ...str(8, name), ...bytes(9, [...raw])];
const node = (op, inputs, outputs, attributes = []) => [...inputs.flatMap((i) => str(1, i)), ...outputs.flatMap((o) => str(2, o)), ...str(4, op), ...attributes.flatMap((a) => bytes(5, a))];
const intAttribute = (name, value) => [...str(1, name), ...int(3, value), ...int(20, 2)];

export function writeTinyModel(dir) {
  const vocab = [...SPECIAL, ...Object.keys(WORDS)];
  const table = new Float32Array(vocab.length * HIDDEN);
  vocab.forEach((word, id) => {
    if (word in WORDS) table[id * HIDDEN + WORDS[word]] = 1;
  });
  const graph = [
    ...bytes(1, node('Gather', ['embeddings', 'input_ids'], ['hidden'])),
    ...bytes(1, node('Cast', ['attention_mask'], ['mask_float'], [intAttribute('to', FLOAT)])),
    ...bytes(1, node('Unsqueeze', ['mask_float', 'last_axis'], ['mask_3d'])),
    ...bytes(1, node('Mul', ['hidden', 'mask_3d'], ['last_hidden_state'])),
    ...str(2, 'tiny-topic-model'),
    ...bytes(5, tensor('embeddings', FLOAT, [vocab.length, HIDDEN], new Uint8Array(table.buffer))),
    ...bytes(5, tensor('last_axis', INT64, [1], new Uint8Array(BigInt64Array.of(2n).buffer))),
    ...bytes(11, valueInfo('input_ids', INT64, ['batch', 'sequence'])),
    ...bytes(11, valueInfo('attention_mask', INT64, ['batch', 'sequence'])),
    ...bytes(12, valueInfo('last_hidden_state', FLOAT, ['batch', 'sequence', HIDDEN])),
  ];
  const model = [...int(1, 8), ...str(2, 'quiver-test'), ...bytes(8, [...str(1, ''), ...int(2, 13)]), ...bytes(7, graph)];
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(join(dir, 'onnx', 'model.onnx'), Uint8Array.from(model));
  const added = SPECIAL.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify({
    version: '1.0', truncation: null, padding: null, added_tokens: added,
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: { type: 'BertProcessing', sep: ['[SEP]', 3], cls: ['[CLS]', 2] },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(vocab.map((w, i) => [w, i])) },
  }));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({
    tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 128, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]',
  }));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', architectures: ['BertModel'], hidden_size: HIDDEN, vocab_size: vocab.length }));
  return { dimensions: HIDDEN };
}
