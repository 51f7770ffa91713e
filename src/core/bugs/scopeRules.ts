import type { Node } from 'web-tree-sitter';
import type { Rule, RuleContext } from './rule';
import { FUNCTION_TYPES, isJsFamily, mentions, named, quote, startLine } from './syntax';

const PY_BUILTINS = new Set([
  'list', 'dict', 'id', 'type', 'input', 'str', 'set', 'len', 'max', 'min', 'sum', 'map', 'filter',
  'object', 'hash', 'iter', 'next', 'format', 'range', 'bytes', 'open', 'all', 'any', 'vars', 'dir', 'tuple', 'int', 'float',
]);

/** Names bound by a JS declaration pattern (identifier, or the plain names of an object/array pattern). */
function patternNames(pattern: Node | null): Node[] {
  if (!pattern) return [];
  if (pattern.type === 'identifier') return [pattern];
  if (pattern.type !== 'object_pattern' && pattern.type !== 'array_pattern') return [];
  return named(pattern).filter((c) => c.type === 'identifier' || c.type === 'shorthand_property_identifier_pattern');
}

/** A name bound by a declaration statement that starts at `start`. */
interface Binding {
  start: number;
  name: string;
  node: Node;
}

/** Per-file lookups of what JS scopes declare, cached by node id: each scope's children are read once. */
class JsScopes {
  private readonly declared = new Map<number, Binding[]>();
  private readonly params = new Map<number, { text: string; node: Node | null; byName?: Map<string, Node> }>();

  constructor(private readonly source: string) {}

  /** The first declaration made directly in `scope` before offset `before` that binds `name`. */
  declaredBefore(scope: Node, name: string, before: number): Node | null {
    let bindings = this.declared.get(scope.id);
    if (!bindings) {
      bindings = scopeBindings(scope);
      this.declared.set(scope.id, bindings);
    }
    for (const b of bindings) {
      if (b.start >= before) break;
      if (b.name === name) return b.node;
    }
    return null;
  }

  /** The first identifier named `name` in the parameters of `fn`. */
  param(fn: Node, name: string): Node | null {
    let entry = this.params.get(fn.id);
    if (!entry) {
      const node = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
      entry = { node, text: node ? this.source.slice(node.startIndex, node.endIndex) : '' };
      this.params.set(fn.id, entry);
    }
    // Most names are not in the parameter list at all: rule that out on its text before reading its nodes.
    if (!entry.node || !entry.text.includes(name)) return null;
    if (!entry.byName) {
      entry.byName = new Map();
      const ids = entry.node.type === 'identifier' ? [entry.node] : entry.node.descendantsOfType('identifier');
      for (const id of ids) if (id && !entry.byName.has(id.text) && bindsParameter(id, entry.node)) entry.byName.set(id.text, id);
    }
    return entry.byName.get(name) ?? null;
  }
}

/** Where names in a parameter list are types, not parameters: `(fn: (key: string) => void, pair: [first: A])`. */
const TYPE_CONTEXTS = new Set(['type_annotation', 'type_parameters', 'type_arguments']);

/** Whether identifier `id` in the parameter list `list` names a parameter, not a type's part or a default's value. */
function bindsParameter(id: Node, list: Node): boolean {
  for (let n: Node | null = id; n && n.id !== list.id; n = n.parent) {
    if (TYPE_CONTEXTS.has(n.type)) return false;
    const parent = n.parent;
    const valueField = parent?.type === 'assignment_pattern' ? 'right' : parent?.type === 'required_parameter' || parent?.type === 'optional_parameter' ? 'value' : undefined;
    if (valueField && parent!.childForFieldName(valueField)?.id === n.id) return false;
  }
  return true;
}

/** Names bound by the declaration statements directly in a JS scope node, in source order. */
function scopeBindings(scope: Node): Binding[] {
  const out: Binding[] = [];
  const decls = scope.type === 'for_statement' ? [scope.childForFieldName('initializer')] : named(scope);
  for (const d of decls) {
    if (!d) break;
    if (d.type !== 'lexical_declaration' && d.type !== 'variable_declaration') continue;
    const start = d.startIndex;
    for (const v of named(d)) {
      if (v.type !== 'variable_declarator') continue;
      for (const n of patternNames(v.childForFieldName('name'))) out.push({ start, name: n.text, node: n });
    }
  }
  return out;
}

/** JS/TS: `let`/`const` in an inner block redeclaring a local or parameter of the same function. */
export function jsShadowRules(ctx: RuleContext): Rule | null {
  if (!isJsFamily(ctx.language)) return null;
  const scopes = new JsScopes(ctx.source);
  return {
    enter: {
      lexical_declaration: (decl) => {
        const scope = decl.parent;
        if (!scope || FUNCTION_TYPES.has(scope.parent?.type ?? '') || scope.type === 'program') return;
        for (const v of named(decl)) {
          if (v.type !== 'variable_declarator') continue;
          for (const id of patternNames(v.childForFieldName('name'))) {
            const name = id.text;
            // A shadowed name is written at least twice.
            if (ctx.occurrences(name) < 2) continue;
            const outer = findOuterJs(scopes, scope, name);
            if (!outer) continue;
            ctx.report('shadowed-variable', 0.35,
              `${quote(decl.text)} in this inner block shadows \`${name}\` declared at line ${startLine(outer)}; reads and writes here do not touch the outer one.`,
              decl);
          }
        }
      },
    },
  };
}

