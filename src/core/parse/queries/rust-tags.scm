; Sleeptime tags for Rust (tree-sitter-rust, tree-sitter-wasms build).

(struct_item
  name: (type_identifier) @name.definition.struct) @definition.struct

(union_item
  name: (type_identifier) @name.definition.struct) @definition.struct

(enum_item
  name: (type_identifier) @name.definition.enum) @definition.enum

(trait_item
  name: (type_identifier) @name.definition.trait) @definition.trait

(type_item
  name: (type_identifier) @name.definition.type) @definition.type

(mod_item
  name: (identifier) @name.definition.module) @definition.module

[
  (function_item name: (identifier) @name.definition.function)
  (function_signature_item name: (identifier) @name.definition.function)
] @definition.function

(macro_definition
  name: (identifier) @name.definition.function) @definition.function

[
  (const_item name: (identifier) @name.definition.constant)
  (static_item name: (identifier) @name.definition.constant)
] @definition.constant

(impl_item
  type: [
    (type_identifier) @name.scope
    (generic_type type: (type_identifier) @name.scope)
    (scoped_type_identifier name: (type_identifier) @name.scope)
  ]) @scope

(impl_item
  trait: [
    (type_identifier) @name.reference.inherit
    (generic_type type: (type_identifier) @name.reference.inherit)
    (scoped_type_identifier name: (type_identifier) @name.reference.inherit)
  ])

(call_expression
  function: (identifier) @name.reference.function)

(call_expression
  function: (field_expression field: (field_identifier) @name.reference.call))

(call_expression
  function: (scoped_identifier name: (identifier) @name.reference.call))

; The type a path goes through: `Arg::new(...)`, `Color::Red` use `Arg` and `Color`.
(scoped_identifier path: (identifier) @name.reference.type)

(call_expression
  function: (generic_function function: (identifier) @name.reference.call))

(macro_invocation
  macro: (identifier) @name.reference.call)

(struct_expression
  name: (type_identifier) @name.reference.type)

(parameter type: (type_identifier) @name.reference.type)

(parameter type: (reference_type type: (type_identifier) @name.reference.type))

(field_declaration type: (type_identifier) @name.reference.type)

(function_item return_type: (type_identifier) @name.reference.type)

(type_arguments (type_identifier) @name.reference.type)

(use_declaration argument: (_) @import)

(extern_crate_declaration name: (identifier) @import)
