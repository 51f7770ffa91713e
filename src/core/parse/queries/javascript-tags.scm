; Sleeptime tags for JavaScript (tree-sitter-javascript, tree-sitter-wasms build).

(class_declaration
  name: (identifier) @name.definition.class) @definition.class

(class
  name: (identifier) @name.definition.class) @definition.class

(method_definition
  name: [(property_identifier) (private_property_identifier)] @name.definition.method) @definition.method

; A class field holding a function (`text = (body) => ...`) is a method bound to its instance.
(field_definition
  property: [(property_identifier) (private_property_identifier)] @name.definition.method
  value: [(arrow_function) (function_expression)]) @definition.method

[
  (function_declaration name: (identifier) @name.definition.function)
  (generator_function_declaration name: (identifier) @name.definition.function)
] @definition.function

(variable_declarator
  name: (identifier) @name.definition.function
  value: [(arrow_function) (function_expression) (generator_function)]) @definition.function

(assignment_expression
  left: (member_expression property: (property_identifier) @name.definition.function)
  right: [(arrow_function) (function_expression)]) @definition.function

; What a CommonJS module exports by name: `exports.createLogger = require('./create-logger')`, `module.exports.format = format`.
(program
  (expression_statement
    (assignment_expression
      left: (member_expression object: (_) @_owner property: (property_identifier) @name.definition.constant)
      right: [(call_expression) (identifier) (member_expression) (object) (new_expression) (string) (number) (template_string) (array)]) @definition.constant)
  (#match? @_owner "^(module\\.)?exports$"))

(pair
  key: (property_identifier) @name.definition.function
  value: [(arrow_function) (function_expression)]) @definition.function

(program
  (lexical_declaration
    (variable_declarator
      name: (identifier) @name.definition.constant
      value: [(string) (number) (object) (array) (template_string) (regex) (new_expression)]) @definition.constant))

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
          (string) (number) (object) (array) (template_string) (regex) (new_expression)
          (call_expression) (member_expression) (identifier) (ternary_expression) (binary_expression) (await_expression)
          (parenthesized_expression) (subscript_expression)
        ]) @definition.constant)))

(call_expression
  function: (identifier) @name.reference.function)

(call_expression
  function: (member_expression property: (property_identifier) @name.reference.call))

(new_expression
  constructor: (identifier) @name.reference.call)

(class_heritage (identifier) @name.reference.inherit)

(class_heritage (member_expression property: (property_identifier) @name.reference.inherit))

(import_statement source: (string) @import)

(export_statement source: (string) @import)

(call_expression
  function: (identifier) @_require
  arguments: (arguments . (string) @import)
  (#eq? @_require "require"))

(call_expression
  function: (import)
  arguments: (arguments . (string) @import))

((jsx_opening_element name: (identifier) @name.reference.call)
  (#match? @name.reference.call "^[A-Z]"))

((jsx_self_closing_element name: (identifier) @name.reference.call)
  (#match? @name.reference.call "^[A-Z]"))