function findOuterJs(scopes: JsScopes, scope: Node, name: string): Node | null {
  let child: Node = scope;
  for (let p = scope.parent; p; child = p, p = p.parent) {
    if (FUNCTION_TYPES.has(p.type)) return scopes.param(p, name);
    if (p.type === 'statement_block' || p.type === 'for_statement' || p.type === 'switch_body') {
      const hit = scopes.declaredBefore(p, name, child.startIndex);
      if (hit) return hit;
    }
    if (p.type === 'program') return null;
  }
  return null;
}

const GO_FUNCS = new Set(['function_declaration', 'method_declaration', 'func_literal']);
const GO_ERR_DECL = /(^|[\s,])err\s*(,[^:=]*)?:=|\bvar\s+err\b/;

/** Go: `x, err :=` inside an inner block shadowing an outer `err` that is read after the block. */
export function goShadowRules(ctx: RuleContext): Rule | null {
  if (ctx.language !== 'go') return null;
  return {
    enter: {
      short_var_declaration: (decl) => {
        const left = decl.childForFieldName('left');
        if (!left || !named(left).some((n) => n.text === 'err')) return;
        const block = decl.parent;
        if (block?.type !== 'block' || GO_FUNCS.has(block.parent?.type ?? '')) return;
        if (checkedInBlock(block, decl)) return;
        let inner: Node = block;
        for (let p = block.parent; p; inner = p, p = p.parent) {
          if (GO_FUNCS.has(p.type)) {
            const sig = `${p.childForFieldName('parameters')?.text ?? ''} ${p.childForFieldName('result')?.text ?? ''}`;
            if (!mentions(sig, 'err')) return;
            const body = p.childForFieldName('body');
            if (body && mentions(ctx.source.slice(inner.endIndex, body.endIndex), 'err')) report(ctx, decl, startLine(p));
            return;
          }
          if (p.type !== 'block') continue;
          const outer = named(p).find((s) => s.startIndex < inner.startIndex &&
            (s.type === 'short_var_declaration' || s.type === 'var_declaration') && GO_ERR_DECL.test(s.text));
          if (!outer) continue;
          const after = named(p).filter((s) => s.startIndex >= inner.endIndex);
          if (after.some((s) => mentions(s.text, 'err'))) report(ctx, decl, startLine(outer));
          return;
        }
      },
    },
  };
}

/**
 * Whether the `err` that `decl` declares is checked (`if err != nil`, `return ..., err`) later in its own block:
 * the failure is handled there, and the outer `err` was never meant to carry it.
 */
function checkedInBlock(block: Node, decl: Node): boolean {
  return named(block).some((s) => s.startIndex > decl.endIndex && (
    (s.type === 'if_statement' && mentions(s.childForFieldName('condition')?.text ?? '', 'err')) ||
    (s.type === 'return_statement' && mentions(s.text, 'err'))));
}

function report(ctx: RuleContext, decl: Node, outerLine: number): void {
  ctx.report('shadowed-variable', 0.55,
    `${quote(decl.text)} declares a new \`err\` in this inner block, shadowing the one from line ${outerLine}; the outer \`err\` read after the block never sees this failure.`,
    decl);
}

/** Python: locals and parameters named after builtins (`list`, `dict`, `id`, `type`, ...). */
export function pythonShadowRules(ctx: RuleContext): Rule | null {
  if (ctx.language !== 'python') return null;
  const enclosing = (n: Node): Node | null => {
    for (let p = n.parent; p; p = p.parent) {
      if (p.type === 'function_definition') return p;
      if (p.type === 'class_definition') return null;
    }
    return null;
  };
  /**
   * Per function (by node id): the builtin names already reported as rebound there, or bound by its parameters: a
   * parameter named `type` or `filter` is part of an API, and a call to it calls the argument on purpose.
   */
  const rebound = new Map<number, Set<string>>();
  return {
    enter: {
      assignment: (node) => {
        const left = node.childForFieldName('left');
        const fn = left?.type === 'identifier' && PY_BUILTINS.has(left.text) ? enclosing(node) : null;
        if (!fn) return;
        const name = left!.text;
        // One finding per name and function, at its first assignment; none for a parameter's name.
        let names = rebound.get(fn.id);
        if (!names) rebound.set(fn.id, (names = new Set(paramNames(fn))));
        if (names.has(name)) return;
        names.add(name);
        // Only a call after it is at risk: `id = row["id"]` in a function that never calls `id()` is a name, not a bug.
        if (!new RegExp(`(?<![\\w.])${name}\\s*\\(`).test(ctx.source.slice(node.endIndex, fn.endIndex))) return;
        ctx.report('shadowed-builtin', 0.5,
          `${quote(node.text)} rebinds the builtin \`${name}\`, and the function calls \`${name}()\` after it: that call gets this value.`, node);
      },
    },
  };
}

/** The identifier a Python parameter binds (`x`, `x: int`, `x=1`), or null for `*args`-style and patterns. */
function paramName(p: Node): Node | null {
  const id = p.type === 'identifier' ? p : p.childForFieldName('name') ?? named(p)[0];
  return id?.type === 'identifier' ? id : null;
}

/** Names of the parameters of a Python function. */
function paramNames(fn: Node): string[] {
  const params = fn.childForFieldName('parameters');
  return params ? named(params).flatMap((p) => paramName(p)?.text ?? []) : [];
}
