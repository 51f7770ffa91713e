// Which grammars the CLI compiles with the optimizing compiler: decided by the size of their code section.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeSectionBytes } from '../../src/core/parse/wasmCompiler';

/** A valid module with one function `() => void` of `nops` no-ops, and the size of its code section. */
function moduleWithNops(nops: number): { bytes: Uint8Array<ArrayBuffer>; codeBytes: number } {
  const leb = (n: number): number[] => {
    const out: number[] = [];
    do {
      out.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
      n >>>= 7;
    } while (n > 0);
    return out;
  };
  const section = (id: number, payload: number[]): number[] => [id, ...leb(payload.length), ...payload];
  const body = [0x00, ...new Array<number>(nops).fill(0x01), 0x0b]; // no locals, nop..., end
  const code = [0x01, ...leb(body.length), ...body];
  const bytes = Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x00, 0x00]), // one type: () -> ()
    ...section(3, [0x01, 0x00]), // one function of that type
    ...section(10, code),
  ]);
  return { bytes, codeBytes: code.length };
}

describe('codeSectionBytes', () => {
  it('measures the code section of a module, past the sections before it', () => {
    for (const nops of [1, 300, 20_000]) {
      const { bytes, codeBytes } = moduleWithNops(nops);
      assert.ok(new WebAssembly.Module(bytes), 'the module is valid');
      assert.equal(codeSectionBytes(bytes), codeBytes);
    }
  });

  it('is 0 for a module without code and for a truncated one', () => {
    const { bytes } = moduleWithNops(10);
    assert.equal(codeSectionBytes(bytes.subarray(0, 8)), 0);
    assert.equal(codeSectionBytes(bytes.subarray(0, 12)), 0);
  });
});
