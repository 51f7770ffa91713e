; Sleeptime tags for PHP (tree-sitter-php, tree-sitter-wasms build).

(class_declaration
  name: (name) @name.definition.class) @definition.class

(interface_declaration
  name: (name) @name.definition.interface) @definition.interface

(trait_declaration
  name: (name) @name.definition.trait) @definition.trait

(enum_declaration
  name: (name) @name.definition.enum) @definition.enum

(namespace_definition
  name: (namespace_name) @name.definition.module) @definition.module

(function_definition
  name: (name) @name.definition.function) @definition.function

(method_declaration
  name: (name) @name.definition.method) @definition.method

(const_declaration
  (const_element (name) @name.definition.constant)) @definition.constant

(function_call_expression
  function: [(name) (qualified_name)] @name.reference.function)

(member_call_expression
  name: (name) @name.reference.call)

(nullsafe_member_call_expression
  name: (name) @name.reference.call)

(scoped_call_expression
  name: (name) @name.reference.call)

(object_creation_expression
  [(name) (qualified_name)] @name.reference.call)

(base_clause [(name) (qualified_name)] @name.reference.inherit)

(class_interface_clause [(name) (qualified_name)] @name.reference.inherit)

(use_declaration [(name) (qualified_name)] @name.reference.inherit)

(simple_parameter type: (named_type) @name.reference.type)

(namespace_use_clause [(name) (qualified_name)] @import)

(namespace_use_declaration
  (namespace_name) @import
  (namespace_use_group))

[
  (require_expression (string) @import)
  (require_once_expression (string) @import)
  (include_expression (string) @import)
  (include_once_expression (string) @import)
]
