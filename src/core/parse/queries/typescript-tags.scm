; Sleeptime tags for TypeScript (tree-sitter-typescript, tree-sitter-wasms build).

[
  (class_declaration name: (type_identifier) @name.definition.class)
  (abstract_class_declaration name: (type_identifier) @name.definition.class)
] @definition.class

(class
  name: (type_identifier) @name.definition.class) @definition.class

(interface_declaration
  name: (type_identifier) @name.definition.interface) @definition.interface

(type_alias_declaration
  name: (type_identifier) @name.definition.type) @definition.type

(enum_declaration
  name: (identifier) @name.definition.enum) @definition.enum

[
  (internal_module name: [(identifier) (nested_identifier)] @name.definition.module)
  (module name: [(identifier) (nested_identifier)] @name.definition.module)
] @definition.module

[
  (method_definition name: [(property_identifier) (private_property_identifier)] @name.definition.method)
  (abstract_method_signature name: [(property_identifier) (private_property_identifier)] @name.definition.method)
  (method_signature name: [(property_identifier) (private_property_identifier)] @name.definition.method)
] @definition.method

; A class field holding a function (`text = (body) => ...`) is a method bound to its instance.
(public_field_definition
  name: [(property_identifier) (private_property_identifier)] @name.definition.method
  value: [(arrow_function) (function_expression)]) @definition.method

[
  (function_declaration name: (identifier) @name.definition.function)
  (generator_function_declaration name: (identifier) @name.definition.function)
  (function_signature name: (identifier) @name.definition.function)
] @definition.function

(variable_declarator
  name: (identifier) @name.definition.function
  value: [(arrow_function) (function_expression) (generator_function)]) @definition.function

(assignment_expression
  left: (member_expression property: (property_identifier) @name.definition.function)
  right: [(arrow_function) (function_expression)]) @definition.function

(program
  (lexical_declaration
    (variable_declarator
      name: (identifier) @name.definition.constant
      value: [(string) (number) (object) (array) (template_string) (regex) (new_expression) (as_expression)]) @definition.constant))

; A module-level value built by a call is one of the module's names (`const blockquote = edit(...).getRegex()`);
; what `require` or `import()` hands back is another module's.
(program
  (lexical_declaration
    (variable_declarator
      name: (identifier) @name.definition.constant
      value: (call_expression function: (_) @_callee)) @definition.constant)
  (#not-match? @_callee "^(require|import)\\b"))

; An exported constant is API whatever builds it: `export const produce = immer.produce.bind(immer)`.
(program
  (export_statement
    declaration: (lexical_declaration
      (variable_declarator
        name: (identifier) @name.definition.constant
        value: [
          (string) (number) (object) (array) (template_string) (regex) (new_expression) (as_expression) (satisfies_expression)
          (call_expression) (member_expression) (identifier) (ternary_expression) (binary_expression) (await_expression)
          (parenthesized_expression) (subscript_expression)
        ]) @definition.constant)))

(call_expression
  function: (identifier) @name.reference.function)

(call_expression
  function: (member_expression property: (property_identifier) @name.reference.call))

(new_expression
  constructor: (identifier) @name.reference.call)

(extends_clause value: (identifier) @name.reference.inherit)

(extends_clause value: (member_expression property: (property_identifier) @name.reference.inherit))

(implements_clause (type_identifier) @name.reference.inherit)

(implements_clause (generic_type name: (type_identifier) @name.reference.inherit))

(extends_type_clause type: (type_identifier) @name.reference.inherit)

(extends_type_clause type: (generic_type name: (type_identifier) @name.reference.inherit))

(type_annotation (type_identifier) @name.reference.type)

(type_annotation (generic_type name: (type_identifier) @name.reference.type))

(type_arguments (type_identifier) @name.reference.type)

(import_statement source: (string) @import)

(import_require_clause source: (string) @import)

(export_statement source: (string) @import)

(call_expression
  function: (identifier) @_require
  arguments: (arguments . (string) @import)
  (#eq? @_require "require"))

(call_expression
  function: (import)
  arguments: (arguments . (string) @import))
